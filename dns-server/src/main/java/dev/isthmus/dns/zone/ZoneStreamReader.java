package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming half of zone loading: reads RFC 1035 §5 master-file bytes and hands each record to a
 * {@link RecordSink} as wire bytes in reused scratch arrays — no object per record or per name for the common record
 * types (A, AAAA, NS, CNAME, PTR, DNAME), so a zone of millions of names is read at the speed of the bytes. It reads
 * exactly what {@link ZoneFileParser} reads ({@code $ORIGIN}, {@code $TTL}, omitted owner/TTL/class, parentheses,
 * comments, quoted strings, escapes; other types' RDATA through {@link RdataParser}, allocating for that record
 * only) and produces the same records.
 *
 * <p>It does not report errors: anything it does not take ({@code $INCLUDE}, {@code $GENERATE}, non-ASCII outside comments, a
 * name written in two cases) and any error at all end the read with {@link Unsupported}; the caller then loads the
 * zone with {@link ZoneFileParser}, whose {@code file:line: message} errors are the ones users see. So the fast path
 * can only be faster, never different.
 */
public final class ZoneStreamReader {
    /** Receives each record; the arrays are scratch, valid only during the call. */
    public interface RecordSink {
        /**
         * @param sameOwner true when the owner is known to be the previous record's (omitted, or the same text under
         *     the same origin): the sink may skip looking it up
         * @throws Unsupported to stop the read (the zone then takes the slow path)
         */
        void record(byte[] owner, int ownerLength, boolean sameOwner, int type, long ttl, byte[] rdata,
                    int rdataLength) throws Unsupported;
    }

    /** The fast path cannot load this zone (or the zone has an error): load it with {@link ZoneFileParser}. */
    public static final class Unsupported extends Exception {
        public Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Types whose RDATA is read here without allocation; the others go through {@link RdataParser}. */
    private static final String[] COMMON_TYPES = {"A", "AAAA", "NS", "CNAME", "MX", "TXT", "SOA", "PTR", "SRV",
        "DNAME", "DS", "RRSIG", "NSEC", "NSEC3", "DNSKEY", "NSEC3PARAM", "CAA"};
    private static final byte[][] COMMON_NAMES = new byte[COMMON_TYPES.length][];
    private static final int[] COMMON_CODES = new int[COMMON_TYPES.length];

    static {
        for (int i = 0; i < COMMON_TYPES.length; i++) {
            COMMON_NAMES[i] = COMMON_TYPES[i].getBytes(StandardCharsets.US_ASCII);
            COMMON_CODES[i] = RecordType.fromName(COMMON_TYPES[i]);
        }
    }

    private final byte[] text;
    private final RecordSink sink;
    private int pos;
    private int line = 1;
    // The current entry's tokens: [start, end) in text, and whether quoted.
    private int[] tokStart = new int[64];
    private int[] tokEnd = new int[64];
    private boolean[] tokQuoted = new boolean[64];
    private int tokens;
    private boolean ownerOmitted;

    private DnsName origin;
    /** {@link #origin}'s wire form, kept: {@link DnsName#wire()} copies. */
    private byte[] originWire;
    private long defaultTtl = -1;
    private long lastTtl = -1;
    private boolean haveOwner;
    private int lastOwnerStart = -1;
    private int lastOwnerEnd;
    private DnsName lastOwnerOrigin;
    private final byte[] owner = new byte[DnsName.MAX_WIRE_LENGTH + 1];
    private int ownerLength;
    private byte[] rdata = new byte[1024];
    private final byte[] nameScratch = new byte[DnsName.MAX_WIRE_LENGTH + 64];

    private ZoneStreamReader(byte[] text, DnsName origin, RecordSink sink) {
        this.text = text;
        this.origin = origin;
        this.originWire = origin.wire();
        this.sink = sink;
    }

    /**
     * Reads a whole zone text.
     *
     * @param text the master file's bytes (ASCII outside comments; anything else is {@link Unsupported})
     * @param origin the zone's origin, the initial {@code $ORIGIN}
     */
    public static void read(byte[] text, DnsName origin, RecordSink sink) throws Unsupported {
        new ZoneStreamReader(text, origin, sink).run();
    }

