package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.counters.DropReason;

/** Why the DNS stage dropped a UDP/53 datagram addressed to the appliance; each has its own counter. */
public enum DnsDrop implements DropReason {
    BOGUS_SOURCE("source address multicast, broadcast, unspecified or loopback: an answer would go nowhere or to a "
            + "victim (RFC 1122 §3.2.1.3, RFC 4291 §2.7)"),
    SOURCE_PORT_ZERO("UDP source port 0: there is no port to answer to (RFC 768)"),
    TOO_SHORT("UDP payload shorter than a DNS header (RFC 1035 §4.1.1)"),
    RESPONSE("QR set: a response is never answered, which could start a loop between servers"),
    NO_ROOM("the response does not fit the mbuf after the headers"),
    RATE_LIMITED("response-rate limiting: the client prefix exceeded its responses per second for this answer "
            + "(and this response was not the slip)");

    private final String description;

    DnsDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
