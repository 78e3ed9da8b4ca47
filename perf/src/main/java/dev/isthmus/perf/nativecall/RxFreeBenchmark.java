package dev.isthmus.perf.nativecall;

import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Lcore;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.Shim;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code rx_burst(32)} on net_null followed by one bulk free of what came, per operation: the smallest complete
 * poll-loop step, so its time is the fixed cost Java pays per burst on top of DPDK's own work.
 *
 * <ul>
 *   <li>{@code critical}/{@code plain}: the shim's {@code isthmus_rx_burst} + {@code isthmus_free_bulk} through
 *       method handles linked with and without {@code Linker.Option.critical}.</li>
 *   <li>{@code callCritical}/{@code callPlain}: one call of a trivial shim function, the crossing cost alone.</li>
 *   <li>{@code facade}: the same through {@link MbufBurst#receive}/{@link MbufBurst#freeAll}, what the data plane
 *       uses (critical, plus the burst's bookkeeping).</li>
 * </ul>
 * The C reference runs twice in the same {@code bench-native.sh} run: {@code cLoop} (and {@code cViewLoop}, which
 * also fills the address/length view as the shim's rx does) here, the loop compiled in C
 * ({@code perf/src/main/c/rx_free_loop.c}) and entered once per {@value #C_LOOP_ITERATIONS} bursts, on the same
 * thread, port and pool as the Java variants and at the same moment, which is what makes the ratio meaningful on a
 * shared machine; and {@code rx_free_bench}, a standalone C program with the same EAL arguments.
 *
 * <p>Besides JMH's wall-clock score, {@link CpuTime} reports the benchmark thread's CPU time and burst count per
 * iteration: on a machine whose two cores are shared with other work, CPU time per burst is the figure that
 * descheduling does not inflate.
 *
 * <p>Unlike the rest of Isthmus, this class links a native function itself: the C loop is benchmark code and does
 * not belong in the shim. Its directory comes from the {@code isthmus.bench.native.dir} system property, which
 * {@code bench-native.sh} sets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RxFreeBenchmark {

    private static final short BURST = (short) MbufBurst.MAX;
    static final int C_LOOP_ITERATIONS = 1000;

    private final MethodHandle rxCritical = Shim.rxBurstHandle(true);
    private final MethodHandle freeCritical = Shim.freeBulkHandle(true);
    private final MethodHandle rxPlain = Shim.rxBurstHandle(false);
    private final MethodHandle freePlain = Shim.freeBulkHandle(false);
    private final MethodHandle lcoreIdCritical = Shim.lcoreIdHandle(true);
    private final MethodHandle lcoreIdPlain = Shim.lcoreIdHandle(false);

    private MethodHandle cLoop;
    private MethodHandle cViewLoop;
    private Mempool pool;
    private EthPort port;
    private MbufBurst burst;
    private short portId;
    private long mbufs;
    private long addrs;
    private long lens;

    @Setup(Level.Trial)
    public void setUp() {
        Eal.shared();
        // JMH runs @Setup on the benchmark thread: register it so the mempool serves it from a per-lcore cache,
        // as a poll thread is served.
        Lcore.registerCurrentThread();
        // The C reference runs on EAL's main lcore, which EAL pins to CPU 0; measure on the same CPU.
        Lcore.pinCurrentThread(0);
        pool = Mempool.create("bench_pool", 8191);
        port = EthPort.createVdev("net_null_bench", "size=64");
        port.configure(1, 1, 0);
        port.setupRxQueue(0, 1024, pool);
        port.setupTxQueue(0, 1024);
        port.start();
        portId = (short) port.id();
        Arena arena = Arena.ofAuto();
        mbufs = arena.allocate(ValueLayout.JAVA_LONG, BURST).address();
        addrs = arena.allocate(ValueLayout.JAVA_LONG, BURST).address();
        lens = arena.allocate(ValueLayout.JAVA_INT, BURST).address();
        burst = new MbufBurst();
        cLoop = linkCLoop("isthmus_bench_rx_free_loop");
        cViewLoop = linkCLoop("isthmus_bench_rx_view_free_loop");
    }

    private static MethodHandle linkCLoop(String function) {
        String dir = System.getProperty("isthmus.bench.native.dir");
        if (dir == null || !Files.isRegularFile(Path.of(dir, "librx_free_loop.so"))) {
            throw new IllegalStateException("-Disthmus.bench.native.dir must name the directory of librx_free_loop.so"
                    + " (perf/scripts/build-native-bench.sh builds it; run ./isthmus bench native)");
        }
        SymbolLookup library = SymbolLookup.libraryLookup(Path.of(dir, "librx_free_loop.so"), Arena.global());
        return Linker.nativeLinker().downcallHandle(library.findOrThrow(function),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT,
                        ValueLayout.JAVA_LONG), Linker.Option.critical(false));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        port.close();
        pool.close();
        Lcore.unregisterCurrentThread();
    }

    /**
     * CPU time of the benchmark thread and operations done (bursts, or calls for the call benchmarks), per iteration;
     * JMH reports both as secondary results.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;
        public long bursts;
        private long start;

        @Setup(Level.Iteration)
        public void start() {
            bursts = 0;
            cpuNanos = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
        }
    }

    @Benchmark
    public int critical(CpuTime cpu) throws Throwable {
        short n = (short) rxCritical.invokeExact(portId, (short) 0, mbufs, BURST, addrs, lens);
        freeCritical.invokeExact(mbufs, n);
        cpu.bursts++;
        return n;
    }

    @Benchmark
    public int plain(CpuTime cpu) throws Throwable {
        short n = (short) rxPlain.invokeExact(portId, (short) 0, mbufs, BURST, addrs, lens);
        freePlain.invokeExact(mbufs, n);
        cpu.bursts++;
        return n;
    }

    /** The crossing alone: one call of the cheapest shim function ({@code rte_lcore_id()}), critical linkage. */
    @Benchmark
    public int callCritical(CpuTime cpu) throws Throwable {
        cpu.bursts++;
        return (int) lcoreIdCritical.invokeExact();
    }

    /** The crossing alone, plain linkage (thread-state transition and safepoint check on return). */
    @Benchmark
    public int callPlain(CpuTime cpu) throws Throwable {
        cpu.bursts++;
        return (int) lcoreIdPlain.invokeExact();
    }

    /** The same loop in C, {@value #C_LOOP_ITERATIONS} bursts per call; the score is per burst. */
    @Benchmark
    @OperationsPerInvocation(C_LOOP_ITERATIONS)
    public long cLoop(CpuTime cpu) throws Throwable {
        long n = (long) cLoop.invokeExact(portId, (short) 0, (long) C_LOOP_ITERATIONS);
        cpu.bursts += C_LOOP_ITERATIONS;
        return n;
    }

    /** The C loop that also fills the data address/length view as isthmus_rx_burst does: the Java path's work. */
    @Benchmark
    @OperationsPerInvocation(C_LOOP_ITERATIONS)
    public long cViewLoop(CpuTime cpu) throws Throwable {
        long n = (long) cViewLoop.invokeExact(portId, (short) 0, (long) C_LOOP_ITERATIONS);
        cpu.bursts += C_LOOP_ITERATIONS;
        return n;
    }

    @Benchmark
    public int facade(CpuTime cpu) {
        int n = burst.receive(port, 0);
        burst.freeAll();
        cpu.bursts++;
        return n;
    }
}
