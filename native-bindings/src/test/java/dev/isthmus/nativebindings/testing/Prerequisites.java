package dev.isthmus.nativebindings.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What a test needs from the machine (root for TAP devices, namespaces and veths; programs such as dig, kdig, nsd,
 * dnsperf or scapy), checked in one place with one rule: where a prerequisite is missing the test does not run, and
 * it says why — it <em>fails</em> when the environment says it is CI ({@code CI=true}), where a test that did not run
 * must not pass for one that did, and elsewhere it is skipped (a developer without root still runs the rest).
 *
 * <p>Root is judged by the effective uid (the second field of {@code Uid:} in {@code /proc/self/status}, or
 * {@code id -u}), the one the kernel checks for CAP_NET_ADMIN; {@code user.name} is only a name (a root shell under
 * another login name, or a non-root user called root, would fool it).
 */
public final class Prerequisites {

    /** Directories searched for programs besides PATH: nsd and knotd live in sbin, which a user's PATH may lack. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private static volatile Boolean scapyImports;

    private Prerequisites() {
    }

    /**
     * Runs the calling test only with effective uid 0.
     *
     * @param why what the test needs root for, e.g. "TAP devices and namespaces"
     */
    public static void requireRoot(String why) {
        enforce(rootProblem(effectiveUid(), why), isCi(System.getenv("CI")));
    }

    /**
     * Runs the calling test only where {@code program} is installed.
     *
     * @param program the executable, e.g. "dig"
     * @param debianPackage the package that brings it, named in the reason
     */
    public static void requireProgram(String program, String debianPackage) {
        enforce(findProgram(program, System.getenv("PATH")).isPresent() ? Optional.empty()
                : Optional.of(program + " is not installed (Debian package " + debianPackage + ")"),
                isCi(System.getenv("CI")));
    }

    /** Runs the calling test only where /usr/bin/python3 imports scapy (checked once per JVM). */
    public static void requireScapy() {
        Boolean imports = scapyImports;
        if (imports == null) {
            imports = runs("/usr/bin/python3", "-c", "import scapy.all");
            scapyImports = imports;
        }
        enforce(imports ? Optional.empty()
                : Optional.of("/usr/bin/python3 cannot import scapy (Debian packages python3 python3-scapy)"),
                isCi(System.getenv("CI")));
    }

    /**
     * The decision itself: nothing when the prerequisite is met; otherwise the test stops with {@code problem}, as a
     * failure in CI and as an aborted (skipped) test elsewhere.
     *
     * @throws AssertionFailedError in CI, naming the problem
     * @throws TestAbortedException elsewhere, naming the problem
     */
    static void enforce(Optional<String> problem, boolean ci) {
        if (problem.isEmpty()) {
            return;
        }
        if (ci) {
            throw new AssertionFailedError("cannot run in CI: " + problem.get()
                    + " (CI=true: a test that cannot run fails instead of being skipped)");
        }
        throw new TestAbortedException("skipped: " + problem.get() + " (with CI=true this fails)");
    }

    /** @return whether the CI variable says this is a CI run ({@code true}, any case, or {@code 1}) */
    static boolean isCi(String ciVariable) {
        return ciVariable != null && (ciVariable.strip().equalsIgnoreCase("true") || ciVariable.strip().equals("1"));
    }

    /** @return the problem of running as {@code uid} (-1: unknown) a test that needs root for {@code why}, if any */
    static Optional<String> rootProblem(long uid, String why) {
        if (uid == 0) {
            return Optional.empty();
        }
        return Optional.of("needs root (effective uid 0) for " + why + "; effective uid is "
                + (uid < 0 ? "unknown" : Long.toString(uid)));
    }

    /**
     * @param procStatus the text of /proc/PID/status
     * @return the effective uid (the second of the four ids on the {@code Uid:} line: real, effective, saved, fs)
     */
    static Optional<Long> effectiveUidFromStatus(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).strip().split("\\s+");
                if (ids.length >= 2) {
                    try {
                        return Optional.of(Long.parseLong(ids[1]));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** @return this process's effective uid, or -1 if neither /proc nor id(1) tells */
    static long effectiveUid() {
        try {
            Optional<Long> uid = effectiveUidFromStatus(Files.readString(Path.of("/proc/self/status")));
            if (uid.isPresent()) {
                return uid.get();
            }
        } catch (IOException e) {
            // no /proc: ask id(1)
        }
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** @return the executable file {@code program} names in PATH's directories or an sbin directory, if any */
    static Optional<Path> findProgram(String program, String path) {
        Set<String> directories = new LinkedHashSet<>();
        if (path != null) {
            for (String directory : path.split(":")) {
                if (!directory.isEmpty()) {
                    directories.add(directory);
                }
            }
        }
        directories.addAll(SBIN);
        for (String directory : directories) {
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
