package dev.isthmus.dns.zone;

/** TTLs and SOA timers as BIND, NSD and Knot read them: seconds, or units {@code 1w2d3h4m5s} (case-insensitive). */
final class TtlParser {
    /** RFC 2181 §8: a TTL is an unsigned 31-bit number. */
    static final long MAX_TTL = 0x7FFFFFFFL;

    private TtlParser() {
    }

    /** @return true when {@code text} has the shape of a TTL (so it is not an owner, class or type) */
    static boolean looksLikeTtl(String text) {
        if (text.isEmpty() || !Character.isDigit(text.charAt(0))) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (!Character.isDigit(c) && "wdhms".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    static long parse(String text) {
        if (!looksLikeTtl(text)) {
            throw new IllegalArgumentException("bad TTL '" + text + "'");
        }
        long total = 0;
        long current = 0;
        boolean digits = false;
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (Character.isDigit(c)) {
                current = current * 10 + (c - '0');
                digits = true;
                if (current > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException("TTL out of range '" + text + "'");
                }
                continue;
            }
            if (!digits) {
                throw new IllegalArgumentException("bad TTL '" + text + "'");
            }
            long unit = switch (c) {
                case 'w' -> 604800;
                case 'd' -> 86400;
                case 'h' -> 3600;
                case 'm' -> 60;
                default -> 1;
            };
            total += current * unit;
            current = 0;
            digits = false;
        }
        total += current;
        if (total > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("TTL out of range '" + text + "'");
        }
        return total;
    }
}
