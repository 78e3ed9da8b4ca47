package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void ipv6IsWrittenInRfc5952Form() {
        assertEquals("2001:db8::53/64", IpPrefix.parse("2001:0DB8:0:0:0:0:0:53/64").toString());
        assertEquals("2001:db8:0:1::1/64", IpPrefix.parse("2001:db8:0:1:0:0:0:1/64").toString());
        assertEquals("2001:0:0:1::1/128", IpPrefix.parse("2001:0:0:1:0:0:0:1/128").toString(), "the longer run wins");
        assertEquals("2001:db8:0:1:1:1:1:1/64", IpPrefix.parse("2001:db8::1:1:1:1:1/64").toString(), "one zero group stays");
        assertEquals("::1/128", IpPrefix.parse("::1/128").toString());
        assertEquals("fe80::/10", IpPrefix.parse("fe80::/10").toString());
        assertEquals("198.18.0.53/24", IpPrefix.parse("198.18.0.53/24").toString());
    }

    @Test
    void refusesWhatIsNotAPrefix() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.53"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.53/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.test/24"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("2001:db8::/129"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.53/x"));
    }
}
