package dev.isthmus.dns.zone;

import java.util.Locale;

/**
 * {@code $GENERATE start-stop[/step] lhs [ttl] [class] type rhs}: BIND's directive for runs of similar records, as
 * NSD and Knot accept it. In {@code lhs} and {@code rhs} (and the other fields) each {@code $} is the iterator in
 * decimal, {@code ${offset[,width[,base]]}} the iterator plus {@code offset}, zero-padded to {@code width}, in base
 * {@code d}, {@code o}, {@code x}, {@code X}, or {@code n}/{@code N} (hexadecimal nibbles, least significant first,
 * dot-separated, for ip6.arpa names), and {@code \$} a literal dollar sign.
 *
 * <p>A range is checked before anything is generated: at most {@link #MAX_RECORDS} per directive, so that a hostile
 * or mistyped range ({@code 0-2147483647}) is a {@code file:line} error, not an exhausted heap.
 */
final class Generate {

    /** Records one {@code $GENERATE} may produce (BIND has no limit; 64 Ki covers a /16 of PTRs ... and stops there). */
    static final int MAX_RECORDS = 65_536;
    /** Iterator values BIND accepts: 0 .. 2^31 - 1. */
    static final long MAX_VALUE = Integer.MAX_VALUE;
    /** Widths beyond this are a typo, and would make one label longer than 63 octets anyway. */
    private static final int MAX_WIDTH = 63;

    /** A parsed {@code start-stop[/step]}. */
    record Range(long start, long stop, long step) {

        long count() {
            return (stop - start) / step + 1;
        }
    }

    private Generate() {
    }

    /** @throws IllegalArgumentException with the reason, when the range is malformed or too large */
    static Range range(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("$GENERATE range '" + text + "' must be start-stop[/step]");
        }
        int slash = text.indexOf('/', dash);
        long start = number(text.substring(0, dash), text);
        long stop = number(slash < 0 ? text.substring(dash + 1) : text.substring(dash + 1, slash), text);
        long step = slash < 0 ? 1 : number(text.substring(slash + 1), text);
        if (stop < start) {
            throw new IllegalArgumentException("$GENERATE range '" + text + "': stop is below start");
        }
        if (step < 1) {
            throw new IllegalArgumentException("$GENERATE range '" + text + "': step must be at least 1");
        }
        Range r = new Range(start, stop, step);
        if (r.count() > MAX_RECORDS) {
            throw new IllegalArgumentException("$GENERATE range '" + text + "' makes " + r.count()
                    + " records, more than " + MAX_RECORDS);
        }
        return r;
    }

    private static long number(String digits, String range) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("$GENERATE range '" + range + "' must be start-stop[/step] with numbers "
                    + "0.." + MAX_VALUE);
        }
        long v = Long.parseLong(digits);
        if (v > MAX_VALUE) {
            throw new IllegalArgumentException("$GENERATE range '" + range + "': " + v + " is above " + MAX_VALUE);
        }
        return v;
    }

    /**
     * {@code template} with the iterator substituted.
     *
     * @throws IllegalArgumentException for a malformed {@code ${...}} or a negative value
     */
    static String substitute(String template, long iterator) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 8);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                out.append(c).append(template.charAt(++i)); // an escape stays for the name or RDATA parser
            } else if (c != '$') {
                out.append(c);
            } else if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("$GENERATE: '${' without '}' in '" + template + "'");
                }
                out.append(modifier(template.substring(i + 2, close), iterator, template));
                i = close;
            } else {
                out.append(iterator);
            }
        }
        return out.toString();
    }

    /** {@code offset[,width[,base]]} applied to the iterator. */
    private static String modifier(String spec, long iterator, String template) {
        String[] parts = spec.split(",", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("$GENERATE: '${" + spec + "}' must be ${offset[,width[,base]]}");
        }
        long value;
        int width = 0;
        try {
            value = iterator + Long.parseLong(parts[0].strip());
            if (parts.length > 1) {
                width = Integer.parseInt(parts[1].strip());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$GENERATE: '${" + spec + "}' in '" + template
                    + "' must be ${offset[,width[,base]]} with numbers");
        }
        if (value < 0) {
            throw new IllegalArgumentException("$GENERATE: '${" + spec + "}' gives " + value + ", below 0");
        }
        if (width < 0 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("$GENERATE: width in '${" + spec + "}' must be 0.." + MAX_WIDTH);
        }
        String base = parts.length > 2 ? parts[2].strip() : "d";
        String digits = switch (base) {
            case "d" -> Long.toString(value);
            case "o" -> Long.toOctalString(value);
            case "x" -> Long.toHexString(value);
            case "X" -> Long.toHexString(value).toUpperCase(Locale.ROOT);
            case "n", "N" -> nibbles(value, width, base.equals("N"));
            default -> throw new IllegalArgumentException("$GENERATE: base '" + base + "' in '${" + spec
                    + "}' must be d, o, x, X, n or N");
        };
        if (base.equals("n") || base.equals("N")) {
            return digits;
        }
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /**
     * Hexadecimal nibbles least significant first, each followed by a dot but the last: 0x2a with width 3 is
     * {@code a.2}; the width counts output characters, padded with zero nibbles, as BIND.
     */
    private static String nibbles(long value, int width, boolean upper) {
        String hex = Long.toHexString(value);
        int count = Math.max(hex.length(), (width + 1) / 2);
        StringBuilder out = new StringBuilder(count * 2);
        for (int k = 0; k < count; k++) {
            char d = k < hex.length() ? hex.charAt(hex.length() - 1 - k) : '0';
            if (k > 0) {
                out.append('.');
            }
            out.append(upper ? Character.toUpperCase(d) : d);
        }
        return out.toString();
    }
}
