package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.isthmus.nativebindings.generated.Dpdk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * DPDK's Environment Abstraction Layer: initialised once per process ({@code rte_eal_init} cannot run twice, not
 * even after {@code rte_eal_cleanup}), so this class holds the one instance.
 *
 * <p>The appliance calls {@link #init(List)} with its configured arguments. Tests call {@link #shared()}, which
 * initialises with {@link #TEST_ARGUMENTS} the first time (no hugepages, no PCI, no shared files, no vdevs) and
 * returns the same EAL afterwards; each test then creates its own ports with {@link EthPort#createVdev}.
 */
public final class Eal {

    /** Arguments of {@link #shared()}: runs anywhere, as any number of processes at once, without a NIC. */
    public static final List<String> TEST_ARGUMENTS = List.of(
            "--no-huge", "--no-pci", "--no-shconf", "-m", "512", "--no-telemetry", "--log-level=*:warning");

    /** argv[0] given to rte_eal_init; EAL uses it only in messages. */
    private static final String PROGRAM_NAME = "isthmus";

    private static Eal instance;
    private static boolean cleanedUp;

    private final List<String> arguments;

    static {
        Shim.ensureLoaded();
    }

    private Eal(List<String> arguments) {
        this.arguments = arguments;
    }

    /**
     * Initialises the EAL with these arguments (without argv[0]), e.g.
     * {@code List.of("--no-huge", "--no-pci", "-m", "512", "--vdev", "net_null0")}.
     *
     * @throws DpdkException when rte_eal_init fails (a bad argument, no memory, ...); its message has DPDK's reason
     * @throws IllegalStateException when the EAL was already initialised (or cleaned up) in this process
     */
    public static synchronized Eal init(List<String> arguments) {
        if (instance != null || cleanedUp) {
            throw new IllegalStateException("the EAL is initialised once per process; it already was"
                    + (instance != null ? " with " + instance.arguments : " and has been cleaned up"));
        }
        List<String> argv = new ArrayList<>(arguments.size() + 1);
        argv.add(PROGRAM_NAME);
        argv.addAll(arguments);
        // EAL keeps pointers into argv (e.g. for --vdev), so it lives as long as the process.
        Arena arena = Arena.global();
        MemorySegment argvSegment = arena.allocate(ADDRESS, argv.size() + 1);
        for (int i = 0; i < argv.size(); i++) {
            argvSegment.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i)));
        }
        argvSegment.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);

        int rc = withAffinityRestored(arena, () -> Dpdk.rte_eal_init(argv.size(), argvSegment));
        if (rc < 0) {
            throw DpdkException.fromRteErrno("rte_eal_init(" + String.join(" ", arguments) + ")");
        }
        instance = new Eal(List.copyOf(arguments));
        return instance;
    }

    /** The process's EAL, initialised with {@link #TEST_ARGUMENTS} if nobody initialised it yet. */
    public static synchronized Eal shared() {
        return instance != null ? instance : init(TEST_ARGUMENTS);
    }

    /**
     * Throws unless the EAL is initialised: every DPDK object needs it, and starting one implicitly (with which
     * arguments?) would hide a missing {@link #init} in the appliance.
     */
    static void require() {
        if (!isInitialized()) {
            throw new IllegalStateException("the EAL is not initialised: call Eal.init(arguments) first"
                    + " (tests: Eal.shared())");
        }
    }

    /** Whether the EAL is initialised and not cleaned up. */
    public static synchronized boolean isInitialized() {
        return instance != null;
    }

    /** The arguments the EAL was initialised with (without argv[0]). */
    public List<String> arguments() {
        return arguments;
    }

    /** NUMA socket of the calling thread ({@code rte_socket_id}); 0 on a single-socket machine. */
    public int socketId() {
        return Dpdk.rte_socket_id();
    }

    /**
     * Releases the EAL's resources ({@code rte_eal_cleanup}). Call it last, after every port, pool and ring is closed
     * and every poll thread has stopped; the process cannot use DPDK afterwards.
     */
    public void cleanup() {
        synchronized (Eal.class) {
            if (instance != this) {
                return;
            }
            instance = null;
            cleanedUp = true;
        }
        DpdkException.check("rte_eal_cleanup", Dpdk.rte_eal_cleanup());
    }

    /**
     * rte_eal_init pins its calling thread to the main lcore's CPU; threads the JVM later starts from this thread
     * would inherit that single CPU. Runs {@code call} and puts the thread's CPU set back as it was.
     */
    private static int withAffinityRestored(Arena arena, java.util.function.IntSupplier call) {
        MemorySegment saved = arena.allocate(Shim.cpusetSize(), 8);
        boolean haveSaved = Shim.getAffinity(saved.address()) == 0;
        try {
            return call.getAsInt();
        } finally {
            if (haveSaved) {
                Shim.setAffinity(saved.address());
            }
        }
    }
}
