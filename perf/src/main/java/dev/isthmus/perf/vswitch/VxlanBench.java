package dev.isthmus.perf.vswitch;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Isthmus's side of {@code bench vxlan}: one lcore switching VNI 100 with an FDB of {@value #REMOTE_MACS} remote
 * MACs spread over {@value #VTEPS} VTEPs (198.18.1.1 ..) and {@value #LOCAL_MACS} local ones, fed by a net_pcap
 * {@code infinite_rx=1} replay and sending into a net_null port; the rate is the lcore's own TX counter over a window
 * after a warm-up.
 *
 * <p>Usage: {@code VxlanBench encap|decap CPU WARMUP_S SECONDS PCAP}. {@code encap}: the pcap (plain frames from
 * local to remote MACs) is the access port, net_null the uplink; {@code decap}: the pcap (VxLAN from the VTEPs to
 * 198.18.0.1, inner frames from remote to local MACs) is the uplink, net_null the access port. The MAC numbering
 * matches bench-vxlan.sh's pcap generator. Prints {@code RESULT isthmus MODE MPPS MPPS_PER_CPU_SECOND} last: the
 * second figure divides by the CPU time the lcore thread actually got, which on a shared machine differs from the
 * wall-clock window.
 */
public final class VxlanBench {

    static final int VTEPS = 100;
    static final int REMOTE_MACS = 10_000;
    static final int LOCAL_MACS = 256;
    static final long REMOTE_MAC_BASE = 0x0201_0000_0000L;
    static final long LOCAL_MAC_BASE = 0x0202_0000_0000L;
    static final long NEXT_HOP_MAC = 0x0203_0000_0001L;
    static final String UPLINK_MAC = "02:00:00:00:00:fe";

    private VxlanBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 5) {
            System.err.println("usage: VxlanBench encap|decap CPU WARMUP_S SECONDS PCAP");
            System.exit(2);
        }
        final String mode = args[0];
        final int cpu = Integer.parseInt(args[1]);
        final int warmup = Integer.parseInt(args[2]);
        final int seconds = Integer.parseInt(args[3]);
        final PortConfig replay = PortConfig.of("replay", "net_pcap0", "rx_pcap=" + args[4] + ",infinite_rx=1");
        final PortConfig sink = PortConfig.of("sink", "net_null0", "size=64,no-rx=1");
        final boolean encap = switch (mode) {
            case "encap" -> true;
            case "decap" -> false;
            default -> throw new IllegalArgumentException("mode must be encap or decap, got " + mode);
        };
        // Port numbers: the replay is port 0, the sink port 1.
        final int accessPort = encap ? 0 : 1;
        final int uplinkPort = encap ? 1 : 0;

        final List<VtepAddress> vteps = new ArrayList<>();
        for (int v = 0; v < VTEPS; v++) {
            vteps.add(VtepAddress.parse(vtepIp(v)));
        }
        BridgeDomainConfig domain = BridgeDomainConfig.of(100).withPort(AccessPort.untagged(accessPort))
                .withSettings(REMOTE_MACS + LOCAL_MACS + 1024, 3600, false);
        for (VtepAddress vtep : vteps) {
            domain = domain.withVtep(vtep);
        }
        final UnderlayConfig underlay = UnderlayConfig.ipv4(uplinkPort, MacAddress.parse(UPLINK_MAC),
                Ipv4Address.parse("198.18.0.1"), 16);
        final VswitchControl control = new VswitchControl(new VswitchConfig(underlay, List.of(domain)),
                SecondsClock::now);
        populate(control.snapshot());

        final DataplaneConfig config = new DataplaneConfig("vxb", new EalConfig(false, 1024, "isthmusvxb",
                List.of("--log-level=*:warning")), MempoolConfig.of(16383), List.of(replay, sink),
                List.of(new LcoreConfig(cpu, List.of(new QueueRef("replay", 0), new QueueRef("sink", 0)))),
                Duration.ofNanos(100_000), 0, null);
        try (Dataplane dp = Dataplane.start(config,
                lcore -> Pipeline.of(new VswitchStage(control::snapshot, lcore)))) {
            Thread.sleep(warmup * 1000L);
            final Thread lcore = workerThread();
            final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            final long a0 = threads.getThreadAllocatedBytes(lcore.threadId());
            final long c0 = threads.getThreadCpuTime(lcore.threadId());
            final long t0 = System.nanoTime();
            final CounterSnapshot start = dp.counters();
            Thread.sleep(seconds * 1000L);
            final CounterSnapshot end = dp.counters();
            final long t1 = System.nanoTime();
            final long c1 = threads.getThreadCpuTime(lcore.threadId());
            final long allocated = threads.getThreadAllocatedBytes(lcore.threadId()) - a0;
            final long sent = end.total(LcoreCounters.Lcore.TX_PACKETS) - start.total(LcoreCounters.Lcore.TX_PACKETS);
            final long dropped = end.total(LcoreCounters.Lcore.DROPPED) - start.total(LcoreCounters.Lcore.DROPPED);
            final double mpps = sent / ((t1 - t0) / 1e9) / 1e6;
            final double cpuSeconds = (c1 - c0) / 1e9;
            final double mppsPerCpu = sent / cpuSeconds / 1e6;
            System.out.printf(Locale.ROOT, "isthmus %s: %.2f Mpps, %.2f Mpps per CPU-second of the lcore (%.1f of %d s on"
                    + " CPU; %d dropped in the window; drops %s; %d bytes allocated by the lcore thread in the window;"
                    + " domain %s)%n", mode, mpps, mppsPerCpu, cpuSeconds, seconds, dropped, end.drops(), allocated,
                    control.domainCounters(100));
            dp.stop();
            System.out.printf(Locale.ROOT, "RESULT isthmus %s %.3f %.3f%n", mode, mpps, mppsPerCpu);
        } finally {
            control.close();
        }
    }

    /** The poll-mode worker's thread (the dataplane names it {@code isthmus-lcore0}). */
    private static Thread workerThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("isthmus-lcore0")) {
                return t;
            }
        }
        throw new IllegalStateException("no thread isthmus-lcore0");
    }

    static String vtepIp(int v) {
        return "198.18.1." + (v + 1);
    }

    /** The FDB the pcaps assume: remote MAC k behind VTEP k % 100, local MAC j on the access port; next hops known. */
    static void populate(VswitchSnapshot snapshot) {
        final BridgeDomain domain = snapshot.domainByVni(100);
        final int now = SecondsClock.now();
        for (int k = 0; k < REMOTE_MACS; k++) {
            final int vtepId = snapshot.vtepIdOf(Ipv4Address.parse(vtepIp(k % VTEPS)).value());
            domain.fdb().learn(REMOTE_MAC_BASE + k, FdbTarget.remote(vtepId), now);
        }
        final int local = domain.localTarget(0);
        for (int j = 0; j < LOCAL_MACS; j++) {
            domain.fdb().learn(LOCAL_MAC_BASE + j, local, now);
        }
        for (int i = 0; i < snapshot.neighborCount(); i++) {
            snapshot.neighbor(i).confirm(NEXT_HOP_MAC, now);
        }
    }
}
