package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        List<String> results = runProbe("bad-argument");
        assertEquals(1, results.size(), results.toString());
        String result = results.get(0);
        assertTrue(result.startsWith("DpdkException: rte_eal_init(") && result.contains("--no-such-eal-option"), result);
        assertTrue(result.contains("Invalid argument"), result);
    }

    /**
     * rte_eal_init pins its calling thread to one CPU; Eal puts the thread's CPU set back, so that threads the JVM
     * starts later (poll threads, HTTP workers) are not all squeezed onto CPU 0.
     */
    @Test
    void initLeavesTheCallingThreadsCpuSetAsItWas() throws IOException, InterruptedException {
        List<String> results = runProbe("affinity");
        assertEquals(3, results.size(), results.toString());
        String before = results.get(0).substring("before ".length());
        assertEquals("after " + before, results.get(1));
        assertEquals("child " + before, results.get(2));
    }

    @Test
    void cleanupReleasesTheEalForGood() throws IOException, InterruptedException {
        List<String> results = runProbe("cleanup");
        assertEquals(List.of("initialized false",
                "IllegalStateException: the EAL is initialised once per process; it already was and has been cleaned up"),
                results);
    }

    @Test
    void portFromAVdevArgumentIsFoundByNameAndReceives() throws IOException, InterruptedException {
        assertEquals(List.of("ports 1", "received 32 of 128 bytes from net_null", "pool whole true"),
                runProbe("vdev-argument"));
    }

    @Test
    void dpdkObjectsBeforeEalInitAreRefusedNotSilentlyGivenATestEal() throws IOException, InterruptedException {
        assertEquals(List.of("IllegalStateException: the EAL is not initialised: call Eal.init(arguments) first"
                + " (tests: Eal.shared())", "initialized false"), runProbe("no-eal"));
    }

    private static List<String> runProbe(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), EalProbe.class.getName(), mode);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(l -> l.startsWith(EalProbe.RESULT))
                .map(l -> l.substring(EalProbe.RESULT.length())).toList();
    }
}
