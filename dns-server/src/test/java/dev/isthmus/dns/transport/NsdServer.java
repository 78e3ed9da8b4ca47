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

/** NSD, the reference server, started in the foreground on a loopback port with a generated configuration. */
final class NsdServer implements AutoCloseable {
    private final Process process;
    private final Path dir;

    /** @param zones zone name → zone file; files are copied into {@code dir} */
    NsdServer(Path dir, int port, Map<String, Path> zones) throws IOException, InterruptedException {
        this(dir, port, zones, false);
    }

    /** @param minimalResponses with NSD's {@code minimal-responses: yes} */
    NsdServer(Path dir, int port, Map<String, Path> zones, boolean minimalResponses)
        throws IOException, InterruptedException {
        Prerequisites.requireProgram("nsd", "nsd");
        this.dir = dir;
        StringBuilder conf = new StringBuilder();
        // RRL off (Debian enables it), no database, no privileges dropped, everything inside dir.
        conf.append("server:\n")
            .append("  ip-address: 127.0.0.1@").append(port).append('\n')
            .append("  zonesdir: \"").append(dir).append("\"\n")
            .append("  pidfile: \"").append(dir.resolve("nsd.pid")).append("\"\n")
            .append("  database: \"\"\n")
            .append("  zonelistfile: \"").append(dir.resolve("zone.list")).append("\"\n")
            .append("  xfrdfile: \"").append(dir.resolve("xfrd.state")).append("\"\n")
            .append("  xfrdir: \"").append(dir).append("\"\n")
            .append("  logfile: \"").append(dir.resolve("nsd.log")).append("\"\n")
            .append("  username: \"\"\n  chroot: \"\"\n  rrl-ratelimit: 0\n  server-count: 1\n")
            .append("  hide-version: yes\n  hide-identity: yes\n")
            .append(minimalResponses ? "  minimal-responses: yes\n" : "")
            .append("remote-control:\n  control-enable: no\n");
        for (var e : zones.entrySet()) {
            Path copy = dir.resolve(e.getKey() + ".zone");
            Files.copy(e.getValue(), copy);
            conf.append("zone:\n  name: ").append(e.getKey()).append("\n  zonefile: \"").append(copy).append("\"\n");
        }
        Path confFile = dir.resolve("nsd.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder("nsd", "-d", "-c", confFile.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("nsd.out").toFile()).start();
        awaitReady(port, zones.keySet().iterator().next());
    }

    private void awaitReady(int port, String zone) throws IOException, InterruptedException {
        byte[] q = new MessageWriter(1, 0).question(DnsName.of(zone), RecordType.SOA, 1).toByteArray();
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(200);
            for (int i = 0; i < 100; i++) {
                if (!process.isAlive()) {
                    throw new IOException("nsd exited: " + Files.readString(dir.resolve("nsd.out")));
                }
                d.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
                try {
                    d.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException notYet) {
                    Thread.sleep(100);
                }
            }
        }
        throw new IOException("nsd did not answer on port " + port);
    }

    @Override
    public void close() {
        Shell.stop(process);
    }
}
