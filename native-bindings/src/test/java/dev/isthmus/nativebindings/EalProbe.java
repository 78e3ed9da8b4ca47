package dev.isthmus.nativebindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run in a JVM of its own by {@link EalTest}, because the EAL initialises once per process: each mode exercises
 * what a shared test EAL cannot, and prints {@code RESULT <text>} lines for the test to check.
 */
public final class EalProbe {

    static final String RESULT = "RESULT ";

    private EalProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "bad-argument" -> badArgument();
            case "affinity" -> affinity();
            case "cleanup" -> cleanup();
            case "vdev-argument" -> vdevArgument();
            case "no-eal" -> noEal();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** An argument EAL does not know: a DpdkException, not a crash. */
    private static void badArgument() {
        List<String> arguments = new ArrayList<>(Eal.TEST_ARGUMENTS);
        arguments.add("--no-such-eal-option");
        try {
            Eal.init(arguments);
            System.out.println(RESULT + "accepted");
        } catch (DpdkException e) {
            System.out.println(RESULT + "DpdkException: " + e.getMessage());
        }
    }

    /** The CPUs the initialising thread, and a thread it starts afterwards, may run on, before and after init. */
    private static void affinity() throws Exception {
        System.out.println(RESULT + "before " + cpusAllowed());
        Eal.init(Eal.TEST_ARGUMENTS);
        System.out.println(RESULT + "after " + cpusAllowed());
        AtomicReference<String> child = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                child.set(cpusAllowed());
            } catch (IOException e) {
                child.set(e.toString());
            }
        });
        thread.start();
        thread.join();
        System.out.println(RESULT + "child " + child.get());
    }

    /** Cleanup releases the EAL, and the process cannot initialise it again. */
    private static void cleanup() {
        Eal eal = Eal.init(Eal.TEST_ARGUMENTS);
        eal.cleanup();
        System.out.println(RESULT + "initialized " + Eal.isInitialized());
        try {
            Eal.init(Eal.TEST_ARGUMENTS);
            System.out.println(RESULT + "reinitialized");
        } catch (IllegalStateException e) {
            System.out.println(RESULT + "IllegalStateException: " + e.getMessage());
        }
    }

    /** A port created by a --vdev EAL argument, found by name, receives. */
    private static void vdevArgument() {
        List<String> arguments = new ArrayList<>(Eal.TEST_ARGUMENTS);
        arguments.addAll(List.of("--vdev", "net_null_arg0,size=128"));
        Eal.init(arguments);
        System.out.println(RESULT + "ports " + EthPort.countAvailable());
        try (Mempool pool = Mempool.create("probe_pool", 1023); EthPort port = EthPort.byName("net_null_arg0")) {
            port.configure(1, 1, 0);
            port.setupRxQueue(0, 256, pool);
            port.setupTxQueue(0, 256);
            port.start();
            MbufBurst burst = new MbufBurst();
            int n = burst.receive(port, 0);
            System.out.println(RESULT + "received " + n + " of " + burst.dataLength(0) + " bytes from "
                    + port.info().driverName());
            burst.freeAll();
            port.close();
            System.out.println(RESULT + "pool whole " + (pool.available() == 1023));
        }
    }

    /** DPDK objects before any EAL: a clear error, and no EAL started behind the caller's back. */
    private static void noEal() {
        try {
            Mempool.create("probe_pool", 63);
            System.out.println(RESULT + "created");
        } catch (IllegalStateException e) {
            System.out.println(RESULT + "IllegalStateException: " + e.getMessage());
        }
        System.out.println(RESULT + "initialized " + Eal.isInitialized());
    }

    private static String cpusAllowed() throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                .substring("Cpus_allowed_list:".length()).trim();
    }
}
