package dev.isthmus.dns.wire;

/** Response codes (RFC 1035 §4.1.1; BADVERS from RFC 6891 §6.1.3 and BADCOOKIE from RFC 7873, carried in the OPT extended RCODE). */
public final class Rcode {
    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    public static final int YXDOMAIN = 6;
    public static final int BADVERS = 16;
    /** RFC 7873 §8: a bad or missing server cookie, extended RCODE 1 with header RCODE 7. */
    public static final int BADCOOKIE = 23;

    private Rcode() {
    }
}
