package dev.isthmus.perf.vswitch;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketFrame;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vswitch stage alone, without ports: the frames of {@code bench vxlan} (same MACs, VTEPs and FDB as
 * {@link VxlanBench}) are copied into mbufs 32 at a time and handed to {@link VswitchStage#process}, and only that
 * call is timed. Separates the stage's cost from the PMDs' and the worker's, with less noise than a port run, for
 * A/B comparisons of data-path changes and for profiling (e.g. under {@code perf record -e cpu-clock} with
 * {@code -XX:+DumpPerfMapAtExit}).
 *
 * <p>Usage: {@code VxlanStageBench encap|decap [SECONDS (default 10)] [ROUNDS (default 3)]}; prints per round the
 * wall-clock ns per packet inside the stage and the CPU ns per packet of the whole loop (copying frames in, the
 * stage, freeing; unlike the first, not inflated when the thread is preempted on a shared machine), and the
 * thread's allocated bytes over the timed rounds.
 */
public final class VxlanStageBench {

    private static final int FRAMES = 1024;
    private static final int PLAIN_LENGTH = 60;
    private static final int VXLAN_LENGTH = 110;

    private VxlanStageBench() {
    }

    public static void main(String[] args) {
        final boolean encap = switch (args.length > 0 ? args[0] : "") {
            case "encap" -> true;
            case "decap" -> false;
            default -> throw new IllegalArgumentException("usage: VxlanStageBench encap|decap [SECONDS] [ROUNDS]");
        };
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final int accessPort = encap ? 0 : 1;
        final int uplinkPort = encap ? 1 : 0;
        final int inputPort = encap ? accessPort : uplinkPort;

        Eal.shared();
        final Mempool pool = Mempool.create("vxstage", 4095);
        BridgeDomainConfig domain = BridgeDomainConfig.of(100).withPort(AccessPort.untagged(accessPort))
                .withSettings(VxlanBench.REMOTE_MACS + VxlanBench.LOCAL_MACS + 1024, 3600, false);
        for (int v = 0; v < VxlanBench.VTEPS; v++) {
            domain = domain.withVtep(VtepAddress.parse(VxlanBench.vtepIp(v)));
        }
        final UnderlayConfig underlay = UnderlayConfig.ipv4(uplinkPort, MacAddress.parse(VxlanBench.UPLINK_MAC),
                Ipv4Address.parse("198.18.0.1"), 16);
        final VswitchControl control = new VswitchControl(new VswitchConfig(underlay, List.of(domain)),
                SecondsClock::now);
        VxlanBench.populate(control.snapshot());
        final VswitchStage stage = new VswitchStage(control::snapshot, 0, pool);

        final int length = encap ? PLAIN_LENGTH : VXLAN_LENGTH;
        final MemorySegment frames = Arena.global().allocate((long) FRAMES * length, 64);
        for (int i = 0; i < FRAMES; i++) {
            final long at = frames.address() + (long) i * length;
            if (encap) {
                writePlain(at, i);
            } else {
                writeVxlan(at, i);
            }
        }

        final MbufBurst burst = new MbufBurst();
        final MbufBurst emitted = new MbufBurst();
        final PacketFrame frame = new PacketFrame(new int[] {0, 1}, (mbuf, port) -> {
            emitted.add(mbuf);
            emitted.freeAll();
        });
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final List<String> lines = new ArrayList<>();
        long allocated = 0;
        final int expectedPort = encap ? uplinkPort : accessPort;
        run(stage, pool, burst, frame, frames, length, inputPort, encap, expectedPort, 5_000_000_000L); // warm-up
        for (int r = 0; r < rounds; r++) {
            final long allocated0 = threads.getCurrentThreadAllocatedBytes();
            final long[] result = run(stage, pool, burst, frame, frames, length, inputPort, encap, expectedPort,
                    seconds * 1_000_000_000L);
            allocated += threads.getCurrentThreadAllocatedBytes() - allocated0;
            lines.add(String.format(Locale.ROOT, "stage %s round %d: %.1f ns/packet, %.2f Mpps of stage time;"
                    + " whole loop %.1f CPU-ns/packet (%d packets, %d not sent to the expected port)",
                    encap ? "encap" : "decap", r + 1, (double) result[1] / result[0], result[0] * 1e3 / result[1],
                    (double) result[3] / result[0], result[0], result[2]));
        }
        lines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "allocated by the bench thread over the timed rounds: %d bytes%n", allocated);
        System.out.println("domain " + control.domainCounters(100));
        control.close();
    }

    /**
     * @return packets, nanoseconds inside process(), packets not transmitted to {@code expectedPort}, CPU nanoseconds
     *         of the thread over the loop
     */
    private static long[] run(VswitchStage stage, Mempool pool, MbufBurst burst, PacketFrame frame,
                              MemorySegment frames, int length, int inputPort, boolean encap, int expectedPort,
                              long budget) {
        final long base = frames.address();
        long packets = 0;
        long inside = 0;
        long wrong = 0;
        int next = 0;
        final long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        final long end = System.nanoTime() + budget;
        while (System.nanoTime() < end) {
            for (int b = 0; b < 256; b++) {
                if (!burst.allocate(pool, MbufBurst.MAX)) {
                    throw new IllegalStateException("pool empty");
                }
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    burst.setDataLength(i, length);
                    PacketMemory.copy(base + (long) next * length, burst.dataAddress(i), length);
                    next = (next + 1) & (FRAMES - 1);
                }
                frame.reset(burst, inputPort, 0, System.nanoTime()); // as the worker does, once per burst
                final long t0 = System.nanoTime();
                stage.process(frame);
                inside += System.nanoTime() - t0;
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    if (frame.kind(i) != PacketFrame.TRANSMIT || frame.target(i) != expectedPort) {
                        wrong++;
                    }
                }
                burst.freeAll();
                packets += MbufBurst.MAX;
            }
        }
        final long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        return new long[] {packets, inside, wrong, cpu};
    }

    private static long local(int i) {
        return VxlanBench.LOCAL_MAC_BASE + i % 256;
    }

    private static long remote(int i) {
        return VxlanBench.REMOTE_MAC_BASE + (i * 37) % 10_000;
    }

    /** Frame i of bench-vxlan.sh's encap pcap: 60 bytes of Ethernet/IPv4/UDP from a local to a remote MAC. */
    private static void writePlain(long at, int i) {
        writeInner(at, remote(i), local(i), 0x0A00_0000 | (i / 256) << 8 | i % 256, 0x0A01_0001, 1024 + i, 80);
    }

    /** Frame i of the decap pcap: the reply inside VxLAN from VTEP (i*37 % 10000) % 100 to 198.18.0.1, VNI 100. */
    private static void writeVxlan(long at, int i) {
        final int vtep = Ipv4Address.parse("198.18.1." + ((i * 37) % 10_000 % 100 + 1)).value();
        PacketMemory.put48(at, MacAddress.parse(VxlanBench.UPLINK_MAC).value());
        PacketMemory.put48(at + 6, VxlanBench.NEXT_HOP_MAC);
        PacketMemory.put16(at + 12, 0x0800);
        writeIpv4(at + 14, VXLAN_LENGTH - 14, vtep, Ipv4Address.parse("198.18.0.1").value());
        PacketMemory.put32(at + 34, (49152 + i) << 16 | 4789);
        PacketMemory.put32(at + 38, (VXLAN_LENGTH - 34) << 16);
        PacketMemory.put64(at + 42, 0x0800_0000_0000_6400L);
        writeInner(at + 50, local(i), remote(i), 0x0A01_0001, 0x0A00_0000 | (i / 256) << 8 | i % 256, 80, 1024 + i);
    }

    private static void writeInner(long at, long dst, long src, int ipSrc, int ipDst, int sport, int dport) {
        PacketMemory.put48(at, dst);
        PacketMemory.put48(at + 6, src);
        PacketMemory.put16(at + 12, 0x0800);
        writeIpv4(at + 14, PLAIN_LENGTH - 14, ipSrc, ipDst);
        PacketMemory.put32(at + 34, sport << 16 | dport);
        PacketMemory.put32(at + 38, (PLAIN_LENGTH - 34) << 16);
        for (int k = 42; k < PLAIN_LENGTH; k++) {
            PacketMemory.put8(at + k, 0);
        }
    }

    private static void writeIpv4(long ip, int totalLength, int source, int destination) {
        PacketMemory.put32(ip, 0x4500_0000 | totalLength);
        PacketMemory.put32(ip + 4, 0);
        PacketMemory.put32(ip + 8, 64 << 24 | 17 << 16);
        PacketMemory.put32(ip + 12, source);
        PacketMemory.put32(ip + 16, destination);
        PacketMemory.put16(ip + 10, InternetChecksum.compute(ip, 20));
    }
}
