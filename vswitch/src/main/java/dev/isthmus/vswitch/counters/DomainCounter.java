package dev.isthmus.vswitch.counters;

/** What a bridge domain counts besides its drops. */
public enum DomainCounter {
    RX_LOCAL("frames received on access ports"),
    RX_REMOTE("frames decapsulated from remote VTEPs"),
    TX_LOCAL("frames sent out of access ports"),
    TX_REMOTE("frames encapsulated towards remote VTEPs"),
    FLOODED("broadcast, multicast and unknown-unicast frames flooded"),
    REPLICAS("copies made for flooding and head-end replication"),
    LEARNED("MACs learned"),
    MOVED("MACs moved to another port or VTEP"),
    AGED("MACs aged out"),
    LEARN_LIMIT("MACs not learned: the domain's MAC limit is reached"),
    LEARN_TABLE_FULL("MACs not learned: table awaiting compaction"),
    LEARN_STATIC_CONFLICT("MACs not moved: a static entry holds them"),
    ARP_SUPPRESSED("ARP requests answered locally by ARP suppression");

    private final String description;

    DomainCounter(String description) {
        this.description = description;
    }

    /** @return what the counter counts */
    public String description() {
        return description;
    }
}
