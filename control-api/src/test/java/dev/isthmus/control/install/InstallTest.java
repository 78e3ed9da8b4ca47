package dev.isthmus.control.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./isthmus install --root DIR} puts a systemd unit that {@code systemd-analyze verify} accepts, a
 * configuration skeleton with a tokens file only its owner can read, and the journal directory in place, and a
 * second run keeps them.
 */
class InstallTest {

    private static final Path LAUNCHER = Path.of("..", "isthmus").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @Test
    void installsAUnitSystemdAcceptsAndAConfigurationSkeleton() throws Exception {
        Shell.Result install = Shell.run(60, LAUNCHER.toString(), "install", "--root", root.toString());
        assertEquals(0, install.exitCode(), install.output());
        Path unit = root.resolve("etc/systemd/system/isthmus.service");
        String text = Files.readString(unit);
        assertFalse(text.contains("@ISTHMUS@"), text);
        assertTrue(text.contains("ExecStart=" + LAUNCHER.getParent() + "/isthmus run --config /etc/isthmus/isthmus.yml"), text);
        assertTrue(text.contains("LimitMEMLOCK=infinity") && text.contains("Restart=on-failure"), text);

        Shell.Result verify = Shell.run(60, "systemd-analyze", "verify", unit.toString());
        assertEquals(0, verify.exitCode(), verify.output());
        assertFalse(verify.output().contains("isthmus.service"), "systemd has something to say about the unit: " + verify.output());

        Path tokens = root.resolve("etc/isthmus/tokens");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertTrue(Files.readString(tokens).lines().anyMatch(l -> l.matches("[0-9a-f]{64} write admin")), Files.readString(tokens));
        String config = Files.readString(root.resolve("etc/isthmus/isthmus.yml"));
        assertTrue(config.contains("tokens-file: /etc/isthmus/tokens"), config);
        assertTrue(Files.isDirectory(root.resolve("var/lib/isthmus")));

        Files.writeString(tokens, "kept\n");
        Shell.Result again = Shell.run(60, LAUNCHER.toString(), "install", "--root", root.toString());
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("kept " + unit), again.output());
        assertEquals("kept\n", Files.readString(tokens), "an existing file is never overwritten");
    }
}
