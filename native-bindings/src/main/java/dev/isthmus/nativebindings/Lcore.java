package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.nativebindings.generated.Dpdk;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread as DPDK sees it. A Java poll thread registers itself ({@code rte_thread_register}) so that it
 * gets an lcore id, and with it its own mempool cache, and pins itself to a CPU so that the scheduler does not move
 * it between polls.
 */
public final class Lcore {

    /** {@code LCORE_ID_ANY}: the thread is not an lcore. */
    public static final int NONE = -1;

    /** {@code PR_SET_TIMERSLACK} and {@code PR_GET_TIMERSLACK} from {@code <linux/prctl.h>}. */
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    /** {@code int prctl(int option, ...)}: variadic after the option, called with one unsigned long. */
    private static final MethodHandle PRCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("prctl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));

    static {
        Shim.ensureLoaded();
    }

    private Lcore() {
    }

    /**
     * Registers the calling thread as a non-EAL lcore and returns its lcore id. Registering twice returns the same id.
     *
     * @throws DpdkException when every lcore id is taken, or the EAL is not initialised
     */
    public static int registerCurrentThread() {
        if (Dpdk.rte_thread_register() != 0) {
            throw DpdkException.fromRteErrno("rte_thread_register");
        }
        return currentId();
    }

    /** Releases the calling thread's lcore id; call before a registered thread ends. */
    public static void unregisterCurrentThread() {
        Dpdk.rte_thread_unregister();
    }

    /** The calling thread's lcore id, or {@link #NONE}. */
    public static int currentId() {
        return Shim.lcoreId();
    }

    /**
     * Pins the calling thread to one CPU.
     *
     * @throws DpdkException when the CPU does not exist or is not allowed for this process
     */
    public static void pinCurrentThread(int cpu) {
        int rc = Shim.pinCurrentThread(cpu);
        if (rc != 0) {
            throw new DpdkException("pthread_setaffinity_np(cpu " + cpu + ")", rc);
        }
    }

    /**
     * Sets the calling thread's timer slack ({@code prctl(PR_SET_TIMERSLACK)}): how late the kernel may wake it from
     * a timed sleep so that it can batch wake-ups. The default is 50 µs, which makes every short sleep of a poll
     * thread at least that long; a thread that sleeps to save a core but must wake for traffic within a bound sets it
     * to a few nanoseconds (proc_pid_timerslack_ns(5)).
     *
     * @throws IllegalStateException when the kernel refuses
     */
    public static void setTimerSlack(long nanos) {
        int rc;
        try {
            rc = (int) PRCTL.invokeExact(PR_SET_TIMERSLACK, nanos);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl(PR_SET_TIMERSLACK)", t);
        }
        if (rc != 0) {
            throw new IllegalStateException("prctl(PR_SET_TIMERSLACK, " + nanos + ") failed");
        }
    }

    /** The calling thread's timer slack in nanoseconds ({@code prctl(PR_GET_TIMERSLACK)}). */
    public static long timerSlack() {
        try {
            return (int) PRCTL.invokeExact(PR_GET_TIMERSLACK, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl(PR_GET_TIMERSLACK)", t);
        }
    }
}
