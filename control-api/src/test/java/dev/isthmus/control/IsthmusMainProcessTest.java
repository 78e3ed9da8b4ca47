package dev.isthmus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./isthmus run} with a bad configuration: exit status 2 and every problem named, nothing started. */
class IsthmusMainProcessTest {

    @TempDir
    Path dir;

    @Test
    void badConfigurationExitsWith2AndNamesEveryProblem() throws Exception {
        Path config = dir.resolve("isthmus.yml");
        Files.writeString(config, """
                ports:
                  - {name: p0, device: eth0, addresses: [198.18.0.53/24]}
                lcores:
                  workers: [1, 1]
                """);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), IsthmusMain.class.getName(), "--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("isthmus: the configuration is not valid:"), output);
        assertTrue(output.contains(config + ":2: ports[0].device: 'eth0' is neither a PCI address"), output);
        assertTrue(output.contains(config + ":4: lcores.workers[1]: CPU 1 is listed twice"), output);
    }
}
