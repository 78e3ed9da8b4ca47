package dev.isthmus.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The class path perf/scripts/lib/common.sh gives bench zone-scale and bench dns-kernel for their KernelDnsMain holds
 * everything the server needs to answer: the server is started on it and asked a question. (Since the engine took
 * the dataplane module's checksum, both benches' servers died at their first zone with NoClassDefFoundError, and no
 * test started the benches' server.)
 */
class DnsServerClassPathTest {

    private static final int HEADER_LENGTH = 12;
    private static final Path ZONE = Path.of("../dns-server/src/main/resources/zones/example.test.zone");

    @Test
    void theBenchesDnsServerAnswersOnTheirClassPath() throws Exception {
        String classPath = shell(". scripts/lib/common.sh && dns_server_classpath").strip();
        assertTrue(classPath.contains("dns-server/target/classes"), classPath);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now; the server binds it a moment later
        }
        Path log = Files.createTempFile("isthmus-dns-classpath-", ".log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.isthmus.dns.transport.KernelDnsMain",
                "--zone", "example.test=" + ZONE, "--listen", "127.0.0.1:" + port, "--threads", "1")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(250);
            byte[] query = query(0x5301, "www.example.test");
            byte[] answer = new byte[512];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                if (!server.isAlive()) {
                    fail("the server exited (" + server.exitValue() + "):\n" + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("no answer in 30 s:\n" + Files.readString(log));
                }
                client.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket response = new DatagramPacket(answer, answer.length);
                try {
                    client.receive(response);
                } catch (SocketTimeoutException notYet) {
                    continue; // still loading: asked again
                }
                ByteBuffer r = ByteBuffer.wrap(answer, 0, response.getLength());
                assertEquals(0x5301, r.getShort(0) & 0xFFFF);
                assertEquals(0x8000, r.getShort(2) & 0x8000, "QR");
                assertEquals(0, r.getShort(2) & 0xF, "RCODE");
                assertTrue((r.getShort(6) & 0xFFFF) >= 1, "ANCOUNT");
                return;
            }
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }
    }

    /** A QUERY (RFC 1035 §4.1) for {@code name} IN A, RD clear. */
    private static byte[] query(int id, String name) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + name.length() + 2 + 4);
        b.putShort((short) id).putShort((short) 0).putShort((short) 1).putShort((short) 0).putInt(0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return b.array();
    }

    private static String shell(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("bash", "-c", script)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
