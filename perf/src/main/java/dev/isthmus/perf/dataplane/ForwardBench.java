package dev.isthmus.perf.dataplane;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PortForwardStage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Isthmus's side of {@code bench forward}: one lcore forwarding between two ports as testpmd's {@code io} or
 * {@code macswap} mode does, measured by the lcore's own TX counters over a window after a warm-up.
 *
 * <p>Usage: {@code ForwardBench MODE RX CPU WARMUP_S SECONDS [PCAP]} with MODE {@code io|macswap} and RX
 * {@code null} (two net_null ports, both directions) or {@code pcap} (net_pcap infinite_rx=1 replaying PCAP into
 * a net_null port that receives nothing). Prints {@code RESULT isthmus MODE RX MPPS MPPS_PER_CPU_SECOND} last: the
 * second figure divides by the CPU time the lcore's thread actually got, which on a shared machine is the fair
 * comparison with testpmd's forwarding thread measured the same way.
 */
public final class ForwardBench {

    private ForwardBench() {
    }

    /** The poll thread of lcore 0 (PollWorker names it isthmus-lcore0). */
    private static long workerThreadId() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("isthmus-lcore0"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no isthmus-lcore0 thread")).threadId();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 5) {
            System.err.println("usage: ForwardBench io|macswap null|pcap CPU WARMUP_S SECONDS [PCAP]");
            System.exit(2);
        }
        String mode = args[0];
        String rx = args[1];
        int cpu = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        List<PortConfig> ports = switch (rx) {
            case "null" -> List.of(PortConfig.of("p0", "net_null0", "size=64"), PortConfig.of("p1", "net_null1", "size=64"));
            case "pcap" -> List.of(PortConfig.of("p0", "net_pcap0", "rx_pcap=" + args[5] + ",infinite_rx=1"),
                    PortConfig.of("p1", "net_null0", "size=64,no-rx=1"));
            default -> throw new IllegalArgumentException("rx must be null or pcap, got " + rx);
        };
        DataplaneConfig config = new DataplaneConfig("fwd", new EalConfig(false, 1024, "isthmusfwd",
                List.of("--log-level=*:warning")), MempoolConfig.of(16383), ports,
                List.of(new LcoreConfig(cpu, List.of(new QueueRef("p0", 0), new QueueRef("p1", 0)))),
                Duration.ofNanos(100_000), 0, null);
        boolean swap = switch (mode) {
            case "io" -> false;
            case "macswap" -> true;
            default -> throw new IllegalArgumentException("mode must be io or macswap, got " + mode);
        };
        try (Dataplane dp = Dataplane.start(config,
                lcore -> Pipeline.of(new PortForwardStage(PortForwardStage.pairedPorts(2), swap)))) {
            Thread.sleep(warmup * 1000L);
            long worker = workerThreadId();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
            long allocated0 = allocation.getThreadAllocatedBytes(worker);
            long cpu0 = threads.getThreadCpuTime(worker);
            long t0 = System.nanoTime();
            CounterSnapshot start = dp.counters();
            Thread.sleep(seconds * 1000L);
            CounterSnapshot end = dp.counters();
            long t1 = System.nanoTime();
            long cpu1 = threads.getThreadCpuTime(worker);
            long allocated = allocation.getThreadAllocatedBytes(worker) - allocated0;
            long sent = end.total(LcoreCounters.Lcore.TX_PACKETS) - start.total(LcoreCounters.Lcore.TX_PACKETS);
            long dropped = end.total(LcoreCounters.Lcore.DROPPED) - start.total(LcoreCounters.Lcore.DROPPED);
            long loops = end.total(LcoreCounters.Lcore.LOOPS) - start.total(LcoreCounters.Lcore.LOOPS);
            long idle = end.total(LcoreCounters.Lcore.IDLE_LOOPS) - start.total(LcoreCounters.Lcore.IDLE_LOOPS);
            double mpps = sent / ((t1 - t0) / 1e9) / 1e6;
            double cpuSeconds = (cpu1 - cpu0) / 1e9;
            double mppsPerCpu = sent / cpuSeconds / 1e6;
            System.out.printf(Locale.ROOT, "isthmus %s %s: %.2f Mpps forwarded, %.2f Mpps per CPU-second of the lcore "
                    + "(on CPU %.0f%% of the window; %d dropped, %d loops, %d idle, drops %s; lcore thread allocated %d bytes "
                    + "in the window)%n", mode, rx, mpps, mppsPerCpu, 100 * cpuSeconds / ((t1 - t0) / 1e9), dropped, loops,
                    idle, end.drops(), allocated);
            dp.stop();
            System.out.printf(Locale.ROOT, "RESULT isthmus %s %s %.3f %.3f%n", mode, rx, mpps, mppsPerCpu);
        }
    }
}
