package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.wire.RecordType;
import java.util.HexFormat;

/**
 * Writes a zone as RFC 1035 §5 master-file text that {@link ZoneFileParser} (and NSD, Knot, BIND) reads back into
 * the same records: every owner absolute, one record per line, the SOA first. The common types are written in their
 * usual presentation form; every other type in the RFC 3597 §5 generic form ({@code \# length hex}), which any
 * server reads for any type. For a zone changed record by record, which has no text of its own.
 */
public final class ZoneText {
    private ZoneText() {
    }

    /** @return the zone as master-file text */
    public static String render(Zone zone) {
        StringBuilder sb = new StringBuilder();
        sb.append("$ORIGIN ").append(zone.origin()).append('\n');
        record(sb, zone.soa());
        for (Iterable<Node> nodes : java.util.List.of(zone.nodes(), zone.nsec3Nodes())) {
            for (Node node : nodes) {
                for (RRset set : node.rrsets()) {
                    for (ResourceRecord r : set.records()) {
                        if (r.type() != RecordType.SOA) {
                            record(sb, r);
                        }
                    }
                }
                for (RRset set : node.allSignatures()) {
                    set.records().forEach(r -> record(sb, r));
                }
            }
        }
        return sb.toString();
    }

    private static void record(StringBuilder sb, ResourceRecord r) {
        sb.append(r.owner()).append(' ').append(r.ttl()).append(" IN ").append(RecordType.name(r.type())).append(' ');
        rdata(sb, r.type(), r.rdata());
        sb.append('\n');
    }

    /** Appends the presentation form of {@code rdata}; RFC 3597 §5 for the types without one here. */
    static void rdata(StringBuilder sb, int type, byte[] rdata) {
        int mark = sb.length();
        try {
            switch (type) {
                case RecordType.A -> {
                    if (rdata.length != 4) {
                        throw new IllegalArgumentException();
                    }
                    sb.append(rdata[0] & 0xFF).append('.').append(rdata[1] & 0xFF).append('.')
                            .append(rdata[2] & 0xFF).append('.').append(rdata[3] & 0xFF);
                }
                case RecordType.AAAA -> ipv6(sb, rdata);
                case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR -> sb.append(name(rdata, 0));
                case RecordType.MX -> sb.append(u16(rdata, 0)).append(' ').append(name(rdata, 2));
                case RecordType.SRV -> sb.append(u16(rdata, 0)).append(' ').append(u16(rdata, 2)).append(' ')
                        .append(u16(rdata, 4)).append(' ').append(name(rdata, 6));
                case RecordType.SOA -> {
                    int p = RdataLayout.nameEnd(rdata, 0);
                    int q = RdataLayout.nameEnd(rdata, p);
                    sb.append(name(rdata, 0)).append(' ').append(name(rdata, p));
                    for (int k = 0; k < 5; k++) {
                        sb.append(' ').append(u32(rdata, q + 4 * k));
                    }
                }
                case RecordType.TXT -> {
                    int p = 0;
                    while (p < rdata.length) {
                        int len = rdata[p] & 0xFF;
                        if (p > 0) {
                            sb.append(' ');
                        }
                        characterString(sb, rdata, p + 1, len);
                        p += 1 + len;
                    }
                }
                default -> generic(sb, rdata);
            }
        } catch (RuntimeException e) {
            // RDATA that does not have its type's shape (it came in as \# from a zone file) goes back out the same way.
            sb.setLength(mark);
            generic(sb, rdata);
        }
    }

    private static void generic(StringBuilder sb, byte[] rdata) {
        sb.append("\\# ").append(rdata.length);
        if (rdata.length > 0) {
            sb.append(' ').append(HexFormat.of().withUpperCase().formatHex(rdata));
        }
    }

    private static String name(byte[] rdata, int offset) {
        return DnsName.fromWire(rdata, offset, RdataLayout.nameEnd(rdata, offset) - offset).toString();
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    /** RFC 1035 §5.1: quoted, with {@code "} and {@code \} escaped and octets outside printable ASCII as \DDD. */
    private static void characterString(StringBuilder sb, byte[] b, int from, int length) {
        if (from + length > b.length) {
            throw new IllegalArgumentException("character-string past the end");
        }
        sb.append('"');
        for (int i = from; i < from + length; i++) {
            int c = b[i] & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append('\\').append(String.format("%03d", c));
            } else {
                sb.append((char) c);
            }
        }
        sb.append('"');
    }

    /** RFC 5952 §4: lower-case hex, leading zeros dropped, the longest run of two or more zero groups as "::". */
    private static void ipv6(StringBuilder sb, byte[] a) {
        if (a.length != 16) {
            throw new IllegalArgumentException();
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; ) {
            if (u16(a, 2 * g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && u16(a, 2 * g) == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(u16(a, 2 * g)));
        }
    }
}
