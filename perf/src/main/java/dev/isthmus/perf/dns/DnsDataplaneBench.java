package dev.isthmus.perf.dns;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.IdlePolicy;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.pipeline.FlowDispatchStage;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsCounterSnapshot;
import dev.isthmus.dns.pipeline.DnsCounters;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Isthmus's side of {@code bench dns}: one lcore running the production DNS pipeline ({@link DnsDataPath}) over a
 * query pcap replayed by net_pcap ({@code infinite_rx=1}), its answers sent to a net_null port — testpmd's macswap
 * on the same pcap sends to the same kind of port. Measured by the lcore's TX counter over a window after a
 * warm-up, against wall time and against the lcore thread's CPU time.
 *
 * <p>Usage:
 * <ul>
 *   <li>{@code answer QUERIES.pcap ZONE CPU WARMUP_S SECONDS} prints {@code RESULT isthmus dns WALL_MPPS CPU_MPPS}
 *       last;</li>
 *   <li>{@code verify QUERIES.pcap ZONE RESPONSES.pcap} answers the pcap once (no replay) and writes the responses
 *       with net_pcap {@code tx_pcap}, for tshark to check;</li>
 *   <li>{@code handoff QUERIES.pcap ZONE IO_CPU WORKER_CPU WARMUP_S SECONDS}: the appliance's handoff mode, one I/O
 *       lcore receiving the replay and handing every packet by flow hash through an {@code MbufRing} to one worker
 *       lcore, which answers as {@code answer}'s lcore does. Prints {@code RESULT isthmus handoff WALL_MPPS
 *       WORKER_CPU_MPPS IO_NS_PER_PACKET WORKER_NS_PER_ANSWER} last: CPU nanoseconds per packet the I/O lcore
 *       received (the replay offers more than a worker takes: the rest is dropped as RING_FULL) and per answer of
 *       the worker.</li>
 *   <li>{@code wake - ZONE CPU SAMPLES}: the idle policy's wake-up latency ({@link WakeLatency}), one query at a
 *       time through a net_tap port after idle gaps; prints {@code RESULT isthmus wake} with the median round trip
 *       in microseconds per gap, last.</li>
 * </ul>
 * The appliance answers as 198.18.0.53 and 2001:db8::53 with MAC 02:00:00:00:00:53 (what the generator writes).
 * System property {@code isthmus.bench.answerCache} sets the lcore's packet-cache slots (default
 * {@link DnsSettings#DEFAULT_ANSWER_CACHE_ENTRIES}; 0 sends every query through the engine).
 */
public final class DnsDataplaneBench {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:53");

    private DnsDataplaneBench() {
    }

    /**
     * System property {@code isthmus.bench.minimalResponses}: {@code true} (the default, as the appliance) or
     * {@code false} (the zone's NS and its addresses in every positive answer).
     */
    private static DnsSettings settings() {
        return DnsSettings.defaults().withAnswerCache(
                Integer.getInteger("isthmus.bench.answerCache", DnsSettings.DEFAULT_ANSWER_CACHE_ENTRIES))
                .withMinimalResponses(Boolean.parseBoolean(System.getProperty("isthmus.bench.minimalResponses",
                        "true")));
    }

    /**
     * Response-rate limiting for the run: {@code -Disthmus.bench.rrl=N} responses per second per (prefix, kind,
     * name), slip 2; 0 (the default) off.
     */
    private static RrlControl rrl() {
        int rate = Integer.getInteger("isthmus.bench.rrl", 0);
        return new RrlControl(RrlSettings.OFF.withResponsesPerSecond(rate));
    }

    /** Runs the DNS stages, then sends what they answered out of {@code port} instead of back (the bench's sink). */
    private record AnswerTo(List<PacketStage> stages, int port) implements PacketStage {
        @Override
        public void process(PacketFrame frame) {
            for (PacketStage s : stages) {
                if (frame.pendingCount() == 0) {
                    break;
                }
                s.process(frame);
            }
            final int n = frame.size();
            for (int i = 0; i < n; i++) {
                if (frame.kind(i) == PacketFrame.TRANSMIT) {
                    frame.transmit(i, port);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DnsDataplaneBench answer QUERIES.pcap ZONE CPU WARMUP_S SECONDS\n"
                    + "       DnsDataplaneBench verify QUERIES.pcap ZONE RESPONSES.pcap");
            System.exit(2);
        }
        ZoneCatalog catalog = new ZoneCatalog();
        // The sample zone unless told otherwise (bench dns's cache-hostile case serves a generated big.test).
        String origin = System.getProperty("isthmus.bench.origin", "example.test");
        long loadStart = System.nanoTime();
        catalog.load(origin, Path.of(args[2]));
        System.out.printf("zone %s loaded in %.1f s%n", origin, (System.nanoTime() - loadStart) / 1e9);
        switch (args[0]) {
            case "answer" -> answer(args[1], catalog, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "verify" -> verify(args[1], catalog, args[3]);
            case "handoff" -> handoff(args[1], catalog, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            case "wake" -> WakeLatency.measure(catalog, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    config(List.of(WakeLatency.port()), Integer.parseInt(args[3])), settings());
            default -> throw new IllegalArgumentException("mode must be answer, verify, handoff or wake, got "
                    + args[0]);
        }
    }

    private static PortConfig appliancePort(String devargs) {
        return PortConfig.of("p0", "net_pcap0", devargs).withAddresses(MAC, List.of(Ipv4Address.parse("198.18.0.53")),
                List.of(Ipv6Address.parse("2001:db8::53")));
    }

    /**
     * {@code isthmus.bench.mbufs} sizes the mempool (default 16383): net_pcap with infinite_rx holds the whole pcap
     * in mbufs, so a pcap of 100 000 frames needs more.
     */
    private static DataplaneConfig config(List<PortConfig> ports, int cpu) {
        List<QueueRef> queues = ports.stream().map(p -> new QueueRef(p.name(), 0)).toList();
        return new DataplaneConfig("dnsbench", new EalConfig(false, 1024, "isthmusdns", List.of("--log-level=*:warning")),
                MempoolConfig.of(Integer.getInteger("isthmus.bench.mbufs", 16383)), ports, List.of(new LcoreConfig(cpu, queues)), Duration.ofNanos(100_000), 0,
                null).withIdle(idlePolicy());
    }

    /** System property {@code isthmus.bench.idle}: {@code poll} (default) or {@code adaptive} (the defaults of
     *  {@code lcores.idle: adaptive}), to show that under load the adaptive policy costs nothing. */
    private static IdlePolicy idlePolicy() {
        return switch (System.getProperty("isthmus.bench.idle", "poll")) {
            case "poll" -> IdlePolicy.poll();
            case "adaptive" -> IdlePolicy.adaptive(1024, Duration.ofNanos(500_000));
            default -> throw new IllegalArgumentException("isthmus.bench.idle must be poll or adaptive");
        };
    }

    private static void answer(String pcap, ZoneCatalog catalog, int cpu, int warmup, int seconds) throws Exception {
        List<PortConfig> ports = List.of(appliancePort("rx_pcap=" + pcap + ",infinite_rx=1"),
                PortConfig.of("p1", "net_null0", "size=64,no-rx=1"));
        try (DnsDataPath dns = new DnsDataPath(catalog, settings(), QueryLogSink.discard(), rrl(),
                new CookieControl());
             Dataplane dp = Dataplane.start(config(ports, cpu),
                     lcore -> Pipeline.of(new AnswerTo(dnsStages(dns, lcore), 1)))) {
            Thread.sleep(warmup * 1000L);
            long worker = lcoreThread("isthmus-lcore0");
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long allocated0 = ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(worker);
            long cpu0 = threads.getThreadCpuTime(worker);
            long t0 = System.nanoTime();
            CounterSnapshot start = dp.counters();
            DnsCounterSnapshot dnsStart = dns.counters();
            Thread.sleep(seconds * 1000L);
            CounterSnapshot end = dp.counters();
            DnsCounterSnapshot dnsEnd = dns.counters();
            long t1 = System.nanoTime();
            long cpu1 = threads.getThreadCpuTime(worker);
            long allocated = ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(worker) - allocated0;
            long sent = end.total(LcoreCounters.Lcore.TX_PACKETS) - start.total(LcoreCounters.Lcore.TX_PACKETS);
            long answered = dnsEnd.total(DnsCounters.Counter.ANSWERED) - dnsStart.total(DnsCounters.Counter.ANSWERED);
            long cached = dnsEnd.total(DnsCounters.Counter.ANSWERED_FROM_CACHE)
                    - dnsStart.total(DnsCounters.Counter.ANSWERED_FROM_CACHE);
            long dropped = end.total(LcoreCounters.Lcore.DROPPED) - start.total(LcoreCounters.Lcore.DROPPED);
            long received = end.total(LcoreCounters.Lcore.RX_PACKETS) - start.total(LcoreCounters.Lcore.RX_PACKETS);
            long limited = dnsEnd.total(DnsCounters.Counter.RATE_LIMITED)
                    - dnsStart.total(DnsCounters.Counter.RATE_LIMITED);
            long slipped = dnsEnd.total(DnsCounters.Counter.SLIPPED) - dnsStart.total(DnsCounters.Counter.SLIPPED);
            double wall = (t1 - t0) / 1e9;
            double cpuSeconds = (cpu1 - cpu0) / 1e9;
            double mpps = sent / wall / 1e6;
            double perCpu = sent / cpuSeconds / 1e6;
            System.out.printf(Locale.ROOT, "isthmus dns: %.2f M answers/s sent, %.2f M per CPU-second of the lcore "
                    + "(on CPU %.0f%% of the window; %d answered, %.1f%% from the packet cache of %d slots, "
                    + "%d dropped; %d bytes allocated by the lcore thread in the window; rcodes %s; drops %s)%n",
                    mpps, perCpu, 100 * cpuSeconds / wall, answered, answered > 0 ? 100.0 * cached / answered : 0.0,
                    settings().answerCacheEntries(), dropped, allocated, dnsEnd.rcodes(), end.drops());
            System.out.printf(Locale.ROOT, "isthmus dns rrl %d/s: %.2f M queries/s received and handled, "
                    + "%.2f M per CPU-second; %d rate-limited, %d slipped%n", Integer.getInteger("isthmus.bench.rrl", 0),
                    received / wall / 1e6, received / cpuSeconds / 1e6, limited, slipped);
            dp.stop();
            System.out.printf(Locale.ROOT, "RESULT isthmus dns %.3f %.3f %.3f%n", mpps, perCpu, received / cpuSeconds / 1e6);
        }
    }

    private static void handoff(String pcap, ZoneCatalog catalog, int ioCpu, int workerCpu, int warmup, int seconds)
            throws Exception {
        List<PortConfig> ports = List.of(appliancePort("rx_pcap=" + pcap + ",infinite_rx=1"),
                PortConfig.of("p1", "net_null0", "size=64,no-rx=1"));
        // lcore0 polls the ports and hands off; lcore1 polls only its ring (rings: one per lcore, 1024 slots).
        DataplaneConfig config = new DataplaneConfig("dnsbench", new EalConfig(false, 1024, "isthmusdns",
                List.of("--log-level=*:warning")), MempoolConfig.of(16383), ports,
                List.of(new LcoreConfig(ioCpu, ports.stream().map(p -> new QueueRef(p.name(), 0)).toList()),
                        new LcoreConfig(workerCpu, List.of())), Duration.ofNanos(100_000), 1024, null);
        try (DnsDataPath dns = new DnsDataPath(catalog, settings(), QueryLogSink.discard());
             Dataplane dp = Dataplane.start(config, lcore -> lcore.index() == 0
                     ? Pipeline.of(new FlowDispatchStage(1, 1, true))
                     : Pipeline.of(new AnswerTo(dnsStages(dns, lcore), 1)))) {
            Thread.sleep(warmup * 1000L);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long io = lcoreThread("isthmus-lcore0");
            long worker = lcoreThread("isthmus-lcore1");
            long allocated0 = ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(io)
                    + ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(worker);
            long ioCpu0 = threads.getThreadCpuTime(io);
            long workerCpu0 = threads.getThreadCpuTime(worker);
            long t0 = System.nanoTime();
            CounterSnapshot start = dp.counters();
            Thread.sleep(seconds * 1000L);
            CounterSnapshot end = dp.counters();
            long t1 = System.nanoTime();
            long ioCpu1 = threads.getThreadCpuTime(io);
            long workerCpu1 = threads.getThreadCpuTime(worker);
            long allocated = ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(io)
                    + ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(worker) - allocated0;
            long sent = end.total(LcoreCounters.Lcore.TX_PACKETS) - start.total(LcoreCounters.Lcore.TX_PACKETS);
            long handed = end.total(LcoreCounters.Lcore.HANDED_OFF) - start.total(LcoreCounters.Lcore.HANDED_OFF);
            long ringFull = end.total(LcoreCounters.Lcore.RING_FULL) - start.total(LcoreCounters.Lcore.RING_FULL);
            double wall = (t1 - t0) / 1e9;
            double mpps = sent / wall / 1e6;
            double workerPerCpu = sent / ((workerCpu1 - workerCpu0) / 1e9) / 1e6;
            long received = end.total(LcoreCounters.Lcore.RX_PACKETS) - start.total(LcoreCounters.Lcore.RX_PACKETS)
                    - handed; // the worker's ring input counts as received too
            // The replay offers more than one worker answers: the I/O lcore's cost is per packet it received.
            double ioNs = received > 0 ? (double) (ioCpu1 - ioCpu0) / received : 0;
            double workerNs = sent > 0 ? (double) (workerCpu1 - workerCpu0) / sent : 0;
            System.out.printf(Locale.ROOT, "isthmus handoff: %.2f M answers/s sent; I/O lcore %.1f ns of CPU per "
                    + "packet received, worker %.1f ns per answer (on CPU %.0f%% and %.0f%% of the window); %d handed off, %d ring "
                    + "full; %d bytes allocated by the two lcore threads in the window; drops %s%n", mpps, ioNs,
                    workerNs, 100 * (ioCpu1 - ioCpu0) / 1e9 / wall, 100 * (workerCpu1 - workerCpu0) / 1e9 / wall,
                    handed, ringFull, allocated, end.drops());
            dp.stop();
            System.out.printf(Locale.ROOT, "RESULT isthmus handoff %.3f %.3f %.1f %.1f%n", mpps, workerPerCpu, ioNs,
                    workerNs);
        }
    }

    private static long lcoreThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name)).threadId();
    }

    private static void verify(String pcap, ZoneCatalog catalog, String responses) throws Exception {
        List<PortConfig> ports = List.of(appliancePort("rx_pcap=" + pcap + ",tx_pcap=" + responses));
        try (DnsDataPath dns = new DnsDataPath(catalog, settings(), QueryLogSink.discard());
             Dataplane dp = Dataplane.start(config(ports, -1), lcore -> Pipeline.of(
                     dnsStages(dns, lcore).toArray(PacketStage[]::new)))) {
            long last = -1;
            // The pcap is read once; wait until the answers stop growing (bounded: 30 s).
            for (int k = 0; k < 300; k++) {
                Thread.sleep(100);
                long now = dp.counters().total(LcoreCounters.Lcore.TX_PACKETS);
                if (now == last && now > 0) {
                    break;
                }
                last = now;
            }
            dp.stop();
            System.out.printf(Locale.ROOT, "verify: %d frames received, %d answers written to %s (%d from the "
                    + "packet cache); dns %s; drops %s%n", dp.counters().total(LcoreCounters.Lcore.RX_PACKETS),
                    dp.counters().total(LcoreCounters.Lcore.TX_PACKETS), responses,
                    dns.counters().total(DnsCounters.Counter.ANSWERED_FROM_CACHE), dns.counters().rcodes(),
                    dp.counters().drops());
        }
    }

    /** The appliance's stages around the DNS stage, without an exception port (what it would punt is dropped). */
    private static List<PacketStage> dnsStages(DnsDataPath dns, LcoreContext lcore) {
        return StageOrder.ordered(lcore, null, null, true, List.of(dns.dnsStage(lcore)));
    }
}
