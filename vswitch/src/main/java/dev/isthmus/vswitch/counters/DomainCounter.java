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
    ARP_SUPPRESSED("ARP requests answered locally by ARP suppression"),
    VTEP_LEARN_QUEUE_FULL("VTEP learning requests lost: the lcore's queue to the control side was full"),
    VTEPS_LEARNED("remote VTEPs learned from their traffic"),
    VTEP_LEARN_LIMIT("remote VTEPs not learned: the domain's max-learned-vteps is reached"),
    VTEP_LEARN_REFUSED("remote VTEPs not learned: not a usable unicast address of an underlay family, or our own"),
    VTEPS_AGED("learned VTEPs forgotten: no FDB entry pointed at them for the aging time");

    private final String description;

    DomainCounter(String description) {
        this.description = description;
    }

    /** @return what the counter counts */
    public String description() {
        return description;
    }
}
