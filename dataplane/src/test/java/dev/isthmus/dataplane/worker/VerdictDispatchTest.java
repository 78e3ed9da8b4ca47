package dev.isthmus.dataplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.DropReason;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mixed verdicts in every burst — transmit, punt, drop with a network function's own reason — from a finite pcap:
 * each packet is accounted for exactly once, partial TX bursts leave on the drain timer while the worker runs, and
 * every mbuf returns to the pool.
 */
class VerdictDispatchTest {

    /** A network function's own drop reasons, as DNS or VxLAN declare theirs. */
    enum TestDrop implements DropReason {
        EVERY_THIRD("the test drops every third packet");

        private final String description;

        TestDrop(String description) {
            this.description = description;
        }

        @Override
        public String description() {
            return description;
        }
    }

    private static final int PACKETS = 1003;

    @BeforeAll
    static void eal() {
        Eal.shared();
    }

    @Test
    void transmitPuntAndDropAreEachCarriedOutOnce() throws Exception {
        Path pcap = Files.createTempFile("isthmus-mixed", ".pcap");
        try {
            assertEquals(List.of(Integer.toString(PACKETS)), Scapy.run("from scapy.all import *\n"
                    + "frames = [Ether()/IP(src='198.18.0.1', dst='198.18.0.2')/UDP()/Raw(bytes([i % 3]))"
                    + " for i in range(" + PACKETS + ")]\n"
                    + "wrpcap('" + pcap + "', frames)\nprint(len(frames))\n"));
            PortConfig source = PortConfig.of("in", "net_pcap" + TestDataplanes.uniqueName(""), "rx_pcap=" + pcap);
            PortConfig out = PortConfig.of("out", "net_null" + TestDataplanes.uniqueName(""), "no-rx=1");
            PortConfig kernel = PortConfig.of("kernel", "net_null" + TestDataplanes.uniqueName(""), "no-rx=1");
            DataplaneConfig config = DataplaneConfig.of(TestDataplanes.uniqueName("mix"), EalConfig.virtual(),
                    MempoolConfig.of(8191), List.of(source, out, kernel), List.of(new LcoreConfig(-1, List.of(
                            new QueueRef("in", 0), new QueueRef("out", 0), new QueueRef("kernel", 0)))))
                    .withPuntPort("kernel");
            PacketStage mixed = frame -> {
                for (int i = 0; i < frame.size(); i++) {
                    switch (PacketMemory.u8(frame.address(i) + 14 + 20 + 8)) {
                        case 0 -> frame.transmit(i, 1);
                        case 1 -> frame.punt(i);
                        default -> frame.drop(i, TestDrop.EVERY_THIRD);
                    }
                }
            };
            int thirds = (PACKETS + 2) / 3;
            try (Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(mixed))) {
                // The last partial bursts can only leave through the drain timer: the worker is still running here.
                assertTrue(TestDataplanes.await(() -> {
                    CounterSnapshot s = dp.counters();
                    return s.portTx().get(1)[0] + s.portTx().get(2)[0] == PACKETS - PACKETS / 3;
                }, 20_000), () -> "all transmitted and punted packets sent: " + dp.counters());
                CounterSnapshot s = dp.counters();
                assertTrue(s.total(LcoreCounters.Lcore.TIMED_DRAINS) > 0, "partial bursts left on the timer");
                dp.stop();
                s = dp.counters();
                assertEquals(PACKETS, s.inputPackets("in:0"));
                assertEquals(thirds, s.portTx().get(1)[0], "every first of three transmitted on 'out'");
                assertEquals(PACKETS / 3 + (PACKETS % 3 > 1 ? 1 : 0), s.portTx().get(2)[0], "punted out of 'kernel'");
                assertEquals(s.portTx().get(2)[0], s.total(LcoreCounters.Lcore.PUNTED));
                assertEquals(PACKETS / 3, s.drops(TestDrop.EVERY_THIRD), "dropped under the function's own reason");
                assertEquals(PACKETS / 3, s.total(LcoreCounters.Lcore.DROPPED), s.drops().toString());
                assertEquals(thirds * 43L, s.portTx().get(1)[1], "bytes of the transmitted 43-byte frames (unpadded in the pcap)");
                assertEquals(dp.mempool().size(), dp.mempool().available());
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }
    /**
     * A stage that changes every packet's length (as DNS answers and VxLAN encap/decap do) and sends the whole burst
     * out of one port: TX bytes are the lengths sent, not the lengths received.
     */
    @Test
    void transmittedBytesAreTheLengthsSent() throws Exception {
        Path pcap = Files.createTempFile("isthmus-grow", ".pcap");
        try {
            assertEquals(List.of(Integer.toString(PACKETS)), Scapy.run("from scapy.all import *\n"
                    + "frames = [Ether()/IP(src='198.18.0.1', dst='198.18.0.2')/UDP()/Raw(bytes([i % 3]))"
                    + " for i in range(" + PACKETS + ")]\n"
                    + "wrpcap('" + pcap + "', frames)\nprint(len(frames))\n"));
            PortConfig source = PortConfig.of("in", "net_pcap" + TestDataplanes.uniqueName(""), "rx_pcap=" + pcap);
            PortConfig out = PortConfig.of("out", "net_null" + TestDataplanes.uniqueName(""), "no-rx=1");
            DataplaneConfig config = DataplaneConfig.of(TestDataplanes.uniqueName("grow"), EalConfig.virtual(),
                    MempoolConfig.of(8191), List.of(source, out), List.of(new LcoreConfig(-1, List.of(
                            new QueueRef("in", 0), new QueueRef("out", 0)))));
            // Every packet grows by 10 + its marker byte (10, 11 or 12 bytes), and the whole burst goes to 'out'.
            PacketStage grow = frame -> {
                for (int i = 0; i < frame.size(); i++) {
                    int marker = PacketMemory.u8(frame.address(i) + 14 + 20 + 8);
                    assertTrue(frame.burst().append(i, 10 + marker) != 0);
                    frame.transmit(i, 1);
                }
            };
            long grown = 0;
            for (int i = 0; i < PACKETS; i++) {
                grown += 43 + 10 + i % 3;
            }
            try (Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(grow))) {
                assertTrue(TestDataplanes.await(() -> dp.counters().portTx().get(1)[0] == PACKETS, 20_000),
                        () -> "all sent: " + dp.counters());
                dp.stop();
                CounterSnapshot s = dp.counters();
                assertEquals(PACKETS * 43L, s.inputs().get("in:0")[1], "received: the pcap's 43-byte frames");
                assertEquals(grown, s.portTx().get(1)[1], "sent: the grown frames");
                assertEquals(dp.mempool().size(), dp.mempool().available());
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }
}
