package dev.isthmus.perf.vswitch;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stages of {@code bench shared-uplink} without ports, each timed on its own: the frames of its pcap (DNS queries
 * and VxLAN interleaved, or only one kind) are copied into mbufs 32 at a time, and per burst the parse
 * ({@link PacketFrame#headers()}), the DNS stage, the vswitch stage and the host stage are timed separately, as
 * {@code SharedUplinkBench} composes them. Says which stage a change made cheaper or dearer, in ns per packet, with
 * less noise than a port run: a burst whose timings were interrupted (over 30 µs in all: the thread was preempted
 * on a shared machine) is left out, and each figure is the lowest of many short rounds.
 *
 * <p>Usage: {@code SharedUplinkStageBench PCAP ZONE mixed|dns|vxlan [ROUND_MS (default 100)] [ROUNDS (default
 * 30)]}, PCAP being {@code perf/target/bench-shared-uplink/mixed.pcap} as {@code bench-shared-uplink.sh} writes it
 * and ZONE the example zone; prints one line with the ns per packet of each step, and the bytes the thread allocated
 * over the timed rounds.
 */
public final class SharedUplinkStageBench {

    /** Room per frame in the copy the mbufs are filled from. */
    private static final int SLOT = 2048;
    /** A burst whose steps took longer than this in all was interrupted; it is not counted. */
    private static final long INTERRUPTED_NANOS = 30_000;

    private SharedUplinkStageBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: SharedUplinkStageBench PCAP ZONE mixed|dns|vxlan [ROUND_MS] "
                    + "[ROUNDS]");
        }
        final String which = args[2];
        final int roundMillis = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        final int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        final List<byte[]> frames = frames(Path.of(args[0]), which);
        final int count = Integer.highestOneBit(frames.size());
        final MemorySegment copies = Arena.global().allocate((long) count * SLOT, 64);
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(MemorySegment.ofArray(frames.get(i)), 0, copies, (long) i * SLOT, frames.get(i).length);
            lengths[i] = frames.get(i).length;
        }

        Eal.shared();
        final Mempool pool = Mempool.create("sharedstage", 4095);
        final ZoneCatalog catalog = new ZoneCatalog();
        catalog.load("example.test", Path.of(args[1]));
        // As SharedUplinkBench: port 0 the uplink (DNS at 198.18.0.53 / 2001:db8::53, the VTEP 198.18.0.1), port 1
        // the bridge domain's access port.
        final PortTable ports = new PortTable(List.of(
                new PortTable.Entry("uplink", 0, MacAddress.parse("02:00:00:00:00:53"),
                        List.of(Ipv4Address.parse("198.18.0.53")), List.of(Ipv6Address.parse("2001:db8::53"))),
                new PortTable.Entry("sink", 1, MacAddress.parse("02:00:00:00:00:54"), List.of(), List.of())));
        final LcoreContext lcore = new LcoreContext(0, "lcore0", 1, ports, pool,
                new LcoreCounters("lcore0", List.of("uplink"), 2));
        BridgeDomainConfig domain = BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1))
                .withSettings(VxlanBench.REMOTE_MACS + VxlanBench.LOCAL_MACS + 1024, 3600, false);
        for (int v = 0; v < VxlanBench.VTEPS; v++) {
            domain = domain.withVtep(VtepAddress.parse(VxlanBench.vtepIp(v)));
        }
        final VswitchControl control = new VswitchControl(new VswitchConfig(UnderlayConfig.ipv4(0,
                MacAddress.parse(VxlanBench.UPLINK_MAC), Ipv4Address.parse("198.18.0.1"), 16), List.of(domain)),
                SecondsClock::now);
        VxlanBench.populate(control.snapshot());
        final DnsDataPath dns = new DnsDataPath(catalog, DnsSettings.defaults(), QueryLogSink.discard());
        final PacketStage[] stages = {dns.dnsStage(lcore), new VswitchStage(control::snapshot, lcore),
                new HostStage(ports)};
        final MbufBurst burst = new MbufBurst();
        final MbufBurst emitted = new MbufBurst();
        final PacketFrame frame = new PacketFrame(new int[] {0, 1}, (mbuf, port) -> {
            emitted.add(mbuf);
            emitted.freeAll();
        });
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        run(stages, pool, burst, frame, copies.address(), lengths, 4_000_000_000L); // warm-up
        final double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE,
                Double.MAX_VALUE};
        long allocated = 0;
        long packets = 0;
        long sent = 0;
        long interrupted = 0;
        for (int r = 0; r < rounds; r++) {
            final long allocated0 = threads.getCurrentThreadAllocatedBytes();
            final long[] result = run(stages, pool, burst, frame, copies.address(), lengths,
                    roundMillis * 1_000_000L);
            allocated += threads.getCurrentThreadAllocatedBytes() - allocated0;
            final double counted = result[0];
            long total = 0;
            for (int s = 0; s < 4; s++) {
                best[s] = Math.min(best[s], result[1 + s] / counted);
                total += result[1 + s];
            }
            best[4] = Math.min(best[4], total / counted);
            packets += result[0];
            sent += result[5];
            interrupted += result[6];
        }
        System.out.printf(Locale.ROOT, "%s: lowest of %d rounds of %d ms, ns per packet: parse %.1f, DNS stage %.1f, "
                + "vswitch stage %.1f, host stage %.1f, all %.1f (%d packets, %d transmitted, %d bursts interrupted "
                + "and not counted; %d bytes allocated by the thread)%n", which, rounds, roundMillis, best[0], best[1],
                best[2], best[3], best[4], packets, sent, interrupted, allocated);
        control.close();
    }

    /** The pcap's Ethernet frames: all of them (mixed), or only the VxLAN ones, or only the rest (dns). */
    private static List<byte[]> frames(Path pcap, String which) throws IOException {
        if (!List.of("mixed", "dns", "vxlan").contains(which)) {
            throw new IllegalArgumentException("mixed, dns or vxlan, not " + which);
        }
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(24); // the pcap file header; then per record: seconds, microseconds, captured, original length
        final List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.position(b.position() + 8);
            final byte[] f = new byte[b.getInt()];
            b.getInt();
            b.get(f);
            // IPv4 protocol UDP to port 4789.
            final boolean vxlan = f.length > 42 && (f[23] & 0xFF) == 17
                    && ((f[36] & 0xFF) << 8 | (f[37] & 0xFF)) == 4789;
            if (which.equals("mixed") || which.equals("vxlan") == vxlan) {
                frames.add(f);
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no " + which + " frames in " + pcap);
        }
        return frames;
    }

    /**
     * @return packets counted, ns in the parse, the DNS, vswitch and host stages (counted bursts only), packets
     *         transmitted, bursts interrupted
     */
    private static long[] run(PacketStage[] stages, Mempool pool, MbufBurst burst, PacketFrame frame, long copies,
                              int[] lengths, long budget) {
        final int count = lengths.length;
        long packets = 0;
        long parse = 0;
        long dns = 0;
        long vswitch = 0;
        long host = 0;
        long sent = 0;
        long interrupted = 0;
        int next = 0;
        final long[] after = new long[stages.length];
        final long end = System.nanoTime() + budget;
        while (System.nanoTime() < end) {
            for (int b = 0; b < 256; b++) {
                if (!burst.allocate(pool, MbufBurst.MAX)) {
                    throw new IllegalStateException("pool empty");
                }
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    burst.setDataLength(i, lengths[next]);
                    PacketMemory.copy(copies + (long) next * SLOT, burst.dataAddress(i), lengths[next]);
                    next = (next + 1) & (count - 1);
                }
                frame.reset(burst, 0, 0, System.nanoTime()); // as the worker does, once per burst
                // As Pipeline.process: the stages behind one (megamorphic) call site, each run while packets are
                // pending. With one call site per stage C2 inlines each, and a mixed stream then compiles otherwise
                // (perf/RESULTS.md, "Shared uplink and decap after parse-once").
                final long t0 = System.nanoTime();
                frame.headers();
                final long t1 = System.nanoTime();
                for (int s = 0; s < stages.length; s++) {
                    if (frame.pendingCount() > 0) {
                        stages[s].process(frame);
                    }
                    after[s] = System.nanoTime();
                }
                final long t2 = after[0];
                final long t3 = after[1];
                final long t4 = after[2];
                if (t4 - t0 < INTERRUPTED_NANOS) {
                    parse += t1 - t0;
                    dns += t2 - t1;
                    vswitch += t3 - t2;
                    host += t4 - t3;
                    packets += MbufBurst.MAX;
                } else {
                    interrupted++;
                }
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    if (frame.kind(i) == PacketFrame.TRANSMIT) {
                        sent++;
                    }
                }
                burst.freeAll();
            }
        }
        return new long[] {packets, parse, dns, vswitch, host, sent, interrupted};
    }
}
