package dev.isthmus.dns.wire;

/**
 * Checks that uncompressed RDATA has the wire layout of its type, field by field, for every type the server knows
 * by name. Unknown types are opaque (RFC 3597 §2) and always pass.
 *
 * <p>Zone files may give any type's RDATA in the RFC 3597 §5 generic form {@code \# <length> <hex>}; for a known
 * type "all further processing by the server MUST treat it as a known type", and everything downstream (the SOA
 * MINIMUM fallback, name offsets for compression, additional-section processing, NSEC3 parameters) reads the RDATA
 * by that layout, so the zone parser checks it here first. The checks accept what the presentation-form parser of
 * each type can produce.
 */
public final class RdataShape {
    private RdataShape() {
    }

    /**
     * @return null when {@code rdata} is a valid uncompressed RDATA of {@code type}, else the first field that is
     *     not (e.g. "SOA RDATA ends inside serial")
     */
    public static String problem(int type, byte[] rdata) {
        Cursor c = new Cursor(rdata);
        String what;
        switch (type) {
            case RecordType.A -> what = c.fixed(4, "address");
            case RecordType.AAAA -> what = c.fixed(16, "address");
            case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR -> what = c.name("target");
            case RecordType.MX -> what = first(c.fixed(2, "preference"), () -> c.name("exchange"));
            case RecordType.SOA -> what = first(c.name("MNAME"), () -> c.name("RNAME"),
                () -> c.fixed(20, "serial/refresh/retry/expire/minimum"));
            case RecordType.TXT -> what = c.characterStrings(1, Integer.MAX_VALUE, "text");
            case RecordType.HINFO -> what = c.characterStrings(2, 2, "CPU/OS");
            case RecordType.SRV -> what = first(c.fixed(6, "priority/weight/port"), () -> c.name("target"));
            case RecordType.NAPTR -> what = first(c.fixed(4, "order/preference"),
                () -> c.characterStrings(3, 3, "flags/services/regexp"), () -> c.name("replacement"));
            case RecordType.CAA -> what = first(c.fixed(1, "flags"), c::caaTag);
            case RecordType.SSHFP -> what = first(c.fixed(2, "algorithm/fingerprint type"),
                () -> c.rest("fingerprint"));
            case RecordType.TLSA -> what = first(c.fixed(3, "usage/selector/matching type"),
                () -> c.rest("certificate data"));
            case RecordType.DS, RecordType.CDS -> what = first(c.fixed(4, "key tag/algorithm/digest type"),
                () -> c.rest("digest"));
            case RecordType.DNSKEY, RecordType.CDNSKEY -> what = first(c.fixed(4, "flags/protocol/algorithm"),
                () -> c.rest("public key"));
            case RecordType.RRSIG -> what = first(c.fixed(18, "type covered..key tag"), () -> c.name("signer's name"),
                () -> c.rest("signature"));
            case RecordType.NSEC -> what = first(c.name("next domain name"), c::typeBitmap);
            case RecordType.NSEC3 -> what = first(c.nsec3Parameters(),
                () -> c.lengthPrefixed(1, "next hashed owner name"), c::typeBitmap);
            case RecordType.NSEC3PARAM -> what = c.nsec3Parameters();
            default -> {
                return null; // RFC 3597 §2: opaque
            }
        }
        if (what == null && !c.atEnd()) {
            what = (c.data.length - c.pos) + " octets after the last field";
        }
        return what == null ? null : RecordType.name(type) + " RDATA: " + what;
    }

    @SafeVarargs
    private static String first(String head, java.util.function.Supplier<String>... rest) {
        if (head != null) {
            return head;
        }
        for (java.util.function.Supplier<String> s : rest) {
            String p = s.get();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Reads fields in order; each method returns null when its field is well formed, else what is wrong. */
    private static final class Cursor {
        private final byte[] data;
        private int pos;

        Cursor(byte[] data) {
            this.data = data;
        }

        boolean atEnd() {
            return pos == data.length;
        }

        String fixed(int n, String what) {
            if (data.length - pos < n) {
                return "ends inside " + what;
            }
            pos += n;
            return null;
        }

        /** RFC 3597 §4/§5: names in RDATA given this way are uncompressed; RFC 1035 §3.1 limits them. */
        String name(String what) {
            int start = pos;
            while (true) {
                if (pos >= data.length) {
                    return what + " does not end with the root label";
                }
                int len = data[pos] & 0xFF;
                if (len > DnsName.MAX_LABEL_LENGTH) {
                    return what + " has a compression pointer or a label longer than 63 octets";
                }
                pos += 1 + len;
                if (pos - start > DnsName.MAX_WIRE_LENGTH) {
                    return what + " longer than 255 octets";
                }
                if (len == 0) {
                    return null;
                }
            }
        }

        /** RFC 1035 §3.3: a length octet then that many octets, {@code min..max} of them in a row. */
        String characterStrings(int min, int max, String what) {
            int n = 0;
            while (n < max && (n < min || !atEnd())) {
                String p = lengthPrefixed(0, what);
                if (p != null) {
                    return p;
                }
                n++;
            }
            return null;
        }

        /** A length octet, at least {@code minLength}, then that many octets. */
        String lengthPrefixed(int minLength, String what) {
            if (pos >= data.length) {
                return "ends before " + what;
            }
            int len = data[pos] & 0xFF;
            if (len < minLength) {
                return what + " is empty";
            }
            if (data.length - pos - 1 < len) {
                return what + " runs past the end";
            }
            pos += 1 + len;
            return null;
        }

        /** The presentation form needs at least one octet of key, digest, fingerprint or signature. */
        String rest(String what) {
            if (atEnd()) {
                return "empty " + what;
            }
            pos = data.length;
            return null;
        }

        /** RFC 8659 §4.1: a tag of 1-15 letters and digits, then the value up to the end. */
        String caaTag() {
            if (pos >= data.length) {
                return "ends before the tag length";
            }
            int len = data[pos] & 0xFF;
            if (len < 1 || len > 15 || data.length - pos - 1 < len) {
                return "tag length " + len + " (RFC 8659 §4.1: 1-15, within the RDATA)";
            }
            for (int i = pos + 1; i <= pos + len; i++) {
                if (!Character.isLetterOrDigit((char) (data[i] & 0xFF)) || (data[i] & 0x80) != 0) {
                    return "tag is not letters and digits (RFC 8659 §4.1)";
                }
            }
            pos = data.length;
            return null;
        }

        /** RFC 5155 §3.2/§4.2: hash algorithm, flags, iterations, then a length-prefixed salt. */
        String nsec3Parameters() {
            return first(fixed(4, "hash algorithm/flags/iterations"), () -> lengthPrefixed(0, "salt"));
        }

        /**
         * RFC 4034 §4.1.2: window blocks in increasing order, each with a bitmap of 1-32 octets; "Trailing zero
         * octets in the bitmap MUST be omitted". An empty bitmap is allowed (a name with no types of its own).
         */
        String typeBitmap() {
            int lastWindow = -1;
            while (!atEnd()) {
                if (data.length - pos < 2) {
                    return "type bitmap ends inside a window header";
                }
                int window = data[pos] & 0xFF;
                int len = data[pos + 1] & 0xFF;
                if (window <= lastWindow) {
                    return "type bitmap windows not in increasing order";
                }
                if (len < 1 || len > 32 || data.length - pos - 2 < len) {
                    return "type bitmap window length " + len;
                }
                if (data[pos + 1 + len] == 0) {
                    return "type bitmap has a trailing zero octet";
                }
                lastWindow = window;
                pos += 2 + len;
            }
            return null;
        }
    }
}
