package dev.isthmus.control.anycast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One BIRD 2 process in a network namespace, driven through its control socket.
 *
 * <p>It must not outlive the data plane it announces for: BIRD is started as {@code setpriv --pdeathsig KILL}, so the
 * kernel kills it when its parent dies, and its parent is this class's keeper thread, which lives as long as the
 * daemon runs (Linux delivers the parent-death signal when the thread that created the child exits). A JVM killed
 * with SIGKILL therefore takes BIRD with it; its sessions' routers then drop the routes when the hold time passes
 * (the FIN the namespace's kernel sends cannot leave through a dead data plane).
 *
 * <p>Commands go through {@code birdc -s SOCKET}; a unix socket's path is not bound to a network namespace.
 */
public final class BirdDaemon implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BirdDaemon.class.getName());
    private static final int COMMAND_SECONDS = 5;

    private final Path socket;
    private final Path log;
    private final Thread keeper;
    private volatile Process process;
    private volatile IOException startFailure;

    private BirdDaemon(Path socket, Path log, Thread keeper) {
        this.socket = socket;
        this.log = log;
        this.keeper = keeper;
    }

    /**
     * Writes {@code config} to {@code directory}/bird.conf and starts BIRD on it inside {@code namespace}; returns
     * once its control socket answers.
     *
     * @throws IOException when BIRD does not start or does not answer within 10 s (its log is quoted)
     */
    public static BirdDaemon start(String namespace, Path directory, String config) throws IOException {
        Files.createDirectories(directory);
        Path conf = directory.resolve("bird.conf");
        Path socket = directory.resolve("bird.ctl");
        Path log = directory.resolve("bird.log");
        Files.writeString(conf, config);
        Files.deleteIfExists(socket);
        List<String> command = List.of("ip", "netns", "exec", namespace, "setpriv", "--pdeathsig", "KILL", "--",
                "bird", "-f", "-c", conf.toString(), "-s", socket.toString());
        CountDownLatch started = new CountDownLatch(1);
        BirdDaemon[] self = new BirdDaemon[1];
        Thread keeper = Thread.ofPlatform().name("isthmus-bird").daemon(true).unstarted(() -> {
            BirdDaemon daemon = self[0];
            try {
                daemon.process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                daemon.startFailure = e;
                return;
            } finally {
                started.countDown();
            }
            // Wait here, not return: this thread is BIRD's parent, and its end would kill BIRD (pdeathsig).
            while (true) {
                try {
                    daemon.process.waitFor();
                    return;
                } catch (InterruptedException e) {
                    // only close() interrupts, after BIRD has been told to go; keep waiting for it
                }
            }
        });
        BirdDaemon daemon = new BirdDaemon(socket, log, keeper);
        self[0] = daemon;
        keeper.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting BIRD", e);
        }
        if (daemon.startFailure != null) {
            throw new IOException("cannot start BIRD (" + String.join(" ", command) + "): "
                    + daemon.startFailure.getMessage(), daemon.startFailure);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!daemon.process.isAlive()) {
                throw new IOException("BIRD exited at start (code " + daemon.process.exitValue() + "): "
                        + daemon.logTail());
            }
            if (Files.exists(socket) && daemon.command("show", "status").exitCode() == 0) {
                return daemon;
            }
            sleep(100);
        }
        daemon.close();
        throw new IOException("BIRD did not answer on " + socket + " within 10 s: " + daemon.logTail());
    }

    /** The outcome of a {@code birdc} command. */
    public record Reply(int exitCode, String output) {
    }

    /** Runs {@code birdc -s SOCKET ARGS...}, bounded in time. */
    public Reply command(String... args) {
        List<String> command = new ArrayList<>(List.of("birdc", "-s", socket.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Reply(-1, "birdc timed out");
            }
            return new Reply(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Reply(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    /** Enables or disables a protocol; true when BIRD accepted the command. */
    public boolean setEnabled(String protocol, boolean enabled) {
        Reply reply = command(enabled ? "enable" : "disable", protocol);
        boolean ok = reply.exitCode() == 0 && !reply.output().contains("syntax error");
        if (!ok) {
            LOG.log(System.Logger.Level.WARNING, "birdc " + (enabled ? "enable " : "disable ") + protocol + ": "
                    + reply.output().strip());
        }
        return ok;
    }

    /**
     * The protocols' states from {@code show protocols}: name to state and info, e.g. {@code peer1 -> "up
     * Established"}, {@code announce4 -> "down"}; empty when BIRD does not answer.
     */
    public Map<String, String> protocols() {
        Reply reply = command("show", "protocols");
        Map<String, String> states = new LinkedHashMap<>();
        if (reply.exitCode() != 0) {
            return states;
        }
        // Name Proto Table State Since Info: "peer1      BGP        ---        up     12:00:01.123  Established"
        for (String line : reply.output().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && (f[1].equals("BGP") || f[1].equals("Static") || f[1].equals("Device"))) {
                String info = f.length >= 6 ? " " + String.join(" ", List.of(f).subList(5, f.length)) : "";
                states.put(f[0], f[3] + info);
            }
        }
        return states;
    }

    /** True while the BIRD process runs. */
    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The last lines of BIRD's log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Tells BIRD to shut down (its sessions send a Cease), waits for it (bounded), then kills what is left. */
    @Override
    public void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            command("down");
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            keeper.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
