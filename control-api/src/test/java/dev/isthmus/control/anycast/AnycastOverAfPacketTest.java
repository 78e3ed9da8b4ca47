package dev.isthmus.control.anycast;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dataplane.testing.TestNetns;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The appliance announcing an anycast service address to a real router: BIRD 2 in a router namespace peers by eBGP
 * with the appliance's BIRD (started by the appliance in its exception namespace, the session running through the
 * data plane's exception path over a net_af_packet uplink on a veth). While the appliance is healthy the router has
 * a route to 198.18.53.53 through it and dig from the router's namespace is answered on the data plane at that
 * address; with no zone loaded (unhealthy) the route is withdrawn, with a zone back it returns; on a clean stop it is
 * withdrawn before the data plane goes. Needs root and bird2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnycastOverAfPacketTest {

    private static final String ROUTER_NS = "isthmus-ar";
    private static final String UPLINK = "isthar1";
    private static final String ROUTER_SIDE = "isthar0";
    private static final String SERVICE = "198.18.53.53";

    private Path routerDir;
    private Process router;
    private TestConfig config;
    private ApplicationContext context;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        Prerequisites.requireRoot("namespaces, veths and DPDK");
        Prerequisites.requireProgram("bird", "bird2");
        Prerequisites.requireProgram("dig", "dnsutils");
        TestNetns.delete(List.of(ROUTER_NS), UPLINK);
        TestNetns.add(ROUTER_NS);
        TestNetns.dpdkVeth(UPLINK, ROUTER_SIDE, ROUTER_NS);
        TestNetns.exec(ROUTER_NS, "ip", "addr", "add", "198.18.70.1/24", "dev", ROUTER_SIDE);
        TestNetns.exec(ROUTER_NS, "ip", "link", "set", ROUTER_SIDE, "up");
        // Frames the router's kernel sends reach the packet socket with finished checksums.
        TestNetns.exec(ROUTER_NS, "ethtool", "-K", ROUTER_SIDE, "tx", "off");
        routerDir = Files.createTempDirectory("isthmus-router");
        Files.writeString(routerDir.resolve("bird.conf"), """
                router id 198.18.70.1;
                protocol device { scan time 10; }
                protocol kernel { ipv4 { export all; }; merge paths on; }
                protocol bgp appliance {
                  local as 64500;
                  neighbor 198.18.70.53 as 64512;
                  hold time 9;
                  connect retry time 2;
                  ipv4 { import all; export none; };
                }
                """);
        router = new ProcessBuilder("ip", "netns", "exec", ROUTER_NS, "bird", "-f", "-c",
                routerDir.resolve("bird.conf").toString(), "-s", routerDir.resolve("bird.ctl").toString())
                .redirectErrorStream(true).redirectOutput(routerDir.resolve("bird.log").toFile()).start();

        config = TestConfig.write("""
                eal:
                  file-prefix: isthmusany
                lcores:
                  workers: [-1]
                ports:
                  - name: up0
                    device: net_af_packet_any
                    devargs: iface=%s
                    addresses: [198.18.70.53/24]
                dns:
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                anycast:
                  daemon: bird
                  local-as: 64512
                  router-id: 198.18.70.53
                  peers: [{address: 198.18.70.1, as: 64500}]
                  announce: [198.18.53.53/32]
                  hold-seconds: 9
                """.formatted(UPLINK));
        context = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(config.propertiesWithDataplane()))
                .getApplicationContext();
        http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (http != null) {
                http.close();
            }
            if (context != null) {
                context.close();
                assertTrue(TestDataplanes.await(() -> !routerHasServiceRoute(), 5_000),
                        "a clean stop withdraws the route: " + routerRoutes());
            }
        } finally {
            if (router != null) {
                router.destroyForcibly().waitFor();
            }
            if (config != null) {
                config.close();
            }
            TestNetns.delete(List.of(ROUTER_NS), UPLINK);
        }
        assertFalse(Shell.run(5, "pgrep", "-f", "isthmusany-anycast/bird.conf").ok(), "the appliance's BIRD is gone");
    }

    @Test
    void announcesWhileHealthyAndWithdrawsWhenNot() throws Exception {
        assertTrue(TestDataplanes.await(this::routerHasServiceRoute, 30_000),
                () -> "the router learns the service route: " + routerRoutes() + " / appliance: " + anycastStatus());
        assertTrue(TestNetns.exec(ROUTER_NS, "ip", "route", "show", SERVICE).contains("via 198.18.70.53"));
        Shell.Result dig = TestNetns.run(10, ROUTER_NS, "dig", "+short", "+time=2", "+tries=2", "@" + SERVICE,
                "www.isthmus.test");
        assertEquals("198.18.0.80", dig.output().strip(), "answered at the anycast address: " + dig.output());
        String status = anycastStatus();
        assertTrue(status.contains("\"announcing\":true") && status.contains("Established"), status);
        String scrape = http.toBlocking().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(scrape.contains("isthmus_anycast_announcing 1.0"), scrape);

        http.toBlocking().exchange(HttpRequest.DELETE("/dns/zones/isthmus.test"));
        assertTrue(TestDataplanes.await(() -> !routerHasServiceRoute(), 10_000),
                () -> "no zone: withdrawn: " + routerRoutes());
        assertTrue(anycastStatus().contains("no zone is loaded"), anycastStatus());

        http.toBlocking().exchange(HttpRequest.PUT("/dns/zones/isthmus.test", """
                $ORIGIN isthmus.test.
                @    300 IN SOA ns1 hostmaster 2 3600 900 604800 300
                @    300 IN NS  ns1
                ns1  300 IN A   198.18.70.53
                www  300 IN A   198.18.0.81
                """).contentType(MediaType.TEXT_PLAIN));
        assertTrue(TestDataplanes.await(this::routerHasServiceRoute, 10_000),
                () -> "a zone again: announced again: " + routerRoutes());
    }

    private boolean routerHasServiceRoute() {
        return TestNetns.run(5, ROUTER_NS, "ip", "route", "show", SERVICE).output().contains("via 198.18.70.53");
    }

    private String routerRoutes() {
        return TestNetns.run(5, ROUTER_NS, "ip", "route").output() + " | router BIRD: "
                + Shell.run(5, "birdc", "-s", routerDir.resolve("bird.ctl").toString(), "show", "protocols").output();
    }

    private String anycastStatus() {
        return http.toBlocking().retrieve(HttpRequest.GET("/anycast"), String.class);
    }
}