    /**
     * @return true when {@code text} is valid UTF-8 (what {@link ZoneFileParser#load} reads; it reports a file that
     *     is not). Outside comments the fast path takes ASCII only, so this matters for comments.
     */
    public static boolean isUtf8(byte[] text) {
        int i = 0;
        while (i < text.length && text[i] >= 0) {
            i++;
        }
        if (i == text.length) {
            return true;
        }
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(text);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            out.clear();
            if (r.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
        }
    }

    private void run() throws Unsupported {
        while (nextEntry()) {
            // Directives are dispatched here rather than in entry(): two of a small zone's seven lines, enough for
            // C2 to inline them into entry(), whose compilation then took 12 MB of compiler arena — memory the JVM
            // keeps pooled for up to five seconds, i.e. at ready after a bulk load of small zones (issue 12).
            if (!ownerOmitted && !tokQuoted[0] && text[tokStart[0]] == '$') {
                directive();
            } else {
                entry();
            }
        }
    }

    // ---- lexing (as ZoneLexer, on bytes, tokens as spans) ----

    private boolean nextEntry() throws Unsupported {
        final byte[] t = text;
        while (pos < t.length) {
            ownerOmitted = t[pos] == ' ' || t[pos] == '\t';
            tokens = 0;
            int depth = 0;
            while (pos < t.length) {
                byte c = t[pos];
                if (c == '\n') {
                    line++;
                    pos++;
                    if (depth == 0) {
                        break;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == ';') {
                    while (pos < t.length && t[pos] != '\n') {
                        pos++;
                    }
                } else if (c == '(') {
                    depth++;
                    pos++;
                } else if (c == ')') {
                    if (depth == 0) {
                        throw new Unsupported("')' without '('");
                    }
                    depth--;
                    pos++;
                } else if (c == '"') {
                    int start = ++pos;
                    while (true) {
                        if (pos >= t.length) {
                            throw new Unsupported("unterminated quoted string");
                        }
                        byte q = t[pos];
                        if (q < 0) {
                            throw new Unsupported("non-ASCII text"); // the slow path reads it as UTF-8
                        }
                        if (q == '"') {
                            break;
                        }
                        if (q == '\\' && pos + 1 < t.length) {
                            if (t[pos + 1] == '\n') {
                                line++;
                            }
                            pos += 2;
                            continue;
                        }
                        if (q == '\n') {
                            line++;
                        }
                        pos++;
                    }
                    addToken(start, pos, true);
                    pos++;
                } else {
                    int start = pos;
                    while (pos < t.length) {
                        byte w = t[pos];
                        if (w < 0) {
                            throw new Unsupported("non-ASCII text");
                        }
                        if (w == '\\' && pos + 1 < t.length && t[pos + 1] != '\n') {
                            pos += 2;
                            continue;
                        }
                        if (w == ' ' || w == '\t' || w == '\r' || w == '\n' || w == ';' || w == '(' || w == ')'
                            || w == '"') {
                            break;
                        }
                        pos++;
                    }
                    addToken(start, pos, false);
                }
            }
            if (depth > 0) {
                throw new Unsupported("'(' is never closed");
            }
            if (tokens > 0) {
                return true;
            }
        }
        return false;
    }

    private void addToken(int start, int end, boolean quoted) {
        if (tokens == tokStart.length) {
            tokStart = java.util.Arrays.copyOf(tokStart, tokens * 2);
            tokEnd = java.util.Arrays.copyOf(tokEnd, tokens * 2);
            tokQuoted = java.util.Arrays.copyOf(tokQuoted, tokens * 2);
        }
        tokStart[tokens] = start;
        tokEnd[tokens] = end;
        tokQuoted[tokens] = quoted;
        tokens++;
    }

    private String tokenText(int i) {
        return new String(text, tokStart[i], tokEnd[i] - tokStart[i], StandardCharsets.ISO_8859_1);
    }

    private boolean tokenIs(int i, String s) {
        return tokenMatches(i, s, false);
    }

    private boolean tokenIsIgnoreCase(int i, String upper) {
        return tokenMatches(i, upper, true);
    }

    private boolean tokenMatches(int i, String s, boolean ignoreCase) {
        int length = tokEnd[i] - tokStart[i];
        if (length != s.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int c = text[tokStart[i] + k];
            if (ignoreCase && c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    // ---- entries (as ZoneFileParser.entry) ----

    /** A record (a directive is {@link #directive}'s). */
    private void entry() throws Unsupported {
        int i = 0;
        boolean sameOwner;
        if (ownerOmitted) {
            if (!haveOwner) {
                throw new Unsupported("no owner name and no previous owner to repeat");
            }
            sameOwner = true;
        } else {
            if (tokQuoted[0]) {
                throw new Unsupported("quoted owner");
            }
            int s = tokStart[0];
            int e = tokEnd[0];
            sameOwner = haveOwner && origin == lastOwnerOrigin && e - s == lastOwnerEnd - lastOwnerStart
                && java.util.Arrays.equals(text, s, e, text, lastOwnerStart, lastOwnerEnd);
            if (!sameOwner) {
                ownerLength = name(s, e, owner);
            }
            i = 1;
        }
        long ttl = -1;
        int rrClass = -1;
        int type = -1;
        // RFC 1035 §5.1: [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>. Each of TTL and class is taken once,
        // so at most two fields come before the type. commonType has one call site: C2 inlines each site, and this
        // method is compiled during a bulk load (see run()).
        while (i < tokens) {
            type = commonType(i);
            if (type >= 0 || tokQuoted[i]) {
                break;
            }
            if (ttl < 0 && looksLikeTtl(i)) {
                ttl = ttl(i);
                i++;
                continue;
            }
            if (rrClass < 0 && isIn(i)) {
                rrClass = DnsClass.IN;
                i++;
                continue;
            }
            if (rrClass < 0) {
                String tok = tokenText(i);
                if (DnsClass.fromName(tok) >= 0 && RecordType.fromName(tok) < 0) {
                    rrClass = DnsClass.fromName(tok);
                    i++;
                    continue;
                }
            }
            break;
        }
        if (i >= tokens) {
            throw new Unsupported("missing type");
        }
        if (type < 0) {
            type = RecordType.fromName(tokenText(i)); // commonType(i) was -1
        }
        i++;
        if (type < 0 || RecordType.isMetaOrQueryOnly(type)) {
            throw new Unsupported("bad type");
        }
        if (rrClass >= 0 && rrClass != DnsClass.IN) {
            throw new Unsupported("only class IN is served");
        }
        int length = rdata(type, i);
        if (ttl < 0) {
            if (defaultTtl >= 0) {
                ttl = defaultTtl;
            } else if (lastTtl >= 0) {
                ttl = lastTtl;
            } else if (type == RecordType.SOA) {
                int p = length - 4;
                ttl = ((rdata[p] & 0xFFL) << 24) | ((rdata[p + 1] & 0xFFL) << 16) | ((rdata[p + 2] & 0xFFL) << 8)
                    | (rdata[p + 3] & 0xFFL);
            } else {
                throw new Unsupported("no TTL");
            }
        } else {
            lastTtl = ttl;
        }
        if (ttl > TtlParser.MAX_TTL) {
            throw new Unsupported("TTL above 2147483647");
        }
        if (!ownerOmitted) {
            lastOwnerStart = tokStart[0];
            lastOwnerEnd = tokEnd[0];
            lastOwnerOrigin = origin;
        }
        haveOwner = true;
        sink.record(owner, ownerLength, sameOwner, type, ttl, rdata, length);
    }

    private void directive() throws Unsupported {
        if (tokenIsIgnoreCase(0, "$ORIGIN")) {
            if (tokens != 2 || tokQuoted[1]) {
                throw new Unsupported("$ORIGIN usage");
            }
            try {
                origin = DnsName.parse(tokenText(1), origin);
                originWire = origin.wire();
            } catch (IllegalArgumentException e) {
                throw new Unsupported(e.getMessage());
            }
        } else if (tokenIsIgnoreCase(0, "$TTL")) {
            if (tokens != 2 || !looksLikeTtl(1)) {
                throw new Unsupported("$TTL usage");
            }
            long ttl = ttl(1);
            if (ttl > TtlParser.MAX_TTL) {
                throw new Unsupported("$TTL above 2147483647");
            }
            defaultTtl = ttl;
        } else {
            throw new Unsupported("directive " + tokenText(0)); // $INCLUDE, $GENERATE: the slow path has them
        }
    }

    private boolean looksLikeTtl(int i) {
        int s = tokStart[i];
        int e = tokEnd[i];
        if (s == e || text[s] < '0' || text[s] > '9') {
            return false;
        }
        for (int k = s; k < e; k++) {
            byte c = text[k];
            if (!(c >= '0' && c <= '9') && "wdhmsWDHMS".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private long ttl(int i) throws Unsupported {
        long v = 0;
        for (int k = tokStart[i]; k < tokEnd[i]; k++) {
            byte c = text[k];
            if (c < '0' || c > '9') {
                try {
                    return TtlParser.parse(tokenText(i)); // units (1h30m): rare
                } catch (IllegalArgumentException e) {
                    throw new Unsupported(e.getMessage());
                }
            }
            v = v * 10 + (c - '0');
            if (v > 0xFFFFFFFFL) {
                throw new Unsupported("TTL out of range");
            }
        }
        return v;
    }

    private boolean isIn(int i) {
        return tokEnd[i] - tokStart[i] == 2 && (text[tokStart[i]] | 0x20) == 'i' && (text[tokStart[i] + 1] | 0x20) == 'n';
    }

    /** @return the code of a common type named by token {@code i} (any case), or -1 */
    private int commonType(int i) {
        int s = tokStart[i];
        int length = tokEnd[i] - s;
        outer:
        for (int k = 0; k < COMMON_NAMES.length; k++) {
            byte[] n = COMMON_NAMES[k];
            if (n.length != length) {
                continue;
            }
            for (int j = 0; j < length; j++) {
                int c = text[s + j];
                if (c >= 'a' && c <= 'z') {
                    c -= 32;
                }
                if (c != n[j]) {
                    continue outer;
                }
            }
            return COMMON_CODES[k];
        }
        return -1;
    }

    // ---- RDATA ----

    /** Writes the RDATA of tokens {@code i..} into {@link #rdata}; @return its length */
    private int rdata(int type, int i) throws Unsupported {
        int fields = tokens - i;
        boolean plain = fields >= 1 && !tokQuoted[i] && !tokenIs(i, "\\#");
        if (plain && fields == 1) {
            switch (type) {
                case RecordType.A -> {
                    return ipv4(tokStart[i], tokEnd[i]);
                }
                case RecordType.AAAA -> {
                    int n = ipv6(tokStart[i], tokEnd[i]);
                    if (n > 0) {
                        return n;
                    }
                }
                case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR -> {
                    return name(tokStart[i], tokEnd[i], rdata);
                }
                default -> {
                }
            }
        }
        List<ZoneLexer.Token> list = new ArrayList<>(fields);
        for (int k = i; k < tokens; k++) {
            list.add(new ZoneLexer.Token(tokenText(k), tokQuoted[k]));
        }
        byte[] wire;
        try {
            wire = RdataParser.parse(type, list, origin);
        } catch (IllegalArgumentException e) {
            throw new Unsupported(e.getMessage());
        }
        if (wire.length > rdata.length) {
            rdata = new byte[Math.max(wire.length, rdata.length * 2)];
        }
        System.arraycopy(wire, 0, rdata, 0, wire.length);
        return wire.length;
    }

    /** As {@link RdataParser#ipv4}: four decimal octets of one to three digits. */
    private int ipv4(int s, int e) throws Unsupported {
        int p = s;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (p >= e || text[p] != '.') {
                    throw new Unsupported("bad IPv4 address");
                }
                p++;
            }
            int start = p;
            int v = 0;
            while (p < e && p - start < 4 && text[p] >= '0' && text[p] <= '9') {
                v = v * 10 + (text[p] - '0');
                p++;
            }
            if (p == start || p - start > 3 || v > 255) {
                throw new Unsupported("bad IPv4 address");
            }
            rdata[octet] = (byte) v;
        }
        if (p != e) {
            throw new Unsupported("bad IPv4 address");
        }
        return 4;
    }

    /**
     * The plain hexadecimal forms of RFC 4291 §2.2 (groups of 1-4 hex digits, at most one {@code ::}).
     *
     * @return 16, or 0 when the text has another form (embedded IPv4, zone id...) for {@link RdataParser} to judge
     */
    private int ipv6(int s, int e) {
        // Groups before the gap go to rdata[0..], groups after it to rdata[16..] (scratch), moved once at the end.
        int before = 0;
        int after = 0;
        boolean gap = false;
        int p = s;
        if (e - s >= 2 && text[s] == ':' && text[s + 1] == ':') {
            gap = true;
            p = s + 2;
        } else if (p < e && text[p] == ':') {
            return 0;
        }
        while (p < e) {
            int v = 0;
            int digits = 0;
            while (p < e && digits < 5) {
                int d = HEX[text[p]];
                if (d < 0) {
                    break;
                }
                v = (v << 4) | d;
                digits++;
                p++;
            }
            if (digits == 0 || digits > 4 || before + after >= 8) {
                return 0;
            }
            int at = gap ? 16 + 2 * after++ : 2 * before++;
            rdata[at] = (byte) (v >> 8);
            rdata[at + 1] = (byte) v;
            if (p == e) {
                break;
            }
            if (text[p] != ':') {
                return 0;
            }
            p++;
            if (p < e && text[p] == ':') {
                if (gap) {
                    return 0;
                }
                gap = true;
                p++;
            } else if (p == e) {
                return 0;
            }
        }
        if (gap ? before + after > 7 : before != 8) {
            return 0;
        }
        if (gap) {
            System.arraycopy(rdata, 16, rdata, 16 - 2 * after, 2 * after);
            java.util.Arrays.fill(rdata, 2 * before, 16 - 2 * after, (byte) 0);
        }
        // IPv4-mapped (RFC 4291 §2.5.5.2): RdataParser's Inet6Address.ofLiteral makes 4 octets of it; let it judge.
        boolean mapped = rdata[10] == (byte) 0xFF && rdata[11] == (byte) 0xFF;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = rdata[i] == 0;
        }
        return mapped ? 0 : 16;
    }

    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    // ---- names (as DnsName.parse, into a scratch array) ----

    /** Parses the name text at {@code text[s, e)} relative to the current origin into {@code out}; @return its length */
    private int name(int s, int e, byte[] out) throws Unsupported {
        if (s == e) {
            throw new Unsupported("empty name");
        }
        if (e - s == 1 && text[s] == '@') {
            byte[] w = originWire;
            System.arraycopy(w, 0, out, 0, w.length);
            return w.length;
        }
        if (e - s == 1 && text[s] == '.') {
            out[0] = 0;
            return 1;
        }
        byte[] o = nameScratch;
        int n = 1;
        int labelStart = 0;
        o[0] = 0;
        boolean absolute = false;
        int i = s;
        while (i < e) {
            int c = text[i];
            if (c == '.') {
                int labelLength = n - labelStart - 1;
                if (labelLength == 0) {
                    throw new Unsupported("empty label");
                }
                o[labelStart] = (byte) labelLength;
                if (i == e - 1) {
                    absolute = true;
                    break;
                }
                labelStart = n;
                o[n++] = 0;
                i++;
                continue;
            }
            int b;
            if (c == '\\') {
                if (i + 1 >= e) {
                    throw new Unsupported("dangling backslash");
                }
                int d = text[i + 1];
                if (d >= '0' && d <= '9') {
                    if (i + 3 >= e || !isDigit(text[i + 2]) || !isDigit(text[i + 3])) {
                        throw new Unsupported("bad \\DDD escape");
                    }
                    b = (d - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (b > 255) {
                        throw new Unsupported("\\DDD escape above 255");
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
            if (n - labelStart - 1 >= DnsName.MAX_LABEL_LENGTH) {
                throw new Unsupported("label longer than 63 octets");
            }
            if (n >= DnsName.MAX_WIRE_LENGTH + 1) {
                throw new Unsupported("name longer than 255 octets");
            }
            o[n++] = (byte) b;
        }
        if (!absolute) {
            int labelLength = n - labelStart - 1;
            if (labelLength == 0) {
                throw new Unsupported("empty label");
            }
            o[labelStart] = (byte) labelLength;
            byte[] w = originWire;
            if (n + w.length > DnsName.MAX_WIRE_LENGTH) {
                throw new Unsupported("name longer than 255 octets");
            }
            System.arraycopy(o, 0, out, 0, n);
            System.arraycopy(w, 0, out, n, w.length);
            return n + w.length;
        }
        o[n++] = 0;
        if (n > DnsName.MAX_WIRE_LENGTH) {
            throw new Unsupported("name longer than 255 octets");
        }
        System.arraycopy(o, 0, out, 0, n);
        return n;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
