package dev.isthmus.dns.edns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The server cookie construction against the test vectors of RFC 9018 Appendix A. */
class ServerCookiesTest {

    private static final CookieSecrets A1_SECRET = CookieSecrets.of("e5e973e5a6b2a43f48e7dc849e37bfcf", "");

    private static long word(String hex, int at) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex)).getLong(at);
    }

    private static ServerCookies client(String address) throws Exception {
        ServerCookies c = new ServerCookies();
        ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName(address).getAddress());
        if (b.capacity() == 4) {
            c.client4(b.getInt());
        } else {
            c.client6(b.getLong(), b.getLong());
        }
        return c;
    }

    private static String made(ServerCookies c, String clientCookie, CookieSecrets s, int now) {
        long[] cookie = c.serverCookieFor(word(clientCookie, 0), s, now);
        return "%016x%016x".formatted(cookie[0], cookie[1]);
    }

    private static boolean accepts(ServerCookies c, String option, CookieSecrets s, int now) {
        return c.accepts(word(option, 0), word(option, 8), word(option, 16), s, now);
    }

    @Test
    void a1LearningANewServerCookie() throws Exception {
        assertEquals("010000005cf79f111f8130c3eee29480",
                made(client("198.51.100.100"), "2464c4abcf10c957", A1_SECRET, 1559731985));
    }

    @Test
    void a2TheSameClientRenewsItsCookie() throws Exception {
        ServerCookies c = client("198.51.100.100");
        assertTrue(accepts(c, "2464c4abcf10c957010000005cf79f111f8130c3eee29480", A1_SECRET, 1559734385),
                "the cookie of A.1, 40 minutes later");
        assertEquals("010000005cf7a871d4a564a1442aca77", made(c, "2464c4abcf10c957", A1_SECRET, 1559734385));
    }

    @Test
    void a3AnotherClientWithReservedOctetsSetAndAnExpiredCookie() throws Exception {
        ServerCookies c = client("203.0.113.203");
        String sent = "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5";
        assertTrue(accepts(c, sent, A1_SECRET, 0x5cf78f71 + 10), "reserved octets are hashed as sent");
        assertFalse(accepts(c, sent, A1_SECRET, 1559734700), "1h52m later: expired (RFC 9018 §4.3)");
        assertFalse(accepts(client("203.0.113.204"), sent, A1_SECRET, 0x5cf78f71 + 10), "another address");
        assertEquals("010000005cf7a9acf73a7810aca2381e", made(c, "fc93fc62807ddb86", A1_SECRET, 1559734700));
    }

    @Test
    void a4AnIpv6ClientAfterTheSecretWasRotated() throws Exception {
        ServerCookies c = client("2001:db8:220:1:59de:d0f4:8769:82b8");
        String sent = "22681ab97d52c298010000005cf7c57926556bd0934c72f8";
        CookieSecrets rotated = CookieSecrets.of("445536bcd2513298075a5d379663c962",
                "dd3bdf9344b678b185a6f5cb60fca715");
        assertTrue(accepts(c, sent, rotated, 1559741961), "made with the previous secret, still accepted");
        assertFalse(accepts(c, sent, CookieSecrets.of("445536bcd2513298075a5d379663c962", ""), 1559741961),
                "not once the previous secret is dropped");
        assertEquals("010000005cf7c609a6bb79d16625507a", made(c, "22681ab97d52c298", rotated, 1559741961));
    }

    @Test
    void timestampsFiveMinutesAheadAreAcceptedAndNoFurther() throws Exception {
        ServerCookies c = client("198.51.100.100");
        String sent = "2464c4abcf10c957010000005cf79f111f8130c3eee29480";
        assertTrue(accepts(c, sent, A1_SECRET, 1559731985 - 300));
        assertFalse(accepts(c, sent, A1_SECRET, 1559731985 - 301));
        assertTrue(accepts(c, sent, A1_SECRET, 1559731985 + 3600));
        assertFalse(accepts(c, sent, A1_SECRET, 1559731985 + 3601));
    }

    @Test
    void secretsMustBe128BitsOfHex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CookieSecrets.of("abc", ""));
        assertTrue(e.getMessage().startsWith("secret:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CookieSecrets.of("", "zz3bdf9344b678b185a6f5cb60fca715"));
        assertTrue(e.getMessage().startsWith("previous-secret:"), e.getMessage());
        assertTrue(CookieSecrets.of("", "").enabled(), "a random secret");
    }
}
