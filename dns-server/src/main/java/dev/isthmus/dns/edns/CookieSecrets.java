package dev.isthmus.dns.edns;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server-cookie secrets in force (RFC 9018 §4.4: SipHash-2-4 keyed with a 128-bit secret), immutable. Cookies
 * are made with {@code current}; a cookie made with {@code previous} is still accepted, so a secret can be rotated
 * (RFC 9018 §5: new secret in, old one kept as previous, for at least the cookies' lifetime of one hour) without
 * every client's next query looking forged.
 */
public final class CookieSecrets {

    /** Cookies off: the COOKIE option is ignored, as before. */
    public static final CookieSecrets OFF = new CookieSecrets(false, new byte[16], null);

    private final boolean enabled;
    final long k0;
    final long k1;
    final boolean hasPrevious;
    final long p0;
    final long p1;

    private CookieSecrets(boolean enabled, byte[] current, byte[] previous) {
        this.enabled = enabled;
        ByteBuffer c = ByteBuffer.wrap(current).order(ByteOrder.LITTLE_ENDIAN);
        this.k0 = c.getLong();
        this.k1 = c.getLong();
        this.hasPrevious = previous != null;
        ByteBuffer p = ByteBuffer.wrap(previous == null ? new byte[16] : previous).order(ByteOrder.LITTLE_ENDIAN);
        this.p0 = p.getLong();
        this.p1 = p.getLong();
    }

    /**
     * @param secret   32 hex digits, or empty for a random one (then cookies do not survive a restart, and boxes of
     *                 an anycast fleet do not accept each other's: give them one secret)
     * @param previous 32 hex digits or empty: the secret before the last rotation, still accepted
     * @throws IllegalArgumentException naming {@code secret} or {@code previous-secret} when not 32 hex digits
     */
    public static CookieSecrets of(String secret, String previous) {
        byte[] current = secret.isEmpty() ? random() : parse("secret", secret);
        return new CookieSecrets(true, current, previous.isEmpty() ? null : parse("previous-secret", previous));
    }

    /** @return true when server cookies are made and checked */
    public boolean enabled() {
        return enabled;
    }

    /** @return why {@code hex} is not a secret, or null when it is one (or empty) */
    public static String problem(String hex) {
        if (hex.isEmpty()) {
            return null;
        }
        if (hex.length() != 32 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            return "must be 32 hexadecimal digits (128 bits, RFC 9018 §4.4), e.g. e5e973e5a6b2a43f48e7dc849e37bfcf";
        }
        return null;
    }

    private static byte[] parse(String field, String hex) {
        String problem = problem(hex);
        if (problem != null) {
            throw new IllegalArgumentException(field + ": " + problem);
        }
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
