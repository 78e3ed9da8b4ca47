package dev.isthmus.perf.dns;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.nativebindings.NativeMemory;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queries answered per second by the DNS engine alone on one thread: the query is copied into an off-heap buffer
 * (as a NIC would have put it in an mbuf) and answered in place. No sockets, no packet headers.
 *
 * <ul>
 *   <li>{@code exactHit}: one name and type, always the same answer.</li>
 *   <li>{@code mix}: 1024 queries over 1000 hosts (A/AAAA, mixed case), MX at the apex, wildcard names, 10%
 *       NXDOMAIN, a quarter with EDNS (some with DO) — cycled in order.</li>
 *   <li>{@code nxdomain}: a name that does not exist (closest-encloser walk).</li>
 * </ul>
 * Run with {@code -prof gc}: answering allocates nothing ({@code gc.alloc.rate.norm} = 0 B/op).
 * The {@link CpuTime} counters give queries per CPU-second of the benchmark thread, the per-core figure that time
 * spent descheduled on a shared machine does not distort.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DnsEngineBenchmark {
    static final int HOSTS = 1000;

    /** As the data plane calls the engine: one global segment spanning memory, the packet's address as offset. */
    private static final MemorySegment ALL_MEMORY = NativeMemory.ALL;

    private MemorySegment block;
    private long base;
    private QueryEngine engine;
    private byte[][] mix;
    private byte[] exact;
    private byte[] nxdomain;
    private int next;

    /** The bench zone: {@code bench.test} with {@link #HOSTS} hosts, MX, a wildcard and a delegation. */
    public static String benchZone() {
        StringBuilder z = new StringBuilder("""
            $ORIGIN bench.test.
            $TTL 3600
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
              NS ns1
              NS ns2
              MX 10 mail
            ns1 A 198.18.0.53
            ns2 A 198.18.0.54
            mail A 198.18.0.25
            *.wild A 198.18.0.99
            child NS ns.child
            ns.child A 198.18.0.100
            """);
        for (int i = 0; i < HOSTS; i++) {
            z.append("h").append(i).append(" A 198.18.").append(1 + i / 250).append('.').append(i % 250)
                .append("\n   AAAA 2001:db8::").append(Integer.toHexString(i + 1)).append('\n');
        }
        return z.toString();
    }

    static byte[] query(int id, String name, int type, boolean edns, boolean dnssecOk) {
        MessageWriter w = new MessageWriter(id, Header.FLAG_RD).question(DnsName.of(name), type, 1);
        if (edns) {
            w.opt(1232, 0, 0, dnssecOk, new byte[0]);
        }
        return w.toByteArray();
    }

    static String mixedCase(String s, Random r) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(r.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        catalog.replace("bench.test", benchZone());
        engine = new QueryEngine(catalog);
        block = Arena.global().allocate(65535, 64); // lives as long as the JVM, like a mempool
        base = block.address();
        Random r = new Random(42);
        List<byte[]> q = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            int kind = r.nextInt(20);
            boolean edns = r.nextInt(4) == 0;
            boolean dnssecOk = edns && r.nextBoolean();
            String name;
            int type = RecordType.A;
            if (kind < 2) {
                name = "nx" + r.nextInt(100000) + ".bench.test"; // 10% NXDOMAIN
            } else if (kind == 2) {
                name = "bench.test";
                type = RecordType.MX;
            } else if (kind == 3) {
                name = "x" + r.nextInt(100) + ".wild.bench.test";
            } else {
                name = "h" + r.nextInt(HOSTS) + ".bench.test";
                type = r.nextBoolean() ? RecordType.A : RecordType.AAAA;
            }
            q.add(query(i, mixedCase(name, r), type, edns, dnssecOk));
        }
        mix = q.toArray(new byte[0][]);
        exact = query(1, "h42.bench.test", RecordType.A, false, false);
        nxdomain = query(2, "nope.bench.test", RecordType.A, false, false);
        // Check what is measured: every query gets its intended answer.
        for (byte[] query : mix) {
            Message m = answerOnce(query);
            String name = m.questions().get(0).name().toString().toLowerCase();
            int expected = name.startsWith("nx") ? Rcode.NXDOMAIN : Rcode.NOERROR;
            if (m.rcode() != expected || (expected == Rcode.NOERROR && m.answers().isEmpty())) {
                throw new IllegalStateException("unexpected answer to " + name + ": rcode " + m.rcode());
            }
        }
        if (answerOnce(nxdomain).rcode() != Rcode.NXDOMAIN || answerOnce(exact).answers().size() != 1) {
            throw new IllegalStateException("bench zone does not answer as expected");
        }
    }

    private Message answerOnce(byte[] query) throws Exception {
        MemorySegment.copy(query, 0, ALL_MEMORY, ValueLayout.JAVA_BYTE, base, query.length);
        int n = engine.answer(ALL_MEMORY, base, query.length, (int) block.byteSize(), 1232);
        return MessageReader.read(block.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    private int answer(byte[] query) {
        MemorySegment.copy(query, 0, ALL_MEMORY, ValueLayout.JAVA_BYTE, base, query.length);
        return engine.answer(ALL_MEMORY, base, query.length, 65535, 1232);
    }

    /** CPU time of the benchmark thread and queries answered, per iteration (secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;
        public long queries;
        private long start;

        @Setup(Level.Iteration)
        public void start() {
            queries = 0;
            cpuNanos = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
        }
    }

    @Benchmark
    public int exactHit(CpuTime cpu) {
        cpu.queries++;
        return answer(exact);
    }

    @Benchmark
    public int mix(CpuTime cpu) {
        cpu.queries++;
        byte[] q = mix[next++ & (1024 - 1)];
        return answer(q);
    }

    @Benchmark
    public int nxdomain(CpuTime cpu) {
        cpu.queries++;
        return answer(nxdomain);
    }
}
