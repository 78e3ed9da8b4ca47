package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two lcores, each polling its own RX queue of a two-queue net_tap port (the kernel spreads flows over the queues
 * by hash, as RSS would) and sending on its own TX queue: 300 clients on different ports all get their answers, both
 * lcores answer some, and the per-lcore counters add up — with no state shared between the lcores but the catalog.
 */
class DnsMultiLcoreTest {

    private static final String TAP = "isthmusD2";
    private static final int CLIENTS = 300;

    @Test
    void twoLcoresWithTheirOwnQueuesAnswerEveryClient() throws Exception {
        Prerequisites.requireRoot("the TAP device");
        Eal.shared();
        PortConfig tap = PortConfig.of("uplink", "net_tap" + TestDataplanes.uniqueName(""), "iface=" + TAP)
                .withAddresses(null, List.of(Ipv4Address.parse("198.18.7.53")), List.of()).withRxQueues(2);
        DataplaneConfig config = DataplaneConfig.of(TestDataplanes.uniqueName("dnsmq"), EalConfig.virtual(),
                MempoolConfig.of(8191), List.of(tap), List.of(new LcoreConfig(-1, List.of(new QueueRef("uplink", 0))),
                        new LcoreConfig(-1, List.of(new QueueRef("uplink", 1)))));
        DnsDataPath dns = new DnsDataPath(DnsOverTapTest.sampleCatalog(), DnsSettings.defaults(),
                QueryLogSink.discard());
        Dataplane dataplane = Dataplane.start(config, StageOrder.pipelines(null, null, true,
                lcore -> List.of(dns.dnsStage(lcore))));
        try {
            Shell.must("ip", "link", "set", TAP, "up");
            Shell.must("ip", "addr", "add", "198.18.7.1/24", "dev", TAP);
            // One socket per client, so each query is its own flow; every answer is parsed and matched by ID.
            String script = """
                    import socket, struct
                    from scapy.all import DNS, DNSQR
                    ok = 0
                    for i in range(%d):
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.bind(('198.18.7.1', 0))
                        s.settimeout(2)
                        s.sendto(bytes(DNS(id=i, rd=0, qd=DNSQR(qname='www.example.test', qtype='A'))), ('198.18.7.53', 53))
                        for attempt in range(2):
                            try:
                                r = DNS(s.recv(1500))
                                if r.id == i and r.qr == 1 and r.rcode == 0 and r.an.rdata == '198.18.0.80':
                                    ok += 1
                                break
                            except socket.timeout:
                                s.sendto(bytes(DNS(id=i, rd=0, qd=DNSQR(qname='www.example.test', qtype='A'))), ('198.18.7.53', 53))
                        s.close()
                    print(ok)
                    """.formatted(CLIENTS);
            assertEquals(List.of(Integer.toString(CLIENTS)), Scapy.run(script), "every client answered correctly");
            DnsCounterSnapshot counters = dns.counters();
            assertEquals(2, counters.perLcore().size(), counters.perLcore().toString());
            long sum = counters.perLcore().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(counters.total(DnsCounters.Counter.ANSWERED), sum, "per-lcore counts add up");
            assertTrue(sum >= CLIENTS, "answers: " + sum);
            assertTrue(counters.perLcore().values().stream().allMatch(n -> n > 0),
                    "both lcores answered: " + counters.perLcore());
        } finally {
            dataplane.close();
            dns.close();
        }
        assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
    }
}
