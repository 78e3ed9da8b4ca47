package dev.isthmus.dataplane.counters;

/** Drop reasons of the dataplane itself: malformed headers, host behaviour and resource exhaustion. */
public enum DataplaneDrop implements DropReason {
    ETHERNET_TRUNCATED("frame shorter than its Ethernet header and VLAN tags"),
    ETHERTYPE_UNSUPPORTED("EtherType the pipeline does not handle"),
    ARP_MALFORMED("ARP packet truncated or not Ethernet/IPv4 (RFC 826)"),
    ARP_NOT_FOR_US("ARP request for an address this port does not own"),
    IPV4_TRUNCATED("IPv4 header truncated"),
    IPV4_BAD_VERSION("IP version field is not 4"),
    IPV4_BAD_IHL("IPv4 IHL below 5 or beyond the frame"),
    IPV4_BAD_TOTAL_LENGTH("IPv4 total length shorter than the header or longer than the frame"),
    IPV4_BAD_CHECKSUM("IPv4 header checksum wrong (RFC 791)"),
    IPV4_FRAGMENT("IPv4 fragment: reassembly is not supported"),
    IPV4_BAD_SOURCE("IPv4 source is multicast, broadcast or loopback"),
    IPV6_TRUNCATED("IPv6 header truncated"),
    IPV6_BAD_VERSION("IP version field is not 6"),
    IPV6_BAD_PAYLOAD_LENGTH("IPv6 payload length beyond the frame"),
    IPV6_BAD_EXTENSION("IPv6 extension header chain malformed, too long or beyond the packet"),
    IPV6_FRAGMENT("IPv6 fragment: reassembly is not supported"),
    UDP_TRUNCATED("UDP header truncated"),
    UDP_BAD_LENGTH("UDP length shorter than its header or longer than the IP payload"),
    UDP_BAD_CHECKSUM("UDP checksum wrong, or zero over IPv6 (RFC 768, RFC 8200 §8.1)"),
    ICMP_TRUNCATED("ICMP/ICMPv6 message truncated"),
    ICMP_BAD_CHECKSUM("ICMP/ICMPv6 checksum wrong"),
    ICMP_UNHANDLED("ICMP/ICMPv6 type the host does not answer"),
    ND_INVALID("neighbour discovery message failing RFC 4861 §7.1 validation"),
    NOT_FOR_US("addressed to neither this port's addresses nor a stage"),
    NO_VERDICT("no stage gave the packet a verdict"),
    TX_FULL("transmit queue full: unsent after the drain"),
    RING_FULL("handoff ring full"),
    NO_PUNT_PATH("punted, but no exception path is configured"),
    PUNT_FULL("exception path full"),
    STAGE_FAILED("a stage threw while processing the burst"),
    BAD_PORT("verdict named a port this lcore cannot transmit on"),
    NO_TX_QUEUE("this lcore has no TX queue on the port (the device has fewer TX queues than there are lcores)"),
    STOPPING("in flight while the lcore was stopping");

    private final String description;

    DataplaneDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
