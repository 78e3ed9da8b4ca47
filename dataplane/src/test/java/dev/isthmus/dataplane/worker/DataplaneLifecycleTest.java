package dev.isthmus.dataplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PortForwardStage;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workers over net_null ports: forwarding, counters, a failing stage, stop and restart, no mbuf leak. */
class DataplaneLifecycleTest {

    @BeforeAll
    static void eal() {
        Eal.shared();
    }

    private static DataplaneConfig twoNullPorts(String name) {
        return TestDataplanes.oneLcore(name, List.of(
                PortConfig.of("a", "net_null" + TestDataplanes.uniqueName(""), "size=64"),
                PortConfig.of("b", "net_null" + TestDataplanes.uniqueName(""), "size=64")));
    }

    @Test
    void forwardsBetweenNullPortsStopsRestartsAndReturnsEveryMbuf() {
        DataplaneConfig config = twoNullPorts(TestDataplanes.uniqueName("fw"));
        try (Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(new PortForwardStage(
                PortForwardStage.pairedPorts(2), true)))) {
            assertTrue(TestDataplanes.await(() -> dp.counters().total(LcoreCounters.Lcore.TX_PACKETS) > 100_000, 20_000));
            assertTrue(dp.isPolling());
            dp.stop();
            assertFalse(dp.isPolling());
            CounterSnapshot stopped = dp.counters();
            assertEquals(dp.mempool().size(), dp.mempool().available(), "every mbuf back in the pool after stop");
            long rx = stopped.total(LcoreCounters.Lcore.RX_PACKETS);
            long accounted = stopped.total(LcoreCounters.Lcore.TX_PACKETS) + stopped.total(LcoreCounters.Lcore.DROPPED);
            assertEquals(rx, accounted, "every received packet was sent or counted as dropped: " + stopped.drops());
            assertEquals(rx, stopped.inputPackets("a:0") + stopped.inputPackets("b:0"));
            long txA = stopped.portTx().get(0)[0];
            long txB = stopped.portTx().get(1)[0];
            assertTrue(txA <= stopped.inputPackets("b:0") && txB <= stopped.inputPackets("a:0"),
                    "a port sends at most what its peer received");
            assertEquals(rx, txA + txB + stopped.total(LcoreCounters.Lcore.DROPPED));
            assertEquals(txA, dp.portStats().get("a").txPackets(), "our TX count is the port's");
            assertEquals(stopped.inputPackets("a:0"), dp.portStats().get("a").rxPackets(), "our RX count is the port's");

            dp.start();
            long before = stopped.total(LcoreCounters.Lcore.TX_PACKETS);
            assertTrue(TestDataplanes.await(() -> dp.counters().total(LcoreCounters.Lcore.TX_PACKETS) > before + 10_000,
                    20_000), "forwards again after restart");
            dp.stop();
            assertEquals(dp.mempool().size(), dp.mempool().available());
        }
    }

    @Test
    void aWorkerThatCannotStartFailsStartupAndUndoesIt() {
        String device = "net_null" + TestDataplanes.uniqueName("");
        DataplaneConfig config = dev.isthmus.dataplane.config.DataplaneConfig.of(TestDataplanes.uniqueName("bad"),
                dev.isthmus.dataplane.config.EalConfig.virtual(), dev.isthmus.dataplane.config.MempoolConfig.of(8191),
                List.of(PortConfig.of("a", device, "")), List.of(new dev.isthmus.dataplane.config.LcoreConfig(4095,
                        List.of(new dev.isthmus.dataplane.config.QueueRef("a", 0)))));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Dataplane.start(config, lcore -> Pipeline.of()));
        assertTrue(e.getMessage().contains("lcore0 could not start") && e.getMessage().contains("cpu 4095"),
                e.getMessage());
        // The port was closed again: its device name is free for the next dataplane.
        DataplaneConfig again = TestDataplanes.oneLcore(TestDataplanes.uniqueName("ok"), List.of(PortConfig.of("a", device, "")));
        try (Dataplane dp = Dataplane.start(again, lcore -> Pipeline.of())) {
            assertTrue(dp.isPolling());
        }
    }

    @Test
    void aThrowingStageCostsItsBurstOnlyAndIsCounted() {
        DataplaneConfig config = twoNullPorts(TestDataplanes.uniqueName("th"));
        AtomicInteger calls = new AtomicInteger();
        PacketStage flaky = frame -> {
            if (calls.incrementAndGet() % 3 == 0) {
                frame.transmit(0, 1);
                throw new IllegalStateException("stage bug (deliberate, from the test)");
            }
        };
        try (Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(flaky,
                new PortForwardStage(PortForwardStage.pairedPorts(2), false)))) {
            assertTrue(TestDataplanes.await(() -> dp.counters().total(LcoreCounters.Lcore.STAGE_FAILURES) > 100
                    && dp.counters().total(LcoreCounters.Lcore.TX_PACKETS) > 10_000, 20_000));
            assertTrue(dp.isPolling(), "the worker survives its stage's exceptions");
            dp.stop();
            CounterSnapshot s = dp.counters();
            assertEquals(s.total(LcoreCounters.Lcore.STAGE_FAILURES) * 32, s.drops(DataplaneDrop.STAGE_FAILED),
                    "each failure drops its whole (full, 32-packet) burst");
            assertEquals(dp.mempool().size(), dp.mempool().available());
        }
    }
}
