package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataplanePlanTest {

    private static ApplianceConfig parse(String yaml) throws Exception {
        return ConfigLoader.parse("t.yml", yaml, Path.of("."));
    }

    @Test
    void everyWorkerPollsItsOwnQueueOfEveryPort() throws Exception {
        DataplaneConfig plan = DataplanePlan.of(parse("""
                lcores: {workers: [2, 3]}
                ports:
                  - {name: a, device: net_null0, addresses: [198.18.0.53/24, "2001:db8::53/64"], promiscuous: true}
                  - {name: b, device: net_null1}
                """), null);
        assertEquals(List.of(2, 2), plan.ports().stream().map(PortConfig::rxQueues).toList());
        assertEquals(List.of(new QueueRef("a", 0), new QueueRef("b", 0)), plan.lcores().get(0).rxQueues());
        assertEquals(List.of(new QueueRef("a", 1), new QueueRef("b", 1)), plan.lcores().get(1).rxQueues());
        assertEquals(List.of(2, 3), plan.lcores().stream().map(l -> l.cpu()).toList());
        PortConfig a = plan.ports().getFirst();
        assertEquals(List.of(Ipv4Address.parse("198.18.0.53")), a.ipv4());
        assertEquals(List.of(Ipv6Address.parse("2001:db8::53")), a.ipv6());
        assertTrue(a.promiscuous());
        assertNull(plan.puntPort());
        assertEquals(512, plan.eal().memoryMb());
    }

    @Test
    void handoffGivesEveryLcoreAQueuePairAndTheIoLcoresPollThemAll() throws Exception {
        DataplaneConfig plan = DataplanePlan.of(parse("""
                lcores: {io: [1, 2], workers: [3, 4, 5], handoff-ring: 2048}
                ports:
                  - {name: tap0, device: net_tap0, devargs: "iface=x0,mac=02:00:00:00:00:53", addresses: [198.18.0.53/24]}
                """), "isthmus-exc0");
        assertEquals(List.of(1, 2, 3, 4, 5), plan.lcores().stream().map(l -> l.cpu()).toList());
        assertEquals(2048, plan.handoffRing());
        assertEquals(List.of(5, 5), plan.ports().stream().map(PortConfig::rxQueues).toList(),
                "a queue pair per lcore: every worker owns a TX queue of every port");
        assertEquals("iface=isthmus-exc0,qpairs=5", plan.ports().get(1).devargs(),
                "the packet socket's fanout reaches only polled queues");
        String exc = ConfigLoader.EXCEPTION_PORT;
        assertEquals(List.of(new QueueRef("tap0", 0), new QueueRef("tap0", 2), new QueueRef("tap0", 4),
                new QueueRef(exc, 0), new QueueRef(exc, 2), new QueueRef(exc, 4)), plan.lcores().get(0).rxQueues());
        assertEquals(List.of(new QueueRef("tap0", 1), new QueueRef("tap0", 3), new QueueRef(exc, 1),
                new QueueRef(exc, 3)), plan.lcores().get(1).rxQueues());
        for (int worker = 2; worker < 5; worker++) {
            assertEquals(List.of(), plan.lcores().get(worker).rxQueues(), "workers poll only their rings");
        }
    }

    @Test
    void runToCompletionHasNoHandoffRings() throws Exception {
        DataplaneConfig plan = DataplanePlan.of(parse("""
                lcores: {workers: [1, 2]}
                ports:
                  - {name: a, device: net_null0, addresses: [198.18.0.53/24]}
                """), null);
        assertEquals(0, plan.handoffRing());
    }

    @Test
    void theExceptionPathAddsAPacketSocketPortThatIsThePuntPort() throws Exception {
        DataplaneConfig plan = DataplanePlan.of(parse("""
                lcores: {workers: [-1]}
                ports:
                  - {name: tap0, device: net_tap0, devargs: "iface=x0,mac=02:00:00:00:00:53", addresses: [198.18.0.53/24]}
                """), "isthmus-exc0");
        PortConfig exception = plan.ports().get(1);
        assertEquals(ConfigLoader.EXCEPTION_PORT, exception.name());
        assertEquals("iface=isthmus-exc0,qpairs=1", exception.devargs());
        assertEquals(ConfigLoader.EXCEPTION_PORT, plan.puntPort());
        assertEquals(List.of(new QueueRef("tap0", 0), new QueueRef(ConfigLoader.EXCEPTION_PORT, 0)),
                plan.lcores().getFirst().rxQueues());
    }

    @Test
    void anAutomaticPoolFillsEveryDescriptorAndKeepsTheMinimum() {
        assertEquals(8191, DataplanePlan.autoMbufs(1, 1, 256, 0));
        // 2 ports x 2 workers x 2048 descriptors + 2 x (256 + 256) = 9216; x1.5 = 13824 -> 16383
        assertEquals(16383, DataplanePlan.autoMbufs(2, 2, 256, 0));
        assertEquals(32767, DataplanePlan.autoMbufs(2, 3, 256, 1024), "every lcore's ring may be full too");
        assertEquals(262143, DataplanePlan.autoMbufs(5, 8, 512, 0), "89600 x 1.5 = 134400 -> 2^18 - 1");
    }

    @Test
    void whatTheDataplaneRefusesTheLoaderRefusesWithItsLineAndReason() {
        String tooFewMbufs = """
                lcores: {workers: [1, 2, 3, 4]}
                mempool: {mbufs: 1023, cache-size: 64}
                ports:
                  - {name: a, device: net_null0, addresses: [198.18.0.53/24]}
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> parse(tooFewMbufs));
        assertTrue(e.problems().getFirst().startsWith("t.yml:2: mempool.mbufs: 1023 mbufs cannot fill"),
                e.getMessage());
    }
}
