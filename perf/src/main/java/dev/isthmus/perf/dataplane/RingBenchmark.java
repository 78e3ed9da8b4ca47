package dev.isthmus.perf.dataplane;

import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.dataplane.ring.RingSync;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.NativeRing;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of one producer thread and one consumer thread handing pointers through a ring, moving {@code bulk}
 * at a time: Isthmus's {@link MbufRing} (SP/SC and MP/MC modes, bulk = all-or-nothing), DPDK's rte_ring through the
 * shim (one downcall per bulk), and JCTools' {@code SpscArrayQueue}/{@code MpmcArrayQueue} (element at a time, as
 * they have no bulk operation). The figure to read is the consumer's {@code consumed} rate: elements per second
 * through one producer/consumer pair of threads. MP/MC modes run with one thread per side too (this machine has two
 * cores), so they measure the cost of the CAS protocol, not contention. The pair needs two otherwise idle cores:
 * when the threads are not running at the same time, each time slice moves at most a ring-full and the figure
 * measures the scheduler. {@link #sameThread} measures the per-element cost of each ring without that dependence.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RingBenchmark {

    private static final int CAPACITY = 1024;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Param({"isthmus-spsc", "isthmus-mpmc", "dpdk-spsc", "dpdk-mpmc", "jctools-spsc", "jctools-mpmc"})
    public String ring;

    @Param({"1", "8", "32"})
    public int bulk;

    private MbufRing javaRing;
    private NativeRing nativeRing;
    private java.util.Queue<Long> queue;
    private Long[] boxed;

    /** Elements moved by a thread, reported per second by JMH. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Moved {
        public long produced;
        public long consumed;
    }

    /** Each thread's own table of pointers (on-heap for the Java ring, native for rte_ring). */
    @State(Scope.Thread)
    public static class Table {
        final long[] values = new long[32];
        final Arena arena = Arena.ofConfined();
        MemorySegment nativeTable;

        @Setup(Level.Trial)
        public void fill() {
            nativeTable = arena.allocate(8 * 32, 64);
            for (int i = 0; i < 32; i++) {
                values[i] = 0x1000 + i * 64L;
                nativeTable.setAtIndex(ValueLayout.JAVA_LONG, i, values[i]);
            }
        }

        @TearDown(Level.Trial)
        public void free() {
            arena.close();
        }
    }

    @Setup(Level.Trial)
    public void create() {
        switch (ring) {
            case "isthmus-spsc" -> javaRing = new MbufRing("bench", CAPACITY, RingSync.SINGLE, RingSync.SINGLE);
            case "isthmus-mpmc" -> javaRing = new MbufRing("bench", CAPACITY, RingSync.MULTI, RingSync.MULTI);
            case "dpdk-spsc", "dpdk-mpmc" -> {
                Eal.shared();
                boolean single = ring.endsWith("spsc");
                nativeRing = NativeRing.create("bench" + SEQUENCE.incrementAndGet(), CAPACITY, single, single);
            }
            case "jctools-spsc" -> queue = new SpscArrayQueue<>(CAPACITY);
            case "jctools-mpmc" -> queue = new MpmcArrayQueue<>(CAPACITY);
            default -> throw new IllegalArgumentException(ring);
        }
        boxed = new Long[32];
        for (int i = 0; i < 32; i++) {
            boxed[i] = 0x1000 + i * 64L;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (javaRing != null) {
            javaRing.close();
        }
        if (nativeRing != null) {
            nativeRing.close();
        }
    }

    /**
     * One thread enqueues {@code bulk} pointers and dequeues them again: the instruction cost of the protocol with
     * no other thread involved, which scheduling on a loaded machine cannot distort the way it distorts the pair.
     */
    @Benchmark
    public void sameThread(Table table, Moved moved, Blackhole hole) {
        produce(table, moved);
        consume(table, moved, hole);
    }

    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public void produce(Table table, Moved moved) {
        final int n = bulk;
        if (javaRing != null) {
            moved.produced += javaRing.enqueueBulk(table.values, 0, n);
        } else if (nativeRing != null) {
            moved.produced += nativeRing.enqueueBulk(table.nativeTable.address(), n) ? n : 0;
        } else {
            final java.util.Queue<Long> q = queue;
            final Long[] values = boxed;
            for (int i = 0; i < n; i++) {
                if (!q.offer(values[i])) {
                    break;
                }
                moved.produced++;
            }
        }
    }

    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public void consume(Table table, Moved moved, Blackhole hole) {
        final int n = bulk;
        if (javaRing != null) {
            int got = javaRing.dequeueBulk(table.values, 0, n);
            moved.consumed += got;
            hole.consume(table.values[0]);
        } else if (nativeRing != null) {
            moved.consumed += nativeRing.dequeueBulk(table.nativeTable.address(), n) ? n : 0;
        } else {
            final java.util.Queue<Long> q = queue;
            for (int i = 0; i < n; i++) {
                Long v = q.poll();
                if (v == null) {
                    break;
                }
                hole.consume(v);
                moved.consumed++;
            }
        }
    }
}
