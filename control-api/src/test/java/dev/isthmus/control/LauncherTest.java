package dev.isthmus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./isthmus} launcher, sourced by bash (it then defines its functions without running a command), with
 * the build and the JVM replaced by stand-ins that print what they were given: user paths mean what they meant in
 * the caller's directory although the launcher works in the repository root, and the temporary policy-rc.d does not
 * outlive an interrupted package installation.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "isthmus").toAbsolutePath().normalize();

    /**
     * Runs {@code script} in bash started in {@code directory}, after sourcing the launcher there with {@code build},
     * {@code ensure_packages}, {@code id} and {@code run_java} replaced by stand-ins ({@code run_java} prints its
     * arguments, one a line); {@code arguments} are $1... of the script.
     */
    private static Shell.Result inLauncher(Path directory, String script, String... arguments) {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " exists");
        List<String> command = new ArrayList<>(List.of("bash", "-c", """
                cd "$1" && source "$2" && shift 2
                build() { :; }
                ensure_packages() { :; }
                run_java() { printf '%s\\n' "$@"; }
                id() { echo 0; } # cmd_run refuses to go on without root
                """ + script, "launcher-test", directory.toString(), LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        return Shell.run(30, command.toArray(String[]::new));
    }

    @Test
    void dnsZonePathsAreRelativeToTheCallersDirectory(@TempDir Path caller) {
        Shell.Result result = inLauncher(caller, "cmd_dns \"$@\"", "--zone", "x.test=./x.zone", "--zone",
                "y.test=zones/y.zone", "--zone", "z.test=/etc/z.zone", "--listen", "127.0.0.1:5353");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("control-api", "dev.isthmus.dns.transport.KernelDnsMain",
                "--zone", "x.test=" + caller.resolve("x.zone"),
                "--zone", "y.test=" + caller.resolve("zones/y.zone"),
                "--zone", "z.test=/etc/z.zone",
                "--listen", "127.0.0.1:5353"), result.output().lines().toList());
    }

    @Test
    void dnsStartsItsJvmWithTheDnsFlagsBeforeTheUsersOptions(@TempDir Path caller) {
        // the stub prints the flags run_java would put between ISTHMUS_JVM_FLAGS and ISTHMUS_JAVA_OPTS
        Shell.Result result = inLauncher(caller, """
                run_java() { printf '%s\\n' "${COMMAND_JVM_FLAGS:-none}"; }
                cmd_dns "$@"
                """, "--zone", "x.test=/x.zone");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("-XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=1000 -Xshare:off"),
            result.output().lines().toList());
        Shell.Result run = inLauncher(caller, """
                run_java() { printf '%s\\n' "${COMMAND_JVM_FLAGS:-none}"; }
                cmd_run "$@"
                """);
        assertEquals(List.of("none"), run.output().lines().toList(), "the appliance's JVM does not get them");
    }

    @Test
    void runConfigIsRelativeToTheCallersDirectoryInEachSpelling(@TempDir Path caller) {
        for (List<String> spelling : List.of(List.of("--config", "./my.yml"), List.of("-c", "my.yml"),
                List.of("--config=my.yml"))) {
            Shell.Result result = inLauncher(caller, "cmd_run \"$@\"", spelling.toArray(String[]::new));
            assertEquals(0, result.exitCode(), result.output());
            List<String> lines = result.output().lines().toList();
            assertEquals(List.of("control-api", "dev.isthmus.control.IsthmusMain"), lines.subList(0, 2));
            String last = lines.getLast();
            assertEquals(caller.resolve("my.yml").toString(), last.substring(last.indexOf('/')), spelling.toString());
        }
        Shell.Result embedded = inLauncher(caller, "cmd_run \"$@\"", "--config", "classpath:config/isthmus.yml");
        assertEquals("classpath:config/isthmus.yml", embedded.output().lines().toList().getLast());
    }

    @Test
    void thePolicyRcDIsRemovedWhenTheLauncherIsKilledOrInterrupted(@TempDir Path dir) {
        Path policy = dir.resolve("policy-rc.d");
        // The stand-in for apt-get checks that the policy is in place, then signals the launcher.
        for (String signal : List.of("TERM", "INT")) {
            Shell.Result result = inLauncher(dir, """
                    POLICY_RC_D=$1
                    with_services_held bash -c 'test -x "$1" && kill -%s $PPID; sleep 0.5' _ "$1"
                    echo "went on after the signal"
                    """.formatted(signal), policy.toString());
            assertFalse(result.output().contains("went on"), signal + ": " + result.output());
            assertEquals(signal.equals("TERM") ? 143 : 130, result.exitCode(), signal + ": " + result.output());
            assertFalse(Files.exists(policy), signal + ": the policy-rc.d is removed");
        }
    }

    @Test
    void thePolicyRcDIsRemovedAfterAFailureAndAnExistingOneIsLeftAlone(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy-rc.d");
        Shell.Result failed = inLauncher(dir, """
                POLICY_RC_D=$1
                with_services_held bash -c 'test -x "$1" && exit 7' _ "$1" || echo "status $?"
                """, policy.toString());
        assertEquals("status 7", failed.output().strip());
        assertFalse(Files.exists(policy));
        Files.writeString(policy, "#!/bin/sh\nexit 0\n");
        Shell.Result kept = inLauncher(dir, "POLICY_RC_D=$1; with_services_held true", policy.toString());
        assertEquals(0, kept.exitCode(), kept.output());
        assertEquals("#!/bin/sh\nexit 0\n", Files.readString(policy), "the administrator's own policy is kept");
    }
}
