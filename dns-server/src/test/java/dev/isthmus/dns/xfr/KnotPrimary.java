package dev.isthmus.dns.xfr;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Knot DNS ({@code knotd}, Debian {@code knot}) as a primary for transfer tests: its own configuration, run directory
 * and journal in a temporary directory, one zone from a file, a TSIG key required for transfers, optionally NOTIFY
 * sent to a secondary; changed through {@code knotc zone-begin/zone-set/zone-commit} (Knot bumps the serial and
 * keeps the difference for IXFR).
 */
public final class KnotPrimary implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final String zone;

    /**
     * @param listen address@port Knot listens on (loopback, or an address in 198.18.0.0/15 in a test's namespace)
     * @param notify address@port of a secondary to NOTIFY on changes, or null
     */
    public KnotPrimary(Path dir, String listen, String zone, String zoneText, String keyName, String secretBase64,
            String notify) throws IOException, InterruptedException {
        this(dir, listen, java.util.Map.of(zone, zoneText), zone, keyName, secretBase64, notify);
    }

    /**
     * Several zones, each from its text; {@code main} is the one {@link #change} changes and start-up waits for.
     */
    public KnotPrimary(Path dir, String listen, java.util.Map<String, String> zones, String main, String keyName,
            String secretBase64, String notify) throws IOException, InterruptedException {
        Prerequisites.requireProgram("knotd", "knot");
        this.dir = dir;
        this.zone = main;
        for (var e : zones.entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + ".zone"), e.getValue());
        }
        Files.createDirectories(dir.resolve("db"));
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n  rundir: ").append(dir).append("\n  listen: ").append(listen).append('\n')
                .append("  user: root:root\n")
                .append("log:\n  - target: ").append(dir.resolve("knot.log")).append("\n    any: info\n")
                .append("database:\n  storage: ").append(dir.resolve("db")).append('\n')
                .append("key:\n  - id: ").append(keyName).append("\n    algorithm: hmac-sha256\n    secret: ")
                .append(secretBase64).append('\n')
                .append("acl:\n  - id: xfr\n    key: ").append(keyName).append("\n    action: transfer\n");
        if (notify != null) {
            conf.append("remote:\n  - id: secondary\n    address: ").append(notify).append("\n    key: ")
                    .append(keyName).append('\n');
        }
        conf.append("template:\n  - id: default\n    storage: ").append(dir)
                .append("\n    zonefile-sync: -1\n    zonefile-load: difference-no-serial\n    journal-content: all\n")
                .append("    serial-policy: increment\n")
                .append("zone:\n");
        for (String z : zones.keySet()) {
            conf.append("  - domain: ").append(z).append("\n    file: ").append(z).append(".zone\n    acl: xfr\n");
            if (notify != null) {
                conf.append("    notify: secondary\n");
            }
        }
        Files.writeString(dir.resolve("knot.conf"), conf);
        process = new ProcessBuilder("knotd", "-c", dir.resolve("knot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.out").toFile()).start();
        awaitReady(listen);
    }

    private void awaitReady(String listen) throws IOException, InterruptedException {
        int at = listen.lastIndexOf('@');
        InetSocketAddress address = new InetSocketAddress(listen.substring(0, at),
                Integer.parseInt(listen.substring(at + 1)));
        byte[] q = new dev.isthmus.dns.wire.MessageWriter(1, 0)
                .question(dev.isthmus.dns.wire.DnsName.of(zone), 6, 1).toByteArray();
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(200);
            for (int i = 0; i < 100; i++) {
                if (!process.isAlive()) {
                    throw new IOException("knotd exited: " + log());
                }
                d.send(new DatagramPacket(q, q.length, address));
                try {
                    DatagramPacket p = new DatagramPacket(new byte[512], 512);
                    d.receive(p);
                    if ((p.getData()[3] & 0x0F) == 0) {
                        return; // NOERROR: the zone is loaded
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // not up yet
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("knotd did not answer for " + zone + ": " + log());
    }

    /** Adds (or with an empty data, nothing) records in one transaction; Knot increments the serial. */
    public void change(String... setCommands) throws IOException, InterruptedException {
        changeZone(zone, setCommands);
    }

    /** {@link #change} of another of the zones. */
    public void changeZone(String zone, String... setCommands) throws IOException, InterruptedException {
        knotc("zone-begin", zone);
        for (String set : setCommands) {
            List<String> args = new ArrayList<>(List.of("zone-set", zone));
            args.addAll(List.of(set.split(" ", 4)));
            knotc(args.toArray(String[]::new));
        }
        knotc("zone-commit", zone);
    }

    /** Removes records ({@code owner type [data]}) in one transaction. */
    public void remove(String... unsetCommands) throws IOException, InterruptedException {
        removeFromZone(zone, unsetCommands);
    }

    /** {@link #remove} in another of the zones. */
    public void removeFromZone(String zone, String... unsetCommands) throws IOException, InterruptedException {
        knotc("zone-begin", zone);
        for (String unset : unsetCommands) {
            List<String> args = new ArrayList<>(List.of("zone-unset", zone));
            args.addAll(List.of(unset.split(" ", 3)));
            knotc(args.toArray(String[]::new));
        }
        knotc("zone-commit", zone);
    }

    /** @return a port free for both TCP and UDP on loopback now (the kernel's ephemeral choice) */
    public static int freePort() throws IOException {
        java.net.BindException last = null;
        for (int i = 0; i < 100; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                 DatagramSocket d = new DatagramSocket(s.getLocalPort(), java.net.InetAddress.getLoopbackAddress())) {
                return d.getLocalPort();
            } catch (java.net.BindException e) {
                last = e; // UDP side taken: try another
            }
        }
        throw new IOException("no port free for both TCP and UDP on loopback in 100 tries", last);
    }

    public String knotc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("knotc", "-c", dir.resolve("knot.conf").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out + "\n" + log());
        }
        return out;
    }

    public String log() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("knotd.out", "knot.log")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                sb.append(Files.readString(file));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        Shell.stop(process);
    }
}
