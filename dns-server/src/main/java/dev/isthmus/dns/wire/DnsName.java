package dev.isthmus.dns.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable, fully qualified domain name held in its uncompressed wire form (RFC 1035 §3.1: length-prefixed
 * labels ending with the zero-length root label), with the case it was written in.
 *
 * <p>Equality, hashing and ordering ignore ASCII case (RFC 4343 §3); {@link #wire()} keeps the original case for
 * output, {@link #canonical()} is the lower-cased form used as a lookup key and for DNSSEC canonical ordering
 * (RFC 4034 §6.1).
 */
public final class DnsName implements Comparable<DnsName> {

    /** RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label at most 63. */
    public static final int MAX_WIRE_LENGTH = 255;
    public static final int MAX_LABEL_LENGTH = 63;

    public static final DnsName ROOT = new DnsName(new byte[] {0});

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[MAX_WIRE_LENGTH + 64]);

    private final byte[] wire;
    private final byte[] canonical;
    private final int hash;
    private int[] labelOffsets;

    private DnsName(byte[] wire) {
        this.wire = wire;
        // Most names are lower case already: share the array then (neither is ever written after this).
        this.canonical = hasUpperCase(wire) ? lowerCase(wire) : wire;
        this.hash = Arrays.hashCode(canonical);
    }

    private static boolean hasUpperCase(byte[] wire) {
        for (byte b : wire) {
            if (b >= 'A' && b <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /**
     * Wraps uncompressed wire bytes. The caller guarantees well-formedness via {@link #checkWire}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid uncompressed name
     */
    public static DnsName fromWire(byte[] wire, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(wire, offset, offset + length);
        String problem = checkWire(copy);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new DnsName(copy);
    }

    /** @return null when {@code wire} is exactly one valid uncompressed name, else the reason it is not */
    static String checkWire(byte[] wire) {
        if (wire.length > MAX_WIRE_LENGTH) {
            return "name longer than 255 octets";
        }
        int p = 0;
        while (p < wire.length) {
            int len = wire[p] & 0xFF;
            if (len == 0) {
                return p == wire.length - 1 ? null : "bytes after the root label";
            }
            if (len > MAX_LABEL_LENGTH) {
                return "label longer than 63 octets";
            }
            p += 1 + len;
        }
        return "name does not end with the root label";
    }

    /**
     * Parses a name in master-file presentation form (RFC 1035 §5.1): labels separated by dots, {@code \X} and
     * {@code \DDD} escapes, absolute when it ends with a dot, otherwise relative to {@code origin}.
     * {@code "@"} is the origin itself.
     *
     * @throws IllegalArgumentException with a message fit for a zone-file error
     */
    public static DnsName parse(String text, DnsName origin) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        if (text.equals("@")) {
            if (origin == null) {
                throw new IllegalArgumentException("'@' used with no origin");
            }
            return origin;
        }
        if (text.equals(".")) {
            return ROOT;
        }
        // A zone file parses one name per record: reuse this thread's scratch (the result is copied out of it).
        byte[] out = SCRATCH.get();
        int o = 0;
        int labelStart = 0;
        out[0] = 0;
        o = 1;
        boolean absolute = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                int labelLength = o - labelStart - 1;
                if (labelLength == 0) {
                    throw new IllegalArgumentException("empty label in '" + text + "'");
                }
                out[labelStart] = (byte) labelLength;
                if (i == n - 1) {
                    absolute = true;
                    i++;
                    break;
                }
                labelStart = o;
                out[o++] = 0;
                i++;
                continue;
            }
            int b;
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("dangling backslash in '" + text + "'");
                }
                char d = text.charAt(i + 1);
                if (isDigit(d)) {
                    if (i + 3 >= n || !isDigit(text.charAt(i + 2)) || !isDigit(text.charAt(i + 3))) {
                        throw new IllegalArgumentException("bad \\DDD escape in '" + text + "'");
                    }
                    b = (d - '0') * 100 + (text.charAt(i + 2) - '0') * 10 + (text.charAt(i + 3) - '0');
                    if (b > 255) {
                        throw new IllegalArgumentException("\\DDD escape above 255 in '" + text + "'");
                    }
                    i += 4;
                } else {
                    b = d;
                    i += 2;
                }
            } else {
                b = c;
                i++;
            }
            if (b > 255) {
                throw new IllegalArgumentException("non-ASCII character in name '" + text + "'");
            }
            if (o - labelStart - 1 >= MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("label longer than 63 octets in '" + text + "'");
            }
            if (o >= MAX_WIRE_LENGTH + 1) {
                throw new IllegalArgumentException("name longer than 255 octets: '" + text + "'");
            }
            out[o++] = (byte) b;
        }
        if (!absolute) {
            int labelLength = o - labelStart - 1;
            if (labelLength == 0) {
                throw new IllegalArgumentException("empty label in '" + text + "'");
            }
            out[labelStart] = (byte) labelLength;
            if (origin == null) {
                throw new IllegalArgumentException("relative name '" + text + "' with no origin");
            }
            if (o + origin.wire.length > MAX_WIRE_LENGTH) {
                throw new IllegalArgumentException("name longer than 255 octets: '" + text + "' + origin");
            }
            byte[] result = Arrays.copyOf(out, o + origin.wire.length);
            System.arraycopy(origin.wire, 0, result, o, origin.wire.length);
            return new DnsName(result);
        }
        out[o++] = 0;
        if (o > MAX_WIRE_LENGTH) {
            throw new IllegalArgumentException("name longer than 255 octets: '" + text + "'");
        }
        return new DnsName(Arrays.copyOf(out, o));
    }

    /** Parses an absolute name; convenience for code and tests. */
    public static DnsName of(String text) {
        return parse(text.endsWith(".") ? text : text + ".", null);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII lower-casing of label bytes; length octets are below 64 and unaffected. */
    public static byte toLower(byte b) {
        return (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
    }

    private static byte[] lowerCase(byte[] wire) {
        byte[] out = wire.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = toLower(out[i]);
        }
        return out;
    }

    /** @return a copy of the wire form in the original case */
    public byte[] wire() {
        return wire.clone();
    }

    /** @return the wire length in octets, root label included */
    public int wireLength() {
        return wire.length;
    }

    /** Copies the wire form (original case) into {@code dst}. */
    public void copyWire(byte[] dst, int offset) {
        System.arraycopy(wire, 0, dst, offset, wire.length);
    }

    /** Copies the lower-cased wire form into {@code dst}. */
    public void copyCanonical(byte[] dst, int offset) {
        System.arraycopy(canonical, 0, dst, offset, canonical.length);
    }

    /** @return a copy of the lower-cased wire form */
    public byte[] canonical() {
        return canonical.clone();
    }

    public int labelCount() {
        int count = 0;
        int p = 0;
        while (wire[p] != 0) {
            count++;
            p += 1 + (wire[p] & 0xFF);
        }
        return count;
    }

    public boolean isRoot() {
        return wire.length == 1;
    }

    /** @return the name without its first label; the root's parent is an error */
    public DnsName parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no parent");
        }
        int skip = 1 + (wire[0] & 0xFF);
        return new DnsName(Arrays.copyOfRange(wire, skip, wire.length));
    }

    /** @return the suffix of this name with {@code labels} labels */
    public DnsName suffix(int labels) {
        int drop = labelCount() - labels;
        if (drop < 0) {
            throw new IllegalArgumentException("name has fewer than " + labels + " labels");
        }
        int p = 0;
        for (int i = 0; i < drop; i++) {
            p += 1 + (wire[p] & 0xFF);
        }
        return p == 0 ? this : new DnsName(Arrays.copyOfRange(wire, p, wire.length));
    }

    /** @return true when the first label is exactly {@code *} (RFC 4592 §2.1.1) */
    public boolean isWildcard() {
        return wire.length >= 2 && wire[0] == 1 && wire[1] == '*';
    }

    /** @return {@code label.this}, or null when the result would exceed 255 octets */
    public DnsName prepend(byte[] label) {
        if (label.length == 0 || label.length > MAX_LABEL_LENGTH || wire.length + 1 + label.length > MAX_WIRE_LENGTH) {
            return null;
        }
        byte[] out = new byte[wire.length + 1 + label.length];
        out[0] = (byte) label.length;
        System.arraycopy(label, 0, out, 1, label.length);
        System.arraycopy(wire, 0, out, 1 + label.length, wire.length);
        return new DnsName(out);
    }

    /** @return the first label's bytes */
    public byte[] firstLabel() {
        return Arrays.copyOfRange(wire, 1, 1 + (wire[0] & 0xFF));
    }

    /** @return true when this name equals {@code other} or lies below it (case-insensitive) */
    public boolean isSubdomainOf(DnsName other) {
        int d = canonical.length - other.canonical.length;
        if (d < 0) {
            return false;
        }
        // Only a label boundary of this name can start the suffix.
        int p = 0;
        while (p < d) {
            p += 1 + (canonical[p] & 0xFF);
        }
        return p == d && Arrays.equals(canonical, d, canonical.length, other.canonical, 0, other.canonical.length);
    }

    /**
     * RFC 6672 §2.2: replaces the suffix {@code from} of this name with {@code to}.
     *
     * @return the new name, or null when it would exceed 255 octets (the caller answers YXDOMAIN)
     */
    public DnsName replaceSuffix(DnsName from, DnsName to) {
        int keep = wire.length - from.wire.length;
        if (keep + to.wire.length > MAX_WIRE_LENGTH) {
            return null;
        }
        byte[] out = new byte[keep + to.wire.length];
        System.arraycopy(wire, 0, out, 0, keep);
        System.arraycopy(to.wire, 0, out, keep, to.wire.length);
        return new DnsName(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsName other && hash == other.hash && Arrays.equals(canonical, other.canonical);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** RFC 4034 §6.1 canonical order: by labels from the root, each compared as lower-cased octet strings. */
    @Override
    public int compareTo(DnsName other) {
        int[] a = labelOffsets();
        int[] b = other.labelOffsets();
        int ia = a.length - 1;
        int ib = b.length - 1;
        while (ia >= 0 && ib >= 0) {
            int pa = a[ia];
            int pb = b[ib];
            int la = canonical[pa] & 0xFF;
            int lb = other.canonical[pb] & 0xFF;
            int c = Arrays.compareUnsigned(canonical, pa + 1, pa + 1 + la, other.canonical, pb + 1, pb + 1 + lb);
            if (c != 0) {
                return c;
            }
            ia--;
            ib--;
        }
        return Integer.compare(a.length, b.length);
    }

    /** Label start offsets, computed once: sorting a large zone compares each name many times. */
    private int[] labelOffsets() {
        int[] offsets = labelOffsets;
        if (offsets == null) {
            int n = 0;
            for (int p = 0; canonical[p] != 0; p += 1 + (canonical[p] & 0xFF)) {
                n++;
            }
            offsets = new int[n];
            n = 0;
            for (int p = 0; canonical[p] != 0; p += 1 + (canonical[p] & 0xFF)) {
                offsets[n++] = p;
            }
            labelOffsets = offsets; // benign race: every thread computes the same array
        }
        return offsets;
    }

    /** Presentation form (RFC 1035 §5.1), absolute with the trailing dot, special octets escaped. */
    @Override
    public String toString() {
        if (isRoot()) {
            return ".";
        }
        StringBuilder sb = new StringBuilder();
        int p = 0;
        while (wire[p] != 0) {
            int len = wire[p] & 0xFF;
            for (int i = p + 1; i <= p + len; i++) {
                int b = wire[i] & 0xFF;
                if (b == '.' || b == '\\' || b == '"' || b == ';' || b == '(' || b == ')' || b == '@' || b == '$') {
                    sb.append('\\').append((char) b);
                } else if (b <= 0x20 || b >= 0x7F) {
                    sb.append('\\').append(String.format("%03d", b));
                } else {
                    sb.append((char) b);
                }
            }
            sb.append('.');
            p += 1 + len;
        }
        return sb.toString();
    }

    /** @return the ASCII bytes of {@code s}; convenience for labels in code */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
