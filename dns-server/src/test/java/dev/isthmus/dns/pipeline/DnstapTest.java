package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dns.dnstap.DnstapFile;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query-log records through the logger thread into a dnstap file that BIND's dnstap-read decodes. */
class DnstapTest {

    @TempDir
    Path dir;

    @Test
    void sampledResponsesAreWrittenAsDnstapThatDnstapReadDecodes() throws Exception {
        Prerequisites.requireProgram("dnstap-read", "bind9-dnsutils");
        Path file = dir.resolve("isthmus.dnstap");
        DnsCounters counters = new DnsCounters("lcore0");
        LogRing ring = new LogRing(64);
        QueryLogWriter writer = new QueryLogWriter(ring, counters, 1);
        QueryLogger logger = new QueryLogger(QueryLogSink.discard());
        logger.register("lcore0", ring);
        logger.dnstap(new DnstapFile(file, "box-1"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment client = arena.allocate(16);
            client.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, 0xC6120105);
            List<String> names = List.of("www.example.test", "nope.example.test");
            for (int k = 0; k < names.size(); k++) {
                byte[] wire = DnsName.of(names.get(k)).wire();
                MemorySegment name = arena.allocate(wire.length);
                MemorySegment.copy(wire, 0, name, ValueLayout.JAVA_BYTE, 0, wire.length);
                assertTrue(writer.sampleQuery());
                writer.query(System.nanoTime(), false, client.address(), 40000 + k, 1, k == 0 ? 0 : 3, false, 60,
                        name.address(), wire.length);
            }
        }
        logger.close(); // drains the ring, then writes the STOP frame
        Shell.Result read = Shell.run(30, "dnstap-read", file.toString());
        assertTrue(read.ok(), read.output());
        List<String> lines = read.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, lines.size(), read.output());
        assertTrue(lines.get(0).contains(" AR ") && lines.get(0).contains("198.18.1.5")
                && lines.get(0).contains("www.example.test/IN/A"), lines.get(0));
        assertTrue(lines.get(1).contains("nope.example.test/IN/A"), lines.get(1));
        Shell.Result yaml = Shell.run(30, "dnstap-read", "-y", file.toString());
        assertTrue(yaml.output().contains("identity: box-1") && yaml.output().contains("NXDOMAIN"), yaml.output());
        assertTrue(Files.size(file) > 0);
    }
}
