package dev.isthmus.dns.wire;

/** One entry of the question section (RFC 1035 §4.1.2). */
public record Question(DnsName name, int type, int qclass) {
}
