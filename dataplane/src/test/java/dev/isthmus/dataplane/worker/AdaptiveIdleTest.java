package dev.isthmus.dataplane.worker;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.config.IdlePolicy;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive idle policy: an lcore with nothing to receive sleeps (counted), wakes for the traffic that comes — the
 * kernel pings it through a net_tap port and gets every answer — and sleeps again once it is gone; the default
 * policy never sleeps.
 */
class AdaptiveIdleTest {

    private static final String IFACE = "isthmusIdle0";

    @Test
    void anIdleLcoreSleepsAndWakesForTraffic() throws Exception {
        Prerequisites.requireRoot("the TAP device");
        Prerequisites.requireProgram("ping", "iputils-ping");
        Eal.shared();
        PortConfig tap = PortConfig.of("host", "net_tap" + TestDataplanes.uniqueName(""),
                "iface=" + IFACE + ",mac=02:00:00:00:06:53")
                .withAddresses(null, List.of(Ipv4Address.parse("198.18.6.53")), List.of());
        Dataplane dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("idle"), List.of(tap))
                        .withIdle(IdlePolicy.adaptive(64, Duration.ofMillis(2))),
                lcore -> Pipeline.of(new HostStage(lcore.ports())));
        try {
            Shell.must("ip", "link", "set", IFACE, "up");
            Shell.must("ip", "addr", "add", "198.18.6.1/24", "dev", IFACE);
            assertTrue(TestDataplanes.await(() -> sleeps(dataplane) > 10, 10_000), "an idle lcore sleeps");

            Shell.Result ping = Shell.run(20, "ping", "-c", "5", "-i", "0.3", "-W", "2", "198.18.6.53");
            assertTrue(ping.ok() && ping.output().contains("5 received"), "every ping answered: " + ping.output());

            long afterTraffic = sleeps(dataplane);
            assertTrue(TestDataplanes.await(() -> sleeps(dataplane) > afterTraffic + 10, 10_000),
                    "and sleeps again when the traffic is gone");
        } finally {
            dataplane.close();
        }
        assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
    }

    @Test
    void theDefaultPolicySpinsAndBoundsAreChecked() {
        assertEquals(IdlePolicy.Mode.POLL, TestDataplanes.oneLcore("x", List.of(PortConfig.of("p", "net_null0", "")))
                .idle().mode());
        assertThrows(IllegalArgumentException.class, () -> IdlePolicy.adaptive(0, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> IdlePolicy.adaptive(10, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> IdlePolicy.adaptive(10, Duration.ZERO));
    }

    private static long sleeps(Dataplane dataplane) {
        return dataplane.counters().total(LcoreCounters.Lcore.IDLE_SLEEPS);
    }
}
