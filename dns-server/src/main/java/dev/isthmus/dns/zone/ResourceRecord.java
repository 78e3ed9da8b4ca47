package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One resource record as loaded from a zone: RDATA is kept in uncompressed wire form (RFC 1035 §3.2.1), names in
 * it in the zone file's case. Equality ignores the TTL (RFC 2181 §5: duplicates are the same owner, class, type
 * and RDATA).
 */
public record ResourceRecord(DnsName owner, int type, int rrClass, long ttl, byte[] rdata) {

    /** For RRSIG: the type covered (RFC 4034 §3.1.1); else the record's own type. */
    public int coveredType() {
        return type == RecordType.RRSIG ? ((rdata[0] & 0xFF) << 8) | (rdata[1] & 0xFF) : type;
    }

    public ResourceRecord withTtl(long newTtl) {
        return new ResourceRecord(owner, type, rrClass, newTtl, rdata);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceRecord r && r.type == type && r.rrClass == rrClass && r.owner.equals(owner)
            && Arrays.equals(r.rdata, rdata);
    }

    @Override
    public int hashCode() {
        return owner.hashCode() * 31 + type * 7 + Arrays.hashCode(rdata);
    }

    @Override
    public String toString() {
        return owner + " " + ttl + " " + RecordType.name(type) + " \\# " + rdata.length + " "
            + HexFormat.of().formatHex(rdata);
    }
}
