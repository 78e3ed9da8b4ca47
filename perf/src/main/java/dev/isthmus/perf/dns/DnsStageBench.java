package dev.isthmus.perf.dns;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.DnsStage;
import dev.isthmus.dns.pipeline.QueryLogSink;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The DNS stage alone, without ports or poll loop: the frames of {@code bench dns}'s pcap (same addresses as
 * {@link DnsDataplaneBench}) copied into mbufs 32 at a time and handed to {@link DnsStage#process}, the thread's CPU
 * time per packet measured for six loops run in turn each round, so that the cost outside the engine can be read
 * apart (issue 12):
 * <ol>
 *   <li>{@code copy}: allocate the burst, copy the frames in, free it (every other loop does this too);</li>
 *   <li>{@code parse}: copy, then the frame's header parse ({@code HeaderParser}, once per burst);</li>
 *   <li>{@code query-checksum}: parse, then every query's UDP checksum (RFC 768);</li>
 *   <li>{@code stage-cache}: copy and the stage with the packet cache (nearly every answer a hit);</li>
 *   <li>{@code stage-engine}: copy and the stage with the cache off, every query through the engine;</li>
 *   <li>{@code engine}: the engine alone over the same DNS payloads, each copied into a buffer first.</li>
 * </ol>
 * Each figure is its loop's best round less the copy loop's best ({@code engine}: as it stands), in CPU ns per packet;
 * {@code outside-engine} is {@code stage-engine} less {@code engine}. Thread CPU time is not inflated when the thread
 * is preempted, so the loops of two trees compare on a shared machine better than port runs do.
 *
 * <p>Usage: {@code DnsStageBench QUERIES.pcap ZONE [BURSTS per loop (default 20000)] [ROUNDS (default 16)]}, with
 * {@code isthmus.bench.origin} as for {@link DnsDataplaneBench}; prints one line per round, then a {@code RESULT}
 * line and the bytes the thread allocated over the second half of the rounds (the first half warms the JIT up, and
 * interpreted code allocates what compiled code keeps in registers).
 */
public final class DnsStageBench {

    private static final MemorySegment ALL = PacketMemory.ALL;
    private static final String[] LOOPS = {"copy", "parse", "query-checksum", "stage-cache", "stage-engine", "engine"};
    private static final int COPY = 0;
    private static final int PARSE = 1;
    private static final int QUERY_CHECKSUM = 2;
    private static final int STAGE_CACHE = 3;
    private static final int STAGE_ENGINE = 4;
    private static final int ENGINE = 5;

    private DnsStageBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DnsStageBench QUERIES.pcap ZONE [BURSTS] [ROUNDS]");
            System.exit(2);
        }
        final byte[][] frames = pcapFrames(Path.of(args[0]));
        final ZoneCatalog catalog = new ZoneCatalog();
        catalog.load(System.getProperty("isthmus.bench.origin", "example.test"), Path.of(args[1]));
        final int bursts = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 16;

        Eal.shared();
        final Mempool pool = Mempool.create("dnsstagebench", 1023);
        // The appliance port of DnsDataplaneBench: the pcap's queries are addressed to it.
        final PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse("02:00:00:00:00:53"),
                List.of(Ipv4Address.parse("198.18.0.53")), List.of(Ipv6Address.parse("2001:db8::53")), 0, 0)));
        final LcoreContext lcore = new LcoreContext(0, "lcore0", 1, ports, pool,
                new LcoreCounters("lcore0", List.of("p0"), 1));
        final DnsSettings settings = DnsSettings.defaults().withMinimalResponses(true);
        final DnsDataPath cached = new DnsDataPath(catalog, settings, QueryLogSink.discard());
        final DnsDataPath engineOnly = new DnsDataPath(catalog, settings.withAnswerCache(0), QueryLogSink.discard());
        final DnsStage cacheStage = cached.dnsStage(lcore);
        final DnsStage engineStage = engineOnly.dnsStage(lcore);
        final QueryEngine engine = new QueryEngine(catalog, true);
        final PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
            throw new IllegalStateException("the DNS stage makes no new packets");
        });
        final MbufBurst burst = new MbufBurst();
        final MemorySegment buffers = Arena.global().allocate(32 * 2048, 64);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        final double[] ns = new double[LOOPS.length];
        final double[] best = new double[LOOPS.length];
        Arrays.fill(best, Double.MAX_VALUE);
        long allocated = 0;
        long answered = 0;
        for (int r = 0; r < rounds; r++) {
            final long allocated0 = threads.getCurrentThreadAllocatedBytes();
            for (int loop = 0; loop < LOOPS.length; loop++) {
                final long cpu0 = threads.getCurrentThreadCpuTime();
                answered += loop == ENGINE ? engineLoop(engine, frames, buffers.address(), bursts)
                        : stageLoop(loop, loop == STAGE_CACHE ? cacheStage : engineStage, frame, burst, pool, frames,
                                bursts);
                ns[loop] = (threads.getCurrentThreadCpuTime() - cpu0) / (bursts * 32.0);
                best[loop] = Math.min(best[loop], ns[loop]);
            }
            if (r >= rounds / 2) {
                allocated += threads.getCurrentThreadAllocatedBytes() - allocated0; // warm: compiled code only
            }
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            for (int loop = 0; loop < LOOPS.length; loop++) {
                line.append(String.format(Locale.ROOT, " %s %.1f", LOOPS[loop], ns[loop]));
            }
            System.out.println(line.append(" CPU-ns/packet (whole loops)"));
        }
        final double copy = best[COPY];
        final double stageEngine = best[STAGE_ENGINE] - copy;
        System.out.printf(Locale.ROOT, "RESULT dns stage: copy %.1f parse %.1f query-checksum %.1f stage-cache %.1f "
                + "stage-engine %.1f engine %.1f outside-engine %.1f CPU-ns/packet, best of %d rounds "
                + "(engine/stage-engine %.3f)%n", copy, best[PARSE] - copy, best[QUERY_CHECKSUM] - best[PARSE],
                best[STAGE_CACHE] - copy, stageEngine, best[ENGINE], stageEngine - best[ENGINE], rounds,
                best[ENGINE] / stageEngine);
        System.out.printf(Locale.ROOT, "allocated by the bench thread over the second half of the rounds: %d bytes "
                + "(%d responses in all)%n", allocated, answered);
        pool.close();
    }

    /** One loop of bursts through a stage (or only the copy, parse, or parse and checksums); returns responses. */
    private static long stageLoop(int loop, DnsStage stage, PacketFrame frame, MbufBurst burst, Mempool pool,
                                  byte[][] frames, int bursts) {
        long responses = 0;
        int next = 0;
        for (int b = 0; b < bursts; b++) {
            if (!burst.allocate(pool, MbufBurst.MAX)) {
                throw new IllegalStateException("the mempool ran out of mbufs");
            }
            for (int i = 0; i < MbufBurst.MAX; i++) {
                final byte[] f = frames[next];
                next = next + 1 == frames.length ? 0 : next + 1;
                MemorySegment.copy(f, 0, ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
                burst.setDataLength(i, f.length);
            }
            frame.reset(burst, 0, 0, System.nanoTime());
            if (loop == PARSE) {
                responses += frame.headers().flags(0) & 1;
            } else if (loop == QUERY_CHECKSUM) {
                final PacketHeaders headers = frame.headers();
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    responses += headers.l4ChecksumValid(i, burst.dataAddress(i)) ? 0 : 1;
                }
            } else if (loop != COPY) {
                stage.process(frame);
                for (int i = 0; i < MbufBurst.MAX; i++) {
                    responses += frame.kind(i) == PacketFrame.TRANSMIT ? 1 : 0;
                }
            }
            burst.freeAll();
        }
        return responses;
    }

    /** The engine alone over the same DNS payloads, 32 buffers in turn; returns responses. */
    private static long engineLoop(QueryEngine engine, byte[][] frames, long buffers, int bursts) {
        long responses = 0;
        int next = 0;
        for (int b = 0; b < bursts; b++) {
            for (int i = 0; i < MbufBurst.MAX; i++) {
                final byte[] f = frames[next];
                next = next + 1 == frames.length ? 0 : next + 1;
                final int dns = (((f[12] & 0xFF) << 8 | (f[13] & 0xFF)) == 0x0800 ? 14 + (f[14] & 0x0F) * 4 : 54) + 8;
                final long at = buffers + ((long) i << 11) + 42;
                MemorySegment.copy(f, dns, ALL, ValueLayout.JAVA_BYTE, at, f.length - dns);
                responses += engine.answer(ALL, at, f.length - dns, 2048 - 42, QueryEngine.EDNS_UDP_SIZE) > 0 ? 1 : 0;
            }
        }
        return responses;
    }

    /** The frames of a classic pcap file (untagged Ethernet, as gen-dns-queries.py writes them). */
    private static byte[][] pcapFrames(Path pcap) throws java.io.IOException {
        final byte[] file = Files.readAllBytes(pcap);
        final List<byte[]> frames = new ArrayList<>();
        int p = 24;
        while (p + 16 <= file.length) {
            final int length = (file[p + 8] & 0xFF) | (file[p + 9] & 0xFF) << 8 | (file[p + 10] & 0xFF) << 16
                    | (file[p + 11] & 0xFF) << 24;
            frames.add(Arrays.copyOfRange(file, p + 16, p + 16 + length));
            p += 16 + length;
        }
        return frames.toArray(new byte[0][]);
    }
}
