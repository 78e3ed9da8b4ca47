package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dns.dnstap.DnstapFile;
import dev.isthmus.dns.dnstap.DnstapSocket;
import dev.isthmus.dns.dnstap.DnstapWriter;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampled queries through the lcore's writer, the ring and the logger thread into dnstap — a Frame Streams file,
 * or a Unix socket with fstrm's bidirectional handshake — that BIND's dnstap-read decodes: AUTH_QUERY with the
 * query as received, AUTH_RESPONSE with the whole response as sent, addresses, ports and identity.
 */
class DnstapTest {

    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @TempDir
    Path dir;

    @Test
    void queriesAndWholeResponsesGoToAFileThatDnstapReadDecodes() throws Exception {
        Prerequisites.requireProgram("dnstap-read", "bind9-dnsutils");
        Path file = dir.resolve("isthmus.dnstap");
        logThrough(new DnstapFile(file, "box-1"));
        checkWithDnstapRead(file, "box-1");
    }

    @Test
    void queriesAndWholeResponsesGoToAFrameStreamsCollectorOnAUnixSocket() throws Exception {
        Prerequisites.requireProgram("dnstap-read", "bind9-dnsutils");
        Prerequisites.requireProgram("fstrm_capture", "fstrm-bin");
        Path socket = dir.resolve("tap.sock");
        Path file = dir.resolve("captured.dnstap");
        Process capture = new ProcessBuilder("fstrm_capture", "-t", "protobuf:dnstap.Dnstap", "-u", socket.toString(),
                "-w", file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("fstrm.out").toFile())
                .start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(socket), "fstrm_capture listens: " + Files.readString(dir.resolve("fstrm.out")));
            DnstapSocket tap = new DnstapSocket(socket, "box-2");
            assertTrue(tap.connected(), tap.lastProblem());
            logThrough(tap); // closes it: STOP, then the collector's FINISH
            assertEquals(0, tap.dropped(), tap.lastProblem());
            assertEquals("", tap.lastProblem());
        } finally {
            Shell.stop(capture); // SIGTERM first: fstrm_capture closes its file
        }
        checkWithDnstapRead(file, "box-2");
    }

    @Test
    void withoutACollectorTheSocketCountsDropsAndDoesNotBlock() throws Exception {
        DnstapSocket tap = new DnstapSocket(dir.resolve("nobody.sock"), "box-3");
        assertFalse(tap.connected());
        assertTrue(tap.lastProblem().contains("nobody.sock"), tap.lastProblem());
        for (int i = 0; i < 5; i++) {
            tap.authQuery(java.time.Instant.now(), new byte[] {(byte) 198, 18, 1, 5}, 5353, null, null);
        }
        assertEquals(5, tap.dropped());
        tap.close();
    }

    /** The lcore's side — capture the query, write the response, publish; a full ring counts — allocates nothing. */
    @Test
    void theLcoreSideAllocatesNothing() {
        DnsCounters counters = new DnsCounters("lcore0");
        LogRing ring = new LogRing(64, QueryLogWriter.recordBytesForMessages(1472));
        QueryLogWriter writer = new QueryLogWriter(ring, counters, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment packet = arena.allocate(2048);
            byte[] query = new MessageWriter(1, 0).question(DnsName.of("www.example.test"), RecordType.A, 1)
                    .toByteArray();
            MemorySegment.copy(query, 0, packet, ValueLayout.JAVA_BYTE, 0, query.length);
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            // The first rounds warm up (and fill the ring): until the JIT has compiled the path, the interpreter
            // allocates where compiled code does not. Then up to five measured rounds, the same calls each: code
            // that allocates does so in every one of them, while a JIT still installing code on a loaded machine
            // (a transition seen once at 208 bytes) leaves a later round clean.
            StringBuilder measured = new StringBuilder();
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 45 && least != 0; round++) {
                long before = threads.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 10_000; i++) {
                    if (writer.sampleQuery() && writer.captureQuery(packet.address(), query.length)) {
                        writer.query(i, false, packet.address(), 5353, packet.address() + 4, 1, 0, false, 600,
                                packet.address());
                    }
                }
                long allocated = threads.getThreadAllocatedBytes(tid) - before;
                if (round >= 40) {
                    least = Math.min(least, allocated);
                    measured.append(' ').append(allocated);
                }
            }
            assertEquals(0, least, "bytes allocated by each measured round of 10 000 calls:" + measured);
        }
        assertEquals(64, ring.available(), "the ring filled");
        assertTrue(counters.get(DnsCounters.Counter.LOG_DROPPED) > 19_000, "and the rest was counted");
    }

    /** Two queries answered by the engine in place, sampled and logged as the DNS stage does. */
    private static void logThrough(DnstapWriter tap) throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        catalog.replace("example.test", """
                $TTL 3600
                @    SOA ns1 hostmaster 1 7200 3600 1209600 300
                     NS  ns1
                ns1  A   198.18.0.53
                www  A   198.18.0.80
                """);
        QueryEngine engine = new QueryEngine(catalog);
        DnsCounters counters = new DnsCounters("lcore0");
        LogRing ring = new LogRing(64, QueryLogWriter.recordBytesForMessages(1472));
        QueryLogWriter writer = new QueryLogWriter(ring, counters, 1);
        QueryLogger logger = new QueryLogger(QueryLogSink.discard());
        logger.register("lcore0", ring);
        logger.dnstap(tap);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment client = arena.allocate(4);
            client.set(BE32, 0, 0xC6120105); // 198.18.1.5
            MemorySegment server = arena.allocate(4);
            server.set(BE32, 0, 0xC6120035); // 198.18.0.53
            MemorySegment packet = arena.allocate(2048);
            List<String> names = List.of("www.example.test", "nope.example.test");
            for (int k = 0; k < names.size(); k++) {
                byte[] query = new MessageWriter(0x100 + k, Header.FLAG_RD)
                        .question(DnsName.of(names.get(k)), RecordType.A, 1).toByteArray();
                MemorySegment.copy(query, 0, packet, ValueLayout.JAVA_BYTE, 0, query.length);
                assertTrue(writer.sampleQuery());
                assertTrue(writer.captureQuery(packet.address(), query.length));
                int n = engine.answer(packet, 0, query.length, 2048, QueryEngine.EDNS_UDP_SIZE);
                writer.query(System.nanoTime(), false, client.address(), 40000 + k, server.address(), RecordType.A,
                        engine.lastRcode(), false, n, packet.address());
            }
        }
        assertEquals(0, counters.get(DnsCounters.Counter.LOG_DROPPED));
        logger.close(); // drains the ring, then closes the output
    }

    private static void checkWithDnstapRead(Path file, String identity) {
        Shell.Result read = Shell.run(30, "dnstap-read", file.toString());
        assertTrue(read.ok(), read.output());
        List<String> lines = read.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(4, lines.size(), read.output());
        assertTrue(lines.get(0).contains(" AQ ") && lines.get(0).contains("198.18.1.5")
                && lines.get(0).contains("www.example.test/IN/A"), lines.get(0));
        assertTrue(lines.get(1).contains(" AR ") && lines.get(1).contains("www.example.test/IN/A"), lines.get(1));
        assertTrue(lines.get(3).contains(" AR ") && lines.get(3).contains("nope.example.test/IN/A"), lines.get(3));
        Shell.Result yaml = Shell.run(30, "dnstap-read", "-y", file.toString());
        String y = yaml.output();
        assertTrue(yaml.ok(), y);
        assertTrue(y.contains("identity: " + identity), y);
        assertTrue(y.contains("type: AUTH_QUERY") && y.contains("type: AUTH_RESPONSE"), y);
        assertTrue(y.contains("query_address: \"198.18.1.5\"") && y.contains("response_address: \"198.18.0.53\"")
                && y.contains("query_port: 40000") && y.contains("response_port: 53")
                && y.contains("socket_protocol: UDP"), y);
        // The messages decoded whole: the query with its ID, the answer, and the NXDOMAIN's SOA in authority.
        assertTrue(y.contains("id: 256") && y.contains("id: 257") && y.contains("flags: qr aa rd"), y);
        assertTrue(y.contains("- 'www.example.test. 3600 IN A 198.18.0.80'"), y);
        assertTrue(y.contains("status: NXDOMAIN") && y.contains("hostmaster.example.test."), y);
    }
}
