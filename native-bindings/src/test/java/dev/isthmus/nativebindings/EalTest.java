package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EalTest {

    @Test
    void sharedEalIsInitialisedOnceAndReused() {
        Eal eal = Eal.shared();
        assertTrue(Eal.isInitialized());
        assertSame(eal, Eal.shared());
        assertTrue(eal.socketId() >= 0);
    }

    @Test
    void secondInitInTheSameProcessIsACallerBug() {
        Eal.shared();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Eal.init(Eal.TEST_ARGUMENTS));
        assertTrue(e.getMessage().contains("once per process"), e.getMessage());
    }

    @Test
    void unknownVirtualDeviceFailsWithDpdksReason() {
        Eal.shared();
        DpdkException e = assertThrows(DpdkException.class, () -> EthPort.createVdev("net_nosuchdriver0", ""));
        assertTrue(e.call().startsWith("rte_vdev_init(net_nosuchdriver0"), e.getMessage());
        assertTrue(e.errorNumber() > 0);
        assertTrue(e.getMessage().contains("failed: "), e.getMessage());
    }

    /**
     * A bad EAL argument must surface as a DpdkException naming rte_eal_init and DPDK's reason, not a crash. The EAL
     * initialises once per process and this JVM's is taken, so the attempt runs in a JVM of its own.
     */
    @Test
    void badEalArgumentGivesAClearExceptionInAFreshProcess() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BadEalArgumentProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith(BadEalArgumentProbe.PREFIX)).findFirst().orElse("");
        assertTrue(line.contains("rte_eal_init(") && line.contains("--no-such-eal-option"), output);
        assertTrue(line.contains("Invalid argument"), output);
    }
}
