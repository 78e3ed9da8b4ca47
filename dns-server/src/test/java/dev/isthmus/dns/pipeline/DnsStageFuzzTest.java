package dev.isthmus.dns.pipeline;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.testing.FuzzedBurst;
import dev.isthmus.dns.engine.ZoneCatalog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whole frames in real mbufs against the DNS stage: Ethernet (untagged, 802.1Q, QinQ), IPv4 and IPv6, UDP, DNS,
 * on a port with RX/TX checksum offload (port 0, the NIC's RX verdicts taken from the input) and one without
 * (port 1). No exception escapes, every packet ends with one valid verdict, and the mempool's free count returns
 * to where it started ({@link FuzzedBurst}). Seeds: valid queries of each kind, built by scapy
 * (DnsStageFuzzTestInputs/, layout in {@link FuzzedBurst}).
 */
class DnsStageFuzzTest {
    private static final FuzzedBurst BURST = new FuzzedBurst("dnsfuzz", 2);
    private static final DnsStage STAGE;

    static {
        try (InputStream in = DnsStageFuzzTest.class.getResourceAsStream("/zones/example.test.zone")) {
            ZoneCatalog catalog = new ZoneCatalog();
            catalog.replace("example.test", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            MacAddress mac = MacAddress.parse("02:00:00:00:06:53");
            List<Ipv4Address> v4 = List.of(Ipv4Address.parse("198.18.6.53"));
            List<Ipv6Address> v6 = List.of(Ipv6Address.parse("2001:db8:6::53"));
            PortTable ports = new PortTable(List.of(
                new PortTable.Entry("offloaded", 0, mac, v4, v6, PortSetup.ADDRESSED_PORT_RX_OFFLOADS,
                    PortSetup.ADDRESSED_PORT_TX_OFFLOADS),
                new PortTable.Entry("plain", 1, mac, v4, v6)));
            DnsCounters counters = new DnsCounters("lcore0");
            STAGE = new DnsStage(ports, catalog, DnsSettings.defaults().withQueryLog(1), counters,
                new QueryLogWriter(new LogRing(64), counters, 1));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "", maxExecutions = 300_000)
    void dnsStageGivesEveryFrameOneVerdictAndLeaksNothing(byte[] data) {
        BURST.run(data, STAGE);
    }
}
