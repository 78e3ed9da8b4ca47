package dev.isthmus.perf.dns;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the idle policy costs a query: the round trip of one DNS query at a time from the kernel through a net_tap
 * port to one lcore answering with the production DNS pipeline, after the line has been idle for a gap (0, 1, 10 and
 * 100 ms). With {@code lcores.idle: poll} the lcore spins and the gap changes nothing; with {@code adaptive} an
 * lcore idle for longer than its empty-poll threshold is asleep when the query comes, and the round trip grows by
 * its wake-up, bounded by the policy's longest sleep. The kernel's TAP path is in every figure, the same in both
 * policies, so only the difference between them is the policy's.
 *
 * <p>The client is a kernel UDP socket in this JVM, one query in flight; the host side of the TAP knows the
 * appliance's MAC statically (no ARP in the pipeline), and IPv6 is off on it so the kernel sends nothing else.
 * Prints a line per gap (median, 90th and 99th percentile, max, in µs; how many times the lcore slept during it) and
 * {@code RESULT isthmus wake MEDIAN_0 MEDIAN_1MS MEDIAN_10MS MEDIAN_100MS} last.
 */
final class WakeLatency {

    private static final String IFACE = "isthmusWake0";
    private static final String APPLIANCE = "198.18.7.53";
    private static final String HOST = "198.18.7.1";
    private static final String MAC = "02:00:00:00:00:53";
    private static final int[] GAPS_MS = {0, 1, 10, 100};

    private WakeLatency() {
    }

    static PortConfig port() {
        return PortConfig.of("p0", "net_tap0", "iface=" + IFACE + ",mac=" + MAC)
                .withAddresses(MacAddress.parse(MAC), List.of(Ipv4Address.parse(APPLIANCE)), List.of());
    }

    static void measure(ZoneCatalog catalog, int cpu, int samples, DataplaneConfig config, DnsSettings settings)
            throws Exception {
        try (DnsDataPath dns = new DnsDataPath(catalog, settings, QueryLogSink.discard());
             Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(
                     dnsStages(dns, lcore).toArray(PacketStage[]::new)))) {
            try {
                must("sysctl", "-qw", "net.ipv6.conf." + IFACE + ".disable_ipv6=1");
                must("ip", "addr", "add", HOST + "/24", "dev", IFACE);
                must("ip", "link", "set", IFACE, "up");
                must("ip", "neigh", "replace", APPLIANCE, "lladdr", MAC, "dev", IFACE, "nud", "permanent");
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0))) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName(APPLIANCE), 53));
                    socket.setSoTimeout(2000);
                    Client client = new Client(socket);
                    for (int i = 0; i < 20_000; i++) { // warm-up: JIT on both sides, the packet cache filled
                        client.roundTrip();
                    }
                    double[] medians = new double[GAPS_MS.length];
                    for (int g = 0; g < GAPS_MS.length; g++) {
                        int n = GAPS_MS[g] >= 100 ? Math.max(10, samples / 10) : samples;
                        long sleeps0 = dp.counters().total(LcoreCounters.Lcore.IDLE_SLEEPS);
                        long[] rtt = new long[n];
                        for (int i = 0; i < n; i++) {
                            if (GAPS_MS[g] > 0) {
                                TimeUnit.MILLISECONDS.sleep(GAPS_MS[g]);
                            }
                            rtt[i] = client.roundTrip();
                        }
                        long sleeps = dp.counters().total(LcoreCounters.Lcore.IDLE_SLEEPS) - sleeps0;
                        Arrays.sort(rtt);
                        medians[g] = micros(rtt[n / 2]);
                        System.out.printf(Locale.ROOT, "isthmus wake %s: after %3d ms idle, %d queries: round trip "
                                        + "median %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs; lcore slept %d times%n",
                                config.idle().mode().name().toLowerCase(Locale.ROOT), GAPS_MS[g], n, medians[g],
                                micros(rtt[n * 9 / 10]), micros(rtt[Math.min(n - 1, n * 99 / 100)]),
                                micros(rtt[n - 1]), sleeps);
                    }
                    dp.stop();
                    List<String> figures = new ArrayList<>();
                    for (double m : medians) {
                        figures.add(String.format(Locale.ROOT, "%.1f", m));
                    }
                    System.out.println("RESULT isthmus wake " + String.join(" ", figures));
                }
            } finally {
                new ProcessBuilder("ip", "addr", "flush", "dev", IFACE).inheritIO().start().waitFor();
            }
        }
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private static void must(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    /** One query at a time: an A query for www.example.test with a fresh ID, its answer checked by ID and QR. */
    private static final class Client {
        private final DatagramSocket socket;
        private final byte[] query;
        private final DatagramPacket out;
        private final DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
        private int id;

        Client(DatagramSocket socket) {
            this.socket = socket;
            // RFC 1035 §4.1: header (ID, RD=0, QDCOUNT=1), QNAME www.example.test, QTYPE A, QCLASS IN.
            this.query = new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                    3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
            this.out = new DatagramPacket(query, query.length);
        }

        long roundTrip() throws IOException {
            id = (id + 1) & 0xffff;
            query[0] = (byte) (id >>> 8);
            query[1] = (byte) id;
            long t0 = System.nanoTime();
            socket.send(out);
            while (true) {
                in.setLength(1500);
                socket.receive(in);
                byte[] b = in.getData();
                if (in.getLength() >= 12 && (b[0] & 0xff) == (id >>> 8) && (b[1] & 0xff) == (id & 0xff)
                        && (b[2] & 0x80) != 0) {
                    return System.nanoTime() - t0;
                }
            }
        }
    }

    /** The appliance's stages around the DNS stage, without an exception port (what it would punt is dropped). */
    private static List<PacketStage> dnsStages(DnsDataPath dns, LcoreContext lcore) {
        return StageOrder.ordered(lcore, null, null, true, List.of(dns.dnsStage(lcore)));
    }
}
