package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import java.util.List;

/**
 * The records of one owner and type (RFC 2181 §5), in zone-file order. For type RRSIG an RRset here holds the
 * signatures covering one type (RFC 4035 §3.1.1 adds them beside the RRset they cover).
 */
public record RRset(DnsName owner, int type, List<ResourceRecord> records) {
    public RRset {
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an RRset has at least one record");
        }
    }

    /** @return the smallest TTL of the set (what a cache would keep) */
    public long ttl() {
        long min = Long.MAX_VALUE;
        for (ResourceRecord r : records) {
            min = Math.min(min, r.ttl());
        }
        return min;
    }
}
