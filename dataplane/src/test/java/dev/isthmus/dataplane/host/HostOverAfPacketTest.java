package dev.isthmus.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A host in a network namespace reaches the appliance over a veth whose other end is a net_af_packet port:
 * ARP, ping, neighbour discovery and ping6 from the namespace.
 */
class HostOverAfPacketTest {

    private static final String NETNS = "isthmus-dp1";
    private static final String APPLIANCE_SIDE = "isthmus-dpv0";
    private static final String HOST_SIDE = "isthmus-dpv1";
    private static Dataplane dataplane;
    private static String applianceMac;

    @BeforeAll
    static void topology() {
        Prerequisites.requireRoot("namespaces and veths");
        cleanUp();
        TestNetns.add(NETNS);
        TestNetns.dpdkVeth(APPLIANCE_SIDE, HOST_SIDE, NETNS);
        TestNetns.exec(NETNS, "ip", "link", "set", HOST_SIDE, "up");
        TestNetns.exec(NETNS, "ip", "addr", "add", "198.18.2.1/24", "dev", HOST_SIDE);
        TestNetns.exec(NETNS, "ip", "-6", "addr", "add", "2001:db8:2::1/64", "dev", HOST_SIDE, "nodad");
        Eal.shared();
        PortConfig port = PortConfig.of("veth", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + APPLIANCE_SIDE + ",qpairs=1").withAddresses(null,
                List.of(Ipv4Address.parse("198.18.2.53")), List.of(Ipv6Address.parse("2001:db8:2::53")));
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("afp"), List.of(port)),
                lcore -> Pipeline.of(new HostStage(lcore.ports())));
        applianceMac = dataplane.ports().entry(0).mac().toString();
    }

    @AfterAll
    static void tearDown() {
        try {
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
        } finally {
            cleanUp();
        }
    }

    private static void cleanUp() {
        TestNetns.delete(List.of(NETNS), APPLIANCE_SIDE);
    }

    @Test
    void namespaceHostPingsTheApplianceOverIpv4AndIpv6() {
        Shell.Result ping = TestNetns.run(20, NETNS, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.2.53");
        assertTrue(ping.ok() && ping.output().contains("3 received"), ping.output());
        Shell.Result ping6 = TestNetns.run(20, NETNS, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2",
                "2001:db8:2::53");
        assertTrue(ping6.ok() && ping6.output().contains("3 received"), ping6.output());
        String neighbours = TestNetns.exec(NETNS, "ip", "neigh", "show", "dev", HOST_SIDE);
        assertTrue(neighbours.contains("198.18.2.53 lladdr " + applianceMac), neighbours);
        assertTrue(neighbours.contains("2001:db8:2::53 lladdr " + applianceMac), neighbours);
    }
}
