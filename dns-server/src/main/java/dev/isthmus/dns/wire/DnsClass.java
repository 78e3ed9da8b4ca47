package dev.isthmus.dns.wire;

/** CLASS codes (RFC 1035 §3.2.4, RFC 6895 §3.2). */
public final class DnsClass {
    public static final int IN = 1;
    public static final int CH = 3;
    public static final int HS = 4;
    public static final int NONE = 254;
    public static final int ANY = 255;

    private DnsClass() {
    }

    /** @return the class code for {@code IN}, {@code CH}, {@code HS} or RFC 3597 {@code CLASSnnn}, or -1 */
    public static int fromName(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        switch (upper) {
            case "IN": return IN;
            case "CH": return CH;
            case "HS": return HS;
            default:
                if (upper.startsWith("CLASS") && upper.length() > 5 && upper.length() <= 10) {
                    try {
                        int v = Integer.parseInt(upper.substring(5));
                        return v <= 0xFFFF ? v : -1;
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
                return -1;
        }
    }
}
