package dev.isthmus.dns.pipeline;

import static dev.isthmus.dns.pipeline.KdigClient.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client in a network namespace asks the appliance over a veth whose other end is a net_af_packet port: UDP over
 * IPv4 and IPv6 answered by the data plane, no exception path configured (TCP is then dropped and counted).
 */
class DnsOverAfPacketTest {

    private static final String NETNS = "isthmus-dnsc1";
    private static final String APPLIANCE_SIDE = "isthmus-dcv0";
    private static final String CLIENT_SIDE = "isthmus-dcv1";
    private static final String V4 = "198.18.5.53";
    private static final String V6 = "2001:db8:5::53";
    private static Dataplane dataplane;
    private static DnsDataPath dns;

    @BeforeAll
    static void topology() throws Exception {
        Prerequisites.requireRoot("namespaces and veths");
        cleanUp();
        TestNetns.add(NETNS);
        TestNetns.dpdkVeth(APPLIANCE_SIDE, CLIENT_SIDE, NETNS);
        TestNetns.exec(NETNS, "ip", "link", "set", CLIENT_SIDE, "up");
        // The client's queries leave with checksums for the "hardware" to finish; the veth's peer is a packet
        // socket, which would see them unfinished (and the stage rightly drops bad checksums).
        TestNetns.exec(NETNS, "ethtool", "-K", CLIENT_SIDE, "tx", "off");
        TestNetns.exec(NETNS, "ip", "addr", "add", "198.18.5.1/24", "dev", CLIENT_SIDE);
        TestNetns.exec(NETNS, "ip", "-6", "addr", "add", "2001:db8:5::1/64", "dev", CLIENT_SIDE, "nodad");
        Eal.shared();
        PortConfig port = PortConfig.of("veth", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + APPLIANCE_SIDE + ",qpairs=1").withAddresses(null, List.of(Ipv4Address.parse(V4)),
                List.of(Ipv6Address.parse(V6)));
        dns = new DnsDataPath(DnsOverTapTest.sampleCatalog(), DnsSettings.defaults(), QueryLogSink.discard());
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("dnsafp"), List.of(port)),
                StageOrder.pipelines(null, null, true, lcore -> List.of(dns.dnsStage(lcore))));
    }

    @AfterAll
    static void tearDown() {
        try {
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
            if (dns != null) {
                dns.close();
            }
        } finally {
            cleanUp();
        }
        assertFalse(Shell.run(5, "ip", "link", "show", APPLIANCE_SIDE).ok(), "veth removed");
    }

    private static void cleanUp() {
        TestNetns.delete(List.of(NETNS), APPLIANCE_SIDE);
    }

    @Test
    void namespaceClientGetsAnswersOverIpv4AndIpv6() throws Exception {
        List<Map<String, Object>> v4 = KdigClient.ask(NETNS, V4, List.of("+notcp"),
                List.of("www.example.test", "A", "mail.example.test", "MX", "nope.example.test", "A"));
        assertEquals("198.18.0.80", section(v4.get(0), "answerRRs").getFirst().get("rdataA"));
        assertEquals(0L, v4.get(1).get("RCODE"));
        assertEquals(3L, v4.get(2).get("RCODE"));
        List<Map<String, Object>> v6 = KdigClient.ask(NETNS, V6, List.of("+notcp", "+bufsize=1232"),
                List.of("www.example.test", "AAAA"));
        assertEquals("2001:db8::80", section(v6.getFirst(), "answerRRs").getFirst().get("rdataAAAA"));
        DnsCounterSnapshot counters = dns.counters();
        assertEquals(3, counters.total(DnsCounters.Counter.ANSWERED_IPV4));
        assertEquals(1, counters.total(DnsCounters.Counter.ANSWERED_IPV6));
        assertEquals(1, counters.rcode("NXDOMAIN"));
        assertTrue(counters.perLcore().values().stream().mapToLong(Long::longValue).sum() == 4);
    }
}
