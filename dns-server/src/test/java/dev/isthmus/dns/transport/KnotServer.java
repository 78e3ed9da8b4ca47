package dev.isthmus.dns.transport;

import dev.isthmus.dataplane.testing.Shell;
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

/**
 * Knot DNS (knotd), the second reference server, started in the foreground on a loopback port with a generated
 * configuration: zone files loaded as they are (no signing, no journal, never written back).
 */
final class KnotServer implements AutoCloseable {
    private final Process process;
    private final Path dir;

    /** @param zones zone name → zone file; files are copied into {@code dir} */
    KnotServer(Path dir, int port, Map<String, Path> zones) throws IOException, InterruptedException {
        Prerequisites.requireProgram("knotd", "knot");
        this.dir = dir;
        Files.createDirectories(dir.resolve("db"));
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n  listen: 127.0.0.1@").append(port).append('\n')
            .append("  rundir: \"").append(dir).append("\"\n")
            .append("  background-workers: 1\n  udp-workers: 1\n  tcp-workers: 1\n")
            .append("log:\n  - target: \"").append(dir.resolve("knot.log")).append("\"\n    any: info\n")
            .append("database:\n  storage: \"").append(dir.resolve("db")).append("\"\n")
            .append("template:\n  - id: default\n    storage: \"").append(dir).append("\"\n")
            .append("    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n")
            .append("zone:\n");
        for (var e : zones.entrySet()) {
            Path copy = dir.resolve(e.getKey() + ".zone");
            Files.copy(e.getValue(), copy);
            conf.append("  - domain: ").append(e.getKey()).append("\n    file: \"").append(copy).append("\"\n");
        }
        Path confFile = dir.resolve("knot.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder("knotd", "-c", confFile.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.out").toFile()).start();
        awaitReady(port, zones.keySet());
    }

    /** Waits until every zone answers its SOA (knotd loads zones in the background after it listens). */
    private void awaitReady(int port, Iterable<String> zones) throws IOException, InterruptedException {
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(200);
            for (String zone : zones) {
                byte[] q = new MessageWriter(1, 0).question(DnsName.of(zone), RecordType.SOA, 1).toByteArray();
                boolean loaded = false;
                for (int i = 0; i < 100 && !loaded; i++) {
                    if (!process.isAlive()) {
                        throw new IOException("knotd exited: " + Files.readString(dir.resolve("knotd.out")));
                    }
                    d.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
                    DatagramPacket p = new DatagramPacket(new byte[512], 512);
                    try {
                        d.receive(p);
                        loaded = (p.getData()[3] & 0x0F) == 0 && p.getData()[7] > 0; // NOERROR with an answer
                    } catch (SocketTimeoutException notYet) {
                        // not listening yet
                    }
                    if (!loaded) {
                        Thread.sleep(100);
                    }
                }
                if (!loaded) {
                    throw new IOException("knotd did not serve " + zone + " on port " + port + ": "
                        + Files.readString(dir.resolve("knot.log")));
                }
            }
        }
    }

    @Override
    public void close() {
        Shell.stop(process);
    }
}
