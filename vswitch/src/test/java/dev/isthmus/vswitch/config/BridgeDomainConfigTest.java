package dev.isthmus.vswitch.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeDomainConfigTest {

    @Test
    void vtepLearningIsOffByDefaultWithABoundedLimit() {
        final BridgeDomainConfig domain = BridgeDomainConfig.of(100);
        assertFalse(domain.learnVteps());
        assertEquals(BridgeDomainConfig.DEFAULT_MAX_LEARNED_VTEPS, domain.maxLearnedVteps());
        final BridgeDomainConfig learning = domain.withVtepLearning(true, 8);
        assertTrue(learning.learnVteps());
        assertEquals(8, learning.maxLearnedVteps());
        // Other withers keep the learning settings.
        assertTrue(learning.withSettings(10, 60, false).learnVteps());
        assertEquals(8, learning.withVtep(VtepAddress.parse("198.18.0.2")).withName("x").maxLearnedVteps());
    }

    @Test
    void maxLearnedVtepsOutOfRangeIsRefusedWithTheReason() {
        for (int bad : new int[] {0, -1, BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT + 1}) {
            VswitchConfigException e = assertThrows(VswitchConfigException.class,
                    () -> BridgeDomainConfig.of(7).withVtepLearning(true, bad));
            assertEquals(VswitchConfigException.Kind.INVALID, e.kind());
            assertEquals("VNI 7: max-learned-vteps must be in [1, " + BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT
                    + "]: " + bad, e.getMessage());
        }
        // Also validated with learning off, so a later switch-on cannot meet a bad limit.
        assertThrows(VswitchConfigException.class, () -> new BridgeDomainConfig(7, "", List.of(), List.of(), List.of(),
                List.of(), 10, 60, true, false, 0));
        assertEquals(BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT,
                BridgeDomainConfig.of(7).withVtepLearning(true, BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT).maxLearnedVteps());
    }
}
