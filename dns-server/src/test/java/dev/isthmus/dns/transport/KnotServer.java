package dev.isthmus.dns.transport;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knot DNS, the second reference server, started in the foreground on a loopback port with a generated
 * configuration: zones served as they are in their files (no signing, no journal, nothing written back).
 */
final class KnotServer implements AutoCloseable {
    private final Process process;
    private final Path dir;

    /** @param zones zone name → zone file, read in place */
    KnotServer(Path dir, int port, Map<String, Path> zones) throws IOException, InterruptedException {
        Prerequisites.requireProgram("knotd", "knot");
        this.dir = Files.createDirectories(dir);
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
            .append("  rundir: \"").append(dir).append("\"\n")
            .append("  listen: 127.0.0.1@").append(port).append('\n')
            .append("  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n")
            .append("database:\n  storage: \"").append(dir).append("\"\n")
            .append("log:\n  - target: stderr\n    any: warning\n")
            .append("template:\n  - id: default\n    storage: \"").append(dir).append("\"\n")
            .append("    zonefile-sync: -1\n    journal-content: none\n")
            .append("zone:\n");
        for (var e : zones.entrySet()) {
            conf.append("  - domain: ").append(e.getKey()).append("\n    file: \"")
                .append(e.getValue().toAbsolutePath()).append("\"\n");
        }
        Path confFile = dir.resolve("knot.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder("knotd", "-c", confFile.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("knot.out").toFile()).start();
        for (String zone : zones.keySet()) {
            awaitReady(port, zone);
        }
    }

    /** Waits for an authoritative SOA answer: Knot answers SERVFAIL until the zone is loaded. */
    private void awaitReady(int port, String zone) throws IOException, InterruptedException {
        byte[] q = new MessageWriter(1, 0).question(DnsName.of(zone), RecordType.SOA, 1).toByteArray();
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(200);
            for (int i = 0; i < 100; i++) {
                if (!process.isAlive()) {
                    throw new IOException("knotd exited: " + Files.readString(dir.resolve("knot.out")));
                }
                d.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                try {
                    d.receive(p);
                    if ((p.getData()[3] & 0x0F) == 0 && (p.getData()[2] & 0x04) != 0) {
                        return;
                    }
                    Thread.sleep(100);
                } catch (SocketTimeoutException notYet) {
                    Thread.sleep(100);
                }
            }
        }
        throw new IOException("knotd did not load " + zone + " on port " + port + ": "
            + Files.readString(dir.resolve("knot.out")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
