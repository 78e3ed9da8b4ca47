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
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.FlowDispatchStage;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An RX lcore reads a pcap once and hands packets to two worker lcores by flow hash through their handoff rings;
 * every flow lands on exactly one worker, every packet is accounted for, and no mbuf leaks.
 */
class FlowHandoffTest {

    private static final int FLOWS = 40;
    private static final int PER_FLOW = 25;

    @BeforeAll
    static void eal() {
        Eal.shared();
    }

    @Test
    void eachFlowStaysOnOneWorker() throws Exception {
        Path pcap = Files.createTempFile("isthmus-flows", ".pcap");
        try {
            List<String> lines = Scapy.run("from scapy.all import *\n"
                    + "frames = []\n"
                    + "for k in range(" + PER_FLOW + "):\n"
                    + "    for f in range(" + FLOWS + "):\n"
                    + "        frames.append(Ether()/IP(src='198.18.0.%d' % (f + 1), dst='198.19.0.1')"
                    + "/UDP(sport=1000 + f, dport=53)/Raw(bytes([f, k])))\n"
                    + "wrpcap('" + pcap + "', frames)\nprint(len(frames))\n");
            assertEquals(List.of(Integer.toString(FLOWS * PER_FLOW)), lines);

            PortConfig source = PortConfig.of("in", "net_pcap" + TestDataplanes.uniqueName(""), "rx_pcap=" + pcap);
            PortConfig sink = PortConfig.of("out", "net_null" + TestDataplanes.uniqueName(""), "no-rx=1");
            DataplaneConfig config = DataplaneConfig.of(TestDataplanes.uniqueName("flow"), EalConfig.virtual(),
                    MempoolConfig.of(16383), List.of(source, sink), List.of(
                            new LcoreConfig(-1, List.of(new QueueRef("in", 0), new QueueRef("out", 0))),
                            new LcoreConfig(-1, List.of()),
                            new LcoreConfig(-1, List.of()))).withHandoffRing(1024);
            // flow (first payload byte) -> workers that saw it; sequence check per flow and worker
            Map<Integer, Set<Integer>> workersOfFlow = new ConcurrentHashMap<>();
            Map<Integer, List<Integer>> sequences = new ConcurrentHashMap<>();
            try (Dataplane dp = Dataplane.start(config, lcore -> {
                if (lcore.index() == 0) {
                    return Pipeline.of(new FlowDispatchStage(1, 2, false));
                }
                PacketStage record = frame -> {
                    for (int i = 0; i < frame.size(); i++) {
                        long payload = frame.address(i) + 14 + 20 + 8;
                        int flow = PacketMemory.u8(payload);
                        workersOfFlow.computeIfAbsent(flow, f -> ConcurrentHashMap.newKeySet()).add(lcore.index());
                        sequences.computeIfAbsent(flow, f -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(PacketMemory.u8(payload + 1));
                        frame.transmit(i, 1);
                    }
                };
                return Pipeline.of(record);
            })) {
                assertTrue(TestDataplanes.await(() -> dp.counters().portTx().get(1)[0] == FLOWS * PER_FLOW, 20_000),
                        () -> "all packets out: " + dp.counters());
                dp.stop();
                CounterSnapshot s = dp.counters();
                assertEquals(FLOWS * PER_FLOW, s.inputPackets("in:0"));
                assertEquals(FLOWS * PER_FLOW, s.total(LcoreCounters.Lcore.HANDED_OFF));
                assertEquals(0, s.total(LcoreCounters.Lcore.DROPPED), s.drops().toString());
                assertEquals(FLOWS, workersOfFlow.size());
                workersOfFlow.forEach((flow, workers) -> assertEquals(1, workers.size(), "flow " + flow + " on " + workers));
                assertTrue(workersOfFlow.values().stream().anyMatch(w -> w.contains(1))
                        && workersOfFlow.values().stream().anyMatch(w -> w.contains(2)), "both workers got flows");
                sequences.forEach((flow, seq) -> {
                    for (int k = 0; k < seq.size(); k++) {
                        assertEquals(k, seq.get(k), "flow " + flow + " in order");
                    }
                });
                assertEquals(dp.mempool().size(), dp.mempool().available());
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }
}
