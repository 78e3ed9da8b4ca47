package dev.isthmus.dns.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** A record read from a message; names inside RDATA are decompressed (RFC 3597 §4), RDATA otherwise as sent. */
public record WireRecord(DnsName name, int type, int rrClass, long ttl, byte[] rdata) {
    @Override
    public boolean equals(Object o) {
        return o instanceof WireRecord r && r.type == type && r.rrClass == rrClass && r.ttl == ttl
            && r.name.equals(name) && Arrays.equals(r.rdata, rdata);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type + Arrays.hashCode(rdata);
    }

    @Override
    public String toString() {
        return name + " " + ttl + " " + rrClass + " " + RecordType.name(type) + " " + HexFormat.of().formatHex(rdata);
    }
}
