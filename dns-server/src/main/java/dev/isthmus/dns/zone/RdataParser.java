package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataShape;
import dev.isthmus.dns.wire.RecordType;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Converts the presentation form of RDATA (RFC 1035 §5.1 and each type's RFC) into uncompressed wire form.
 * Unknown types and the generic form of any type use RFC 3597 §5 ({@code \# length hex}).
 * Every failure is an {@link IllegalArgumentException} whose message names the offending field.
 */
final class RdataParser {
    private RdataParser() {
    }

    static byte[] parse(int type, List<ZoneLexer.Token> fields, DnsName origin) {
        if (!fields.isEmpty() && !fields.get(0).quoted() && fields.get(0).text().equals("\\#")) {
            return generic(type, fields);
        }
        Fields f = new Fields(fields, origin);
        Out out = new Out();
        switch (type) {
            case RecordType.A -> out.bytes(ipv4(f.next("address")));
            case RecordType.AAAA -> out.bytes(ipv6(f.next("address")));
            case RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.PTR -> out.name(f.name("target"));
            case RecordType.MX -> {
                out.u16(f.u16("preference"));
                out.name(f.name("exchange"));
            }
            case RecordType.SOA -> {
                out.name(f.name("MNAME"));
                out.name(f.name("RNAME"));
                out.u32(f.u32("serial"));
                for (String field : new String[] {"refresh", "retry", "expire", "minimum"}) {
                    out.u32(TtlParser.parse(f.next(field)));
                }
            }
            case RecordType.TXT -> {
                do {
                    out.characterString(f.nextRaw("text"));
                } while (f.hasMore());
            }
            case RecordType.HINFO -> {
                out.characterString(f.nextRaw("CPU"));
                out.characterString(f.nextRaw("OS"));
            }
            case RecordType.SRV -> {
                out.u16(f.u16("priority"));
                out.u16(f.u16("weight"));
                out.u16(f.u16("port"));
                out.name(f.name("target"));
            }
            case RecordType.NAPTR -> {
                out.u16(f.u16("order"));
                out.u16(f.u16("preference"));
                out.characterString(f.nextRaw("flags"));
                out.characterString(f.nextRaw("services"));
                out.characterString(f.nextRaw("regexp"));
                out.name(f.name("replacement"));
            }
            case RecordType.CAA -> {
                out.u8(f.u8("flags"));
                String tag = f.next("tag");
                if (tag.isEmpty() || tag.length() > 15 || !tag.chars().allMatch(Character::isLetterOrDigit)) {
                    throw new IllegalArgumentException("CAA tag must be 1-15 letters or digits (RFC 8659 §4.1)");
                }
                out.u8(tag.length());
                out.bytes(tag.getBytes(StandardCharsets.US_ASCII));
                out.bytes(decodeString(f.nextRaw("value")));
            }
            case RecordType.SSHFP -> {
                out.u8(f.u8("algorithm"));
                out.u8(f.u8("fingerprint type"));
                out.bytes(hex(f.rest("fingerprint")));
            }
            case RecordType.TLSA -> {
                out.u8(f.u8("usage"));
                out.u8(f.u8("selector"));
                out.u8(f.u8("matching type"));
                out.bytes(hex(f.rest("certificate data")));
            }
            case RecordType.DS, RecordType.CDS -> { // CDS has DS's format (RFC 7344 §3.1)
                out.u16(f.u16("key tag"));
                out.u8(f.u8("algorithm"));
                out.u8(f.u8("digest type"));
                out.bytes(hex(f.rest("digest")));
            }
            case RecordType.DNSKEY, RecordType.CDNSKEY -> { // CDNSKEY has DNSKEY's format (RFC 7344 §3.2)
                out.u16(f.u16("flags"));
                out.u8(f.u8("protocol"));
                out.u8(f.u8("algorithm"));
                out.bytes(base64(f.rest("public key")));
            }
            case RecordType.RRSIG -> {
                String covered = f.next("type covered");
                int coveredType = RecordType.fromName(covered);
                if (coveredType < 0) {
                    throw new IllegalArgumentException("unknown type covered '" + covered + "'");
                }
                out.u16(coveredType);
                out.u8(f.u8("algorithm"));
                out.u8(f.u8("labels"));
                out.u32(f.u32("original TTL"));
                out.u32(time(f.next("signature expiration")));
                out.u32(time(f.next("signature inception")));
                out.u16(f.u16("key tag"));
                out.name(f.name("signer's name"));
                out.bytes(base64(f.rest("signature")));
            }
            case RecordType.NSEC -> {
                out.name(f.name("next domain name"));
                out.bytes(typeBitmap(f));
            }
            case RecordType.NSEC3 -> {
                nsec3Parameters(f, out);
                byte[] next = base32Hex(f.next("next hashed owner name"));
                out.u8(next.length);
                out.bytes(next);
                out.bytes(typeBitmap(f));
            }
            case RecordType.NSEC3PARAM -> nsec3Parameters(f, out);
            default -> throw new IllegalArgumentException(
                "type " + RecordType.name(type) + " needs the RFC 3597 generic form: \\# <length> <hex>");
        }
        if (f.hasMore()) {
            throw new IllegalArgumentException("unexpected text after " + RecordType.name(type) + " data: '"
                + f.peek() + "'");
        }
        byte[] wire = out.toByteArray();
        if (wire.length > 0xFFFF) {
            throw new IllegalArgumentException("RDATA longer than 65535 octets");
        }
        return wire;
    }

    /** RFC 5155 §3.2 / §4.2: hash algorithm, flags, iterations and salt, which NSEC3 and NSEC3PARAM share. */
    private static void nsec3Parameters(Fields f, Out out) {
        out.u8(f.u8("hash algorithm"));
        out.u8(f.u8("flags"));
        out.u16(f.u16("iterations"));
        byte[] salt = salt(f.next("salt"));
        out.u8(salt.length);
        out.bytes(salt);
    }

    /**
     * RFC 3597 §5: {@code \# <length> <hex...>}; the length must match the data, and for a type we know the data
     * must be valid RDATA of that type.
     */
    private static byte[] generic(int type, List<ZoneLexer.Token> fields) {
        if (fields.size() < 2) {
            throw new IllegalArgumentException("\\# needs a length");
        }
        int length;
        try {
            length = Integer.parseInt(fields.get(1).text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad RFC 3597 length '" + fields.get(1).text() + "'");
        }
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("RFC 3597 length out of range: " + length);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i < fields.size(); i++) {
            sb.append(fields.get(i).text());
        }
        byte[] data = length == 0 && sb.isEmpty() ? new byte[0] : hex(sb.toString());
        if (data.length != length) {
            throw new IllegalArgumentException("RFC 3597 length " + length + " but " + data.length + " octets of data");
        }
        // RFC 3597 §5: an RR of known type in \# form is unknown only to the text parser; "all further processing
        // by the server MUST treat it as a known type". The server reads it by that type's layout (SOA MINIMUM,
        // embedded names, NSEC3 parameters), so bytes that do not fit the layout are a zone error here.
        String problem = RdataShape.problem(type, data);
        if (problem != null) {
            throw new IllegalArgumentException("RFC 3597 §5 generic form is not valid " + problem);
        }
        return data;
    }

    static byte[] ipv4(String text) {
        // Four decimal octets of one to three digits, 0..255, dot-separated; nothing else (no leading '+', no
        // shorthand forms inet_aton accepts).
        byte[] out = new byte[4];
        int n = text.length();
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= n || text.charAt(i) != '.') {
                    throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
                }
                i++;
            }
            int start = i;
            int v = 0;
            while (i < n && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || i - start > 3 || v > 255) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
            }
            out[octet] = (byte) v;
        }
        if (i != n) {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
        }
        return out;
    }

    static byte[] ipv6(String text) {
        if (!text.contains(":") || text.contains("%") || text.startsWith("[")) {
            throw new IllegalArgumentException("bad IPv6 address '" + text + "'");
        }
        try {
            // ofLiteral never resolves names (JDK 22+). It gives an IPv4-mapped literal (::ffff:a.b.c.d) back as an
            // Inet4Address, four octets; an AAAA's RDATA is always the sixteen (RFC 3596 §2.2, RFC 4291 §2.5.5.2).
            byte[] address = Inet6Address.ofLiteral(text).getAddress();
            if (address.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(address, 0, mapped, 12, 4);
                return mapped;
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad IPv6 address '" + text + "'");
        }
    }

    /** RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC, or seconds since the epoch (serial arithmetic, RFC 1982). */
    private static long time(String text) {
        if (text.length() == 14 && text.chars().allMatch(Character::isDigit)) {
            try {
                LocalDateTime t = LocalDateTime.parse(text, DateTimeFormatter.ofPattern("uuuuMMddHHmmss"));
                return t.toEpochSecond(ZoneOffset.UTC) & 0xFFFFFFFFL;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("bad signature time '" + text + "'");
            }
        }
        return Fields.number(text, "signature time", 0xFFFFFFFFL);
    }

    private static byte[] salt(String text) {
        if (text.equals("-")) {
            return new byte[0];
        }
        byte[] salt = hex(text);
        if (salt.length > 255) {
            throw new IllegalArgumentException("salt longer than 255 octets");
        }
        return salt;
    }

    static byte[] hex(String text) {
        if (text.isEmpty() || (text.length() & 1) != 0) {
            throw new IllegalArgumentException("bad hex '" + text + "'");
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad hex '" + text + "'");
        }
    }

    private static byte[] base64(String text) {
        try {
            byte[] b = Base64.getDecoder().decode(text);
            if (b.length == 0) {
                throw new IllegalArgumentException("empty base64 data");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 data");
        }
    }

    /** RFC 4648 §7 "base32hex" without padding, as NSEC3 uses it (RFC 5155 §3.3). */
    private static byte[] base32Hex(String text) {
        String alphabet = "0123456789abcdefghijklmnopqrstuv";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("bad base32hex '" + text + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        if (out.size() == 0 || out.size() > 255) {
            throw new IllegalArgumentException("bad next hashed owner name '" + text + "'");
        }
        return out.toByteArray();
    }

    /** RFC 4034 §4.1.2: window blocks of a bit per type present. */
    private static byte[] typeBitmap(Fields f) {
        TreeSet<Integer> types = new TreeSet<>();
        while (f.hasMore()) {
            String t = f.next("type");
            int code = RecordType.fromName(t);
            if (code < 0) {
                throw new IllegalArgumentException("unknown type '" + t + "' in type bitmap");
            }
            types.add(code);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int window = -1;
        byte[] bits = new byte[32];
        int used = 0;
        for (int t : types) {
            int w = t >> 8;
            if (w != window) {
                if (window >= 0) {
                    out.write(window);
                    out.write(used);
                    out.write(bits, 0, used);
                }
                window = w;
                bits = new byte[32];
                used = 0;
            }
            int low = t & 0xFF;
            bits[low >> 3] |= (byte) (0x80 >> (low & 7));
            used = Math.max(used, (low >> 3) + 1);
        }
        if (window >= 0) {
            out.write(window);
            out.write(used);
            out.write(bits, 0, used);
        }
        return out.toByteArray();
    }

    /**
     * RFC 1035 §5.1 character-string contents: {@code \X} is X, {@code \DDD} is the octet DDD, other characters
     * are their UTF-8 octets.
     */
    static byte[] decodeString(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("dangling backslash in '" + text + "'");
                }
                char d = text.charAt(i + 1);
                if (d >= '0' && d <= '9') {
                    if (i + 3 >= text.length()) {
                        throw new IllegalArgumentException("bad \\DDD escape in '" + text + "'");
                    }
                    String ddd = text.substring(i + 1, i + 4);
                    if (!ddd.chars().allMatch(Character::isDigit) || Integer.parseInt(ddd) > 255) {
                        throw new IllegalArgumentException("bad \\DDD escape in '" + text + "'");
                    }
                    out.write(Integer.parseInt(ddd));
                    i += 4;
                } else {
                    byte[] b = String.valueOf(d).getBytes(StandardCharsets.UTF_8);
                    out.write(b, 0, b.length);
                    i += 2;
                }
            } else {
                int cp = text.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }

    /** Cursor over the RDATA fields of one record. */
    private static final class Fields {
        private final List<ZoneLexer.Token> tokens;
        private final DnsName origin;
        private int i;

        Fields(List<ZoneLexer.Token> tokens, DnsName origin) {
            this.tokens = tokens;
            this.origin = origin;
        }

        boolean hasMore() {
            return i < tokens.size();
        }

        String peek() {
            return tokens.get(i).text();
        }

        String next(String what) {
            if (!hasMore()) {
                throw new IllegalArgumentException("missing " + what);
            }
            return tokens.get(i++).text();
        }

        /** A field that may be quoted: the raw text, escapes still in it. */
        String nextRaw(String what) {
            return next(what);
        }

        String rest(String what) {
            if (!hasMore()) {
                throw new IllegalArgumentException("missing " + what);
            }
            StringBuilder sb = new StringBuilder();
            while (hasMore()) {
                sb.append(tokens.get(i++).text());
            }
            return sb.toString();
        }

        DnsName name(String what) {
            String text = next(what);
            try {
                return DnsName.parse(text, origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage());
            }
        }

        int u8(String what) {
            return (int) number(next(what), what, 0xFF);
        }

        int u16(String what) {
            return (int) number(next(what), what, 0xFFFF);
        }

        long u32(String what) {
            return number(next(what), what, 0xFFFFFFFFL);
        }

        static long number(String text, String what, long max) {
            if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad " + what + " '" + text + "'");
            }
            long v = Long.parseLong(text);
            if (v > max) {
                throw new IllegalArgumentException(what + " " + v + " above " + max);
            }
            return v;
        }
    }

    /** Growable big-endian output (RFC 1035 §2.3.2: network order). */
    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        void u8(int v) {
            buf.write(v);
        }

        void u16(int v) {
            buf.write(v >>> 8);
            buf.write(v);
        }

        void u32(long v) {
            buf.write((int) (v >>> 24));
            buf.write((int) (v >>> 16));
            buf.write((int) (v >>> 8));
            buf.write((int) v);
        }

        void bytes(byte[] b) {
            buf.write(b, 0, b.length);
        }

        void name(DnsName n) {
            bytes(n.wire());
        }

        /** RFC 1035 §3.3: a length octet then at most 255 octets. */
        void characterString(String text) {
            byte[] b = decodeString(text);
            if (b.length > 255) {
                throw new IllegalArgumentException("character-string longer than 255 octets (" + b.length + ")");
            }
            u8(b.length);
            bytes(b);
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }
}
