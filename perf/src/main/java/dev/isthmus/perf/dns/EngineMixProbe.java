package dev.isthmus.perf.dns;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.nativebindings.NativeMemory;
import dev.isthmus.perf.gen.Pcap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS engine alone over bench dns's query mix: the DNS payloads of a pcap (bench dns's {@code queries.pcap}, as
 * {@code perf/scripts/gen-dns-queries.py} writes it) answered by {@link QueryEngine#answer} in order, over and over,
 * on the calling thread, as the data plane calls it (the whole-memory segment, the payload's address as offset). No
 * stage, no packet headers, no packet cache: what issue 12's engine-only figure spends inside the engine.
 *
 * <p>Prints, per round, nanoseconds of the thread's CPU time per answer and the bytes the thread allocated; compare
 * the minimum of the last rounds between trees, alternated, pinned to one core:
 * <pre>
 *   taskset -c 1 java $ISTHMUS_JVM_FLAGS -cp 'perf/target/classes:perf/target/lib/*' \
 *     dev.isthmus.perf.dns.EngineMixProbe QUERIES.pcap ZONE ORIGIN [ROUNDS [ANSWERS_PER_ROUND]]
 * </pre>
 * {@code -Donly=NAME/TYPE} (a substring of the question's presentation name and the QTYPE number, either may be
 * empty) keeps only the matching queries, to time or profile one kind; {@code -Dmatch=REGEX} instead keeps the queries
 * whose {@code name./TYPE} (lower case, TYPE a number, e.g. {@code www\.example\.test\./(1|28)}) matches, to time a
 * sub-mix of kinds in pcap order against the same queries {@code -Dgrouped=true}. {@code -Dpass=true} adds what the
 * stage does for the response's UDP checksum after each answer: the engine's sum ({@link QueryEngine#lastSum}) where
 * it gave one, else a pass over the response ({@code InternetChecksum.sum}, the stage's), so that a sum moved from
 * the stage into the engine is timed on both sides.
 */
public final class EngineMixProbe {
    private static final MemorySegment ALL = NativeMemory.ALL;
    /** Octets between two queries' buffers (-Dslot=, default 2048: an mbuf's data room). */
    private static final int SLOT = Integer.getInteger("slot", 2048);
    /** -Dmatch=: the queries kept by a regular expression over "name./TYPE" (overrides -Donly); null: -Donly decides. */
    private static final java.util.regex.Pattern MATCH =
        System.getProperty("match") == null ? null : java.util.regex.Pattern.compile(System.getProperty("match"));
    /** -Dpass=true: each answer's sum taken as the stage takes it (the engine's, else a pass over the response). */
    private static final boolean PASS = Boolean.getBoolean("pass");

    private EngineMixProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EngineMixProbe QUERIES.pcap ZONE ORIGIN [ROUNDS [ANSWERS_PER_ROUND]]");
            System.exit(2);
        }
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        long perRound = args.length > 4 ? Long.parseLong(args[4]) : 2_000_000;
        Mix mix = (Mix) prepare(args[0], args[1], args[2]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        System.out.printf("%d queries, %d rounds of %d answers%n", mix.lengths.length, rounds, perRound);
        for (int r = 0; r < rounds; r++) {
            long allocated = threads.getThreadAllocatedBytes(tid);
            long cpu = mix.round(perRound);
            allocated = threads.getThreadAllocatedBytes(tid) - allocated;
            System.out.printf("round %d: %.1f ns/answer, %d bytes allocated%n", r + 1, (double) cpu / perRound,
                allocated);
        }
        System.out.println("sink " + mix.sink);
    }

    /**
     * For {@link EngineAbProbe}, which loads this class once per tree: the queries of {@code pcap} (filtered and
     * ordered by the {@code only} and {@code grouped} properties), ready for {@link #round}.
     */
    public static Object prepare(String pcap, String zone, String origin) throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        catalog.load(origin, Path.of(zone));
        return new Mix(catalog, queries(pcap));
    }

    /** Answers {@code answers} queries of {@code mix} (from {@link #prepare}); @return the thread's CPU nanoseconds */
    public static long round(Object mix, long answers) {
        return ((Mix) mix).round(answers);
    }

    private static List<byte[]> queries(String pcap) throws java.io.IOException {
        List<byte[]> queries = payloads(Pcap.read(Path.of(pcap)), System.getProperty("only", ""));
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no query in " + pcap + " matches -Donly");
        }
        if (Boolean.getBoolean("grouped")) {
            // The same queries grouped by question (name and type): what the mix costs beyond its kinds' own costs is
            // what the order changes (branch history, caches).
            queries.sort(java.util.Comparator.comparing(q -> java.util.Arrays.toString(
                java.util.Arrays.copyOfRange(q, 12, q.length))));
        }
        return queries;
    }

    /** The queries in off-heap slots, a pristine copy of each to restore its slot after its answer, and an engine. */
    private static final class Mix {
        private final MemorySegment work;
        private final MemorySegment pristine;
        private final int[] lengths;
        private final QueryEngine engine;
        private final long base;
        long sink;

        Mix(ZoneCatalog catalog, List<byte[]> queries) {
            int n = queries.size();
            Arena arena = Arena.ofAuto();
            work = arena.allocate((long) n * SLOT, 64);
            pristine = arena.allocate((long) n * SLOT, 64);
            lengths = new int[n];
            for (int i = 0; i < n; i++) {
                byte[] q = queries.get(i);
                lengths[i] = q.length;
                MemorySegment.copy(q, 0, pristine, ValueLayout.JAVA_BYTE, (long) i * SLOT, q.length);
            }
            base = work.address();
            engine = new QueryEngine(catalog);
        }

        long round(long answers) {
            final int n = lengths.length;
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long s = 0;
            int i = 0;
            for (long k = 0; k < answers; k++) {
                long at = (long) i * SLOT;
                MemorySegment.copy(pristine, at, work, at, lengths[i]);
                final int length = engine.answer(ALL, base + at, lengths[i], SLOT, 1500);
                s += length;
                if (PASS && length > 0) {
                    final int sum = engine.lastSum();
                    s += sum >= 0 ? sum : InternetChecksum.sum(base + at, length, 0);
                }
                if (++i == n) {
                    i = 0;
                }
            }
            sink += s;
            return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
        }
    }

    /** The UDP payloads of Ethernet frames over IPv4 or IPv6 whose question matches {@code only}. */
    private static List<byte[]> payloads(List<byte[]> frames, String only) {
        String[] filter = only.split("/", -1);
        List<byte[]> out = new ArrayList<>();
        for (byte[] f : frames) {
            int etherType = (f[12] & 0xFF) << 8 | (f[13] & 0xFF);
            int l4;
            if (etherType == 0x0800) {
                l4 = 14 + (f[14] & 0x0F) * 4;
            } else if (etherType == 0x86DD) {
                l4 = 14 + 40;
            } else {
                continue;
            }
            int udpLength = (f[l4 + 4] & 0xFF) << 8 | (f[l4 + 5] & 0xFF);
            byte[] dns = java.util.Arrays.copyOfRange(f, l4 + 8, l4 + udpLength);
            if (matches(dns, filter)) {
                out.add(dns);
            }
        }
        return out;
    }

    private static boolean matches(byte[] dns, String[] filter) {
        if (filter.length < 2 && MATCH == null) {
            return true;
        }
        StringBuilder name = new StringBuilder();
        int p = 12;
        while (dns[p] != 0) {
            int len = dns[p] & 0xFF;
            name.append(new String(dns, p + 1, len, java.nio.charset.StandardCharsets.US_ASCII)).append('.');
            p += 1 + len;
        }
        int type = (dns[p + 1] & 0xFF) << 8 | (dns[p + 2] & 0xFF);
        if (MATCH != null) {
            return MATCH.matcher(name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type).matches();
        }
        return name.toString().toLowerCase(java.util.Locale.ROOT).contains(filter[0].toLowerCase(java.util.Locale.ROOT))
            && (filter[1].isEmpty() || Integer.parseInt(filter[1]) == type);
    }
}
