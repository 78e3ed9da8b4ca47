package dev.isthmus.dns.wire;

/**
 * Where domain names sit inside the RDATA of the types that embed them, so the writer can compress them and the
 * engine can find CNAME/DNAME targets and the hosts that need additional-section addresses.
 *
 * <p>RDATA handled here is always in uncompressed form (as stored in a zone).
 */
public final class RdataLayout {
    private RdataLayout() {
    }

    /**
     * RFC 3597 §4: only the names in RR types defined in RFC 1035 may be compressed on output (of those we serve:
     * NS, CNAME, SOA, PTR, MX). SRV (RFC 2782), DNAME (RFC 6672 §2.5), RRSIG and NSEC (RFC 4034) are never.
     */
    public static boolean namesCompressible(int type) {
        return type == RecordType.NS || type == RecordType.CNAME || type == RecordType.SOA
            || type == RecordType.PTR || type == RecordType.MX;
    }

    /** @return offset of the "target" name: NS/CNAME/DNAME/PTR host, MX exchange, SRV target; -1 for other types */
    public static int targetOffset(int type) {
        return switch (type) {
            case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR -> 0;
            case RecordType.MX -> 2;
            case RecordType.SRV -> 6;
            default -> -1;
        };
    }

    /** @return offsets of every embedded name in {@code rdata} (empty array when the type embeds none) */
    public static int[] nameOffsets(int type, byte[] rdata) {
        switch (type) {
            case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR:
            case RecordType.NSEC:
                return new int[] {0};
            case RecordType.MX:
                return new int[] {2};
            case RecordType.SRV:
                return new int[] {6};
            case RecordType.SOA:
                return new int[] {0, nameEnd(rdata, 0)};
            case RecordType.RRSIG:
                return new int[] {18};
            case RecordType.NAPTR: {
                int p = 4;
                for (int i = 0; i < 3; i++) {
                    p += 1 + (rdata[p] & 0xFF);
                }
                return new int[] {p};
            }
            default:
                return new int[0];
        }
    }

    /** @return the offset just past the uncompressed name starting at {@code offset} */
    public static int nameEnd(byte[] data, int offset) {
        int p = offset;
        while (data[p] != 0) {
            p += 1 + (data[p] & 0xFF);
        }
        return p + 1;
    }

    /** @return the uncompressed name at {@code offset} */
    public static DnsName nameAt(byte[] data, int offset) {
        return DnsName.fromWire(data, offset, nameEnd(data, offset) - offset);
    }
}
