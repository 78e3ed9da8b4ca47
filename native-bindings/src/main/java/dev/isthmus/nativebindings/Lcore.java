package dev.isthmus.nativebindings;

import dev.isthmus.nativebindings.generated.Dpdk;

/**
 * The calling thread as DPDK sees it. A Java poll thread registers itself ({@code rte_thread_register}) so that it
 * gets an lcore id, and with it its own mempool cache, and pins itself to a CPU so that the scheduler does not move
 * it between polls.
 */
public final class Lcore {

    /** {@code LCORE_ID_ANY}: the thread is not an lcore. */
    public static final int NONE = -1;

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
}
