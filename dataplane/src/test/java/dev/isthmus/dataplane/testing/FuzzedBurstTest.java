package dev.isthmus.dataplane.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.pipeline.PacketFrame;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fuzz harness's properties fail on the stage bugs they are meant to catch. */
class FuzzedBurstTest {
    private static final FuzzedBurst BURST = new FuzzedBurst("fuzzburst", 2);
    private static final byte[] TWO_FRAMES = FuzzedBurst.encode(1, 0, List.of(new byte[60], new byte[64]));

    @AfterAll
    static void close() {
        BURST.close();
    }

    @Test
    void aStageThatDecidesCleanlyPasses() {
        PacketFrame f = BURST.run(TWO_FRAMES, frame -> {
            frame.transmitBack(0);
            frame.drop(1, 0);
        });
        assertEquals(2, f.size());
        assertEquals(PacketFrame.TRANSMIT, f.kind(0));
        assertEquals(1, f.target(0));
    }

    @Test
    void aLeakedMbufFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> BURST.run(TWO_FRAMES, frame -> frame.consume(0)));
        assertTrue(e.getMessage().contains("a leak"), e.getMessage());
    }

    @Test
    void aDoubleFreeFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> BURST.run(TWO_FRAMES, frame -> {
            // Hands the mbuf back to the emitter (which frees it) but leaves it in the burst too.
            frame.transmitNew(frame.burst().mbuf(0), 0);
        }));
        assertTrue(e.getMessage().contains("a double free"), e.getMessage());
    }

    @Test
    void invalidVerdictsFail() {
        assertThrows(AssertionError.class, () -> BURST.run(TWO_FRAMES, frame -> frame.transmit(0, 7)));
        assertThrows(AssertionError.class, () -> BURST.run(TWO_FRAMES, frame -> frame.drop(0, 0xFFFFF)));
        assertThrows(AssertionError.class, () -> BURST.run(TWO_FRAMES, frame -> frame.burst().take(1)));
    }
}
