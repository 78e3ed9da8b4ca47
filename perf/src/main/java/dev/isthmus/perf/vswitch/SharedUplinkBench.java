package dev.isthmus.perf.vswitch;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsCounterSnapshot;
import dev.isthmus.dns.pipeline.DnsCounters;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Isthmus's side of {@code bench shared-uplink}: DNS and the VxLAN switch on one uplink, in one lcore's pipeline as
 * the appliance composes it (DNS stage, vswitch stage, exception classification, host stage). A net_pcap
 * {@code infinite_rx=1} replay of DNS queries to 198.18.0.53 / 2001:db8::53 interleaved with VxLAN from
 * {@value VxlanBench#VTEPS} VTEPs to 198.18.0.1 (the decap pcap of {@code bench vxlan}) is the uplink; answers and
 * decapsulated frames both go to a net_null port (a bench sink, as {@code bench dns} sends its answers), so the figure
 * is packets handled per second by the two network functions together.
 *
 * <p>Usage: {@code SharedUplinkBench PCAP ZONE CPU WARMUP_S SECONDS}; prints {@code RESULT isthmus shared WALL_MPPS
 * CPU_MPPS} last.
 */
public final class SharedUplinkBench {

    private SharedUplinkBench() {
    }

    /** Runs the appliance's stages, then sends what they transmit out of the sink port instead. */
    private record ToSink(Pipeline stages, int sink) implements PacketStage {
        @Override
        public void process(PacketFrame frame) {
            stages.process(frame);
            final int n = frame.size();
            for (int i = 0; i < n; i++) {
                if (frame.kind(i) == PacketFrame.TRANSMIT) {
                    frame.transmit(i, sink);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: SharedUplinkBench PCAP ZONE CPU WARMUP_S SECONDS");
            System.exit(2);
        }
        final int cpu = Integer.parseInt(args[2]);
        final int warmup = Integer.parseInt(args[3]);
        final int seconds = Integer.parseInt(args[4]);
        final ZoneCatalog catalog = new ZoneCatalog();
        catalog.load("example.test", Path.of(args[1]));
        final PortConfig uplink = PortConfig.of("uplink", "net_pcap0", "rx_pcap=" + args[0] + ",infinite_rx=1")
                .withAddresses(MacAddress.parse("02:00:00:00:00:53"), List.of(Ipv4Address.parse("198.18.0.53")),
                        List.of(Ipv6Address.parse("2001:db8::53")));
        final PortConfig sink = PortConfig.of("sink", "net_null0", "size=64,no-rx=1");
        // Port numbers: the uplink is port 0, the sink (also the bridge domain's access port) port 1.
        final List<VtepAddress> vteps = new ArrayList<>();
        for (int v = 0; v < VxlanBench.VTEPS; v++) {
            vteps.add(VtepAddress.parse(VxlanBench.vtepIp(v)));
        }
        BridgeDomainConfig domain = BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1))
                .withSettings(VxlanBench.REMOTE_MACS + VxlanBench.LOCAL_MACS + 1024, 3600, false);
        for (VtepAddress vtep : vteps) {
            domain = domain.withVtep(vtep);
        }
        final VswitchControl control = new VswitchControl(new VswitchConfig(UnderlayConfig.ipv4(0,
                MacAddress.parse(VxlanBench.UPLINK_MAC), Ipv4Address.parse("198.18.0.1"), 16), List.of(domain)),
                SecondsClock::now);
        VxlanBench.populate(control.snapshot());
        final DataplaneConfig config = new DataplaneConfig("sharedbench", new EalConfig(false, 1024,
                "isthmusshared", List.of("--log-level=*:warning")), MempoolConfig.of(16383), List.of(uplink, sink),
                List.of(new LcoreConfig(cpu, List.of(new QueueRef("uplink", 0), new QueueRef("sink", 0)))),
                Duration.ofNanos(100_000), 0, null);
        try (DnsDataPath dns = new DnsDataPath(catalog, DnsSettings.defaults(), QueryLogSink.discard());
             Dataplane dp = Dataplane.start(config, lcore -> Pipeline.of(new ToSink(new Pipeline(
                     StageOrder.ordered(lcore, null, null, false,
                             List.of(dns.dnsStage(lcore), new VswitchStage(control::snapshot, lcore))), false), 1)))) {
            Thread.sleep(warmup * 1000L);
            final long worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("isthmus-lcore0")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no thread isthmus-lcore0")).threadId();
            final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            final long a0 = threads.getThreadAllocatedBytes(worker);
            final long c0 = threads.getThreadCpuTime(worker);
            final long t0 = System.nanoTime();
            final CounterSnapshot start = dp.counters();
            final DnsCounterSnapshot dnsStart = dns.counters();
            Thread.sleep(seconds * 1000L);
            final CounterSnapshot end = dp.counters();
            final DnsCounterSnapshot dnsEnd = dns.counters();
            final long t1 = System.nanoTime();
            final long c1 = threads.getThreadCpuTime(worker);
            final long allocated = threads.getThreadAllocatedBytes(worker) - a0;
            final long sent = end.total(LcoreCounters.Lcore.TX_PACKETS) - start.total(LcoreCounters.Lcore.TX_PACKETS);
            final long dropped = end.total(LcoreCounters.Lcore.DROPPED) - start.total(LcoreCounters.Lcore.DROPPED);
            final long answered = dnsEnd.total(DnsCounters.Counter.ANSWERED)
                    - dnsStart.total(DnsCounters.Counter.ANSWERED);
            final double wall = (t1 - t0) / 1e9;
            final double cpuSeconds = (c1 - c0) / 1e9;
            final double mpps = sent / wall / 1e6;
            final double perCpu = sent / cpuSeconds / 1e6;
            System.out.printf(Locale.ROOT, "isthmus shared uplink: %.2f Mpps sent (DNS answers and decapsulated "
                    + "frames), %.2f Mpps per CPU-second of the lcore (on CPU %.0f%% of the window; %d DNS answers, "
                    + "%d decapsulated; %d dropped, drops %s; %d bytes allocated by the lcore thread in the window)%n",
                    mpps, perCpu, 100 * cpuSeconds / wall, answered, sent - answered, dropped, end.drops(),
                    allocated);
            dp.stop();
            System.out.printf(Locale.ROOT, "RESULT isthmus shared %.3f %.3f%n", mpps, perCpu);
        } finally {
            control.close();
        }
    }
}
