package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.nativebindings.Eal;
import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator against itself through a net_ring port that loops back (what it transmits it receives): it counts
 * exactly what it sent, per stream, through every template kind; and on net_null its pacer holds a low rate.
 */
class GeneratorLoopTest {

    private static final AtomicInteger PORTS = new AtomicInteger();

    @BeforeAll
    static void eal() {
        Eal.shared();
    }

    private static Profile profile(String device, String args, String streams) throws Exception {
        return ProfileLoader.parse("test.yml", """
                mbufs: 8191
                ports:
                  - name: p
                    device: %s
                    args: "%s"
                    streams:
                %s""".formatted(device, args, streams.indent(6)), Path.of("."));
    }

    @Test
    void everyPacketSentComesBackCountedOnceInOrder() throws Exception {
        Profile p = profile("net_ring_gen" + PORTS.incrementAndGet(), "", """
                - name: v4
                  rate: 200kpps
                  count: 20000
                  latency: true
                  packet:
                    ipv4: {src: 198.18.0.1-198.18.0.200, dst: 198.19.0.1}
                    udp: {src-port: 1000-1999, dst-port: 9}
                - name: v6-vlan
                  rate: 100kpps
                  count: 10000
                  vary: random
                  packet:
                    vlan: 42
                    ipv6: {src: "2001:db8::1-2001:db8::ffff", dst: "2001:db8:1::1"}
                    udp: {src-port: 1024-65535, dst-port: 9}
                    size: 200
                - name: vxlan
                  rate: 50kpps
                  count: 5000
                  latency: true
                  packet:
                    ipv4: {src: 198.18.0.2, dst: 198.18.0.1}
                    udp: {src-port: 49152-49407}
                    vxlan:
                      vni: 4242
                      inner:
                        ipv6: {src: "2001:db8:2::1", dst: "2001:db8:2::2-2001:db8:2::9"}
                        size: 128
                """);
        try (Generator gen = Generator.open(p)) {
            int free = gen.pool().available();
            RunResult r = gen.run(p, Duration.ofSeconds(60), Duration.ofSeconds(2), null);
            long[] counts = {20000, 10000, 5000};
            for (int i = 0; i < 3; i++) {
                StreamResult s = r.streams().get(i);
                assertEquals(counts[i], s.sent(), s.stream().name() + " sent");
                assertEquals(counts[i], s.received(), s.stream().name() + " received");
                assertEquals(0, s.lost());
                assertEquals(0, s.outOfOrder(), s.stream().name() + " reordered");
                assertEquals(0, s.duplicated(), s.stream().name() + " duplicated");
            }
            assertEquals(0, r.rxOther());
            assertEquals(35000, r.rxFrames());
            StreamResult v4 = r.streams().get(0);
            assertNotNull(v4.latency());
            assertEquals(20000, v4.latency().getTotalCount(), "a latency sample per packet: the signature survived");
            assertTrue(v4.latency().getMinValue() > 0);
            assertEquals(5000, r.streams().get(2).latency().getTotalCount(), "through the VxLAN encapsulation too");
            assertEquals(null, r.streams().get(1).latency(), "no latency recorded where the profile did not ask");
            assertEquals(free, gen.pool().available(), "every mbuf back in the pool");
        }
    }

    @Test
    void oneLcoreThatSendsAndReceivesCountsEveryPacketOnce() throws Exception {
        Profile p = profile("net_ring_gen" + PORTS.incrementAndGet(), "", """
                - name: resident
                  rate: 200kpps
                  count: 20000
                  latency: true
                  packet:
                    ipv4: {src: 198.18.0.1, dst: 198.19.0.1}
                    udp: {src-port: 1000, dst-port: 9}
                """);
        // lcores {tx: 0, rx: 0}: the TX lcore polls RX itself (and no RX thread is started).
        Profile shared = new Profile(p.source(), p.eal(), 0, 0, p.mbufs(), p.ports());
        assertTrue(shared.sharedLcore());
        try (Generator gen = Generator.open(shared)) {
            RunResult r = gen.run(shared, Duration.ofSeconds(60), Duration.ofSeconds(2), null);
            StreamResult s = r.streams().getFirst();
            assertEquals(20000, s.sent());
            assertEquals(20000, s.received());
            assertEquals(0, s.outOfOrder());
            assertEquals(0, s.duplicated());
            assertEquals(20000, s.latency().getTotalCount(), "the resident mbufs carried their signatures");
        }
    }

    @Test
    void thePacerHoldsALowRateOnItsOwnClock() throws Exception {
        // Functional, not a benchmark: the packets sent are counted against the pacer's own clock (the TX lcore's
        // first and last turns), which holds on a loaded machine too since a late turn catches up.
        Profile p = profile("net_null_gen" + PORTS.incrementAndGet(), "size=64,no-rx=1", """
                - name: slow
                  rate: 10kpps
                  packet:
                    ipv4: {src: 198.18.0.1, dst: 198.19.0.1}
                """);
        try (Generator gen = Generator.open(p)) {
            RunResult r = gen.run(p, Duration.ofSeconds(5), Duration.ofMillis(100), null);
            double expected = 10_000 * r.seconds();
            assertTrue(r.seconds() > 4.5, "ran " + r.seconds() + " s");
            assertTrue(Math.abs(r.sent() - expected) <= expected * 0.01, "sent " + r.sent() + " in " + r.seconds()
                    + " s of the pacer's clock, expected " + expected);
            assertTrue(r.sent() <= expected, "never ahead of the clock");
        }
    }
}
