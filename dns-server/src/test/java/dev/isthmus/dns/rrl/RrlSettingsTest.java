package dev.isthmus.dns.rrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RrlSettingsTest {

    @Test
    void problemsNameTheirField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RrlSettings(-1, 11, 0, 33, 0, List.of("198.18.0.0/30", "nonsense", "10.0.0.0/40")));
        String m = e.getMessage();
        for (String field : List.of("responses-per-second:", "slip:", "window-seconds:", "ipv4-prefix-length:",
                "ipv6-prefix-length:", "exempt[1]:", "exempt[2]:")) {
            assertTrue(m.contains(field), field + " in " + m);
        }
        assertFalse(m.contains("exempt[0]"), m);
    }

    @Test
    void policyMasksClientsAndMatchesExemptPrefixes() {
        RrlPolicy p = new RrlPolicy(new RrlSettings(5, 2, 15, 24, 56,
                List.of("198.18.0.0/30", "2001:db8:1::/48")));
        assertEquals(List.of("198.18.0.0/30", "2001:db8:1::/48"), p.settings().exempt());
        assertEquals(0xC612_0500, p.prefix4(0xC612_0577));
        assertTrue(p.exempt4(0xC612_0003));
        assertFalse(p.exempt4(0xC612_0004));
        assertTrue(p.exempt6(0x2001_0db8_0001_ffffL, 1));
        assertFalse(p.exempt6(0x2001_0db8_0002_0000L, 1));
        assertEquals(0xFFFF_FFFF_FFFF_FF00L, p.mask6High());
        assertEquals(0L, p.mask6Low());
    }
}
