package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneFileParser;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answering allocates nothing on the answering thread: thousands of varied queries — positive answers, CNAME chains,
 * DNAME synthesis, wildcards, referrals, NXDOMAIN and NODATA, with DO in NSEC-, NSEC3- and NSEC3 opt-out-signed
 * zones, QCLASS *, class CH, AXFR, IXFR over UDP, names in no zone, truncation at 512 octets — measured with the
 * thread's allocation counter after a warm-up. Counts bytes, not time, so it is deterministic.
 */
class AnswerAllocationTest {
    static final Path ZONES = Path.of("src/test/resources/differential");

    @ParameterizedTest(name = "minimal responses {0}")
    @ValueSource(booleans = {true, false})
    void answeringAllocatesNothing(boolean minimalResponses) throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        List<DnsName> names = new ArrayList<>();
        // optout.test: NSEC3 with opt-out, where DS at an insecure delegation and NODATA at an empty non-terminal
        // take the closest encloser proof (RFC 5155 §7.2.4), the hashing of every ancestor included.
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test", "optout.test")) {
            Zone zone = ZoneFileParser.load(DnsName.of(z), ZONES.resolve(z + ".zone"));
            catalog.put(zone);
            for (Node n : zone.nodes()) {
                names.add(n.name());
                DnsName below = n.name().prepend(DnsName.ascii("NoSuch"));
                if (below != null) {
                    names.add(below);
                    DnsName deeper = below.prepend(DnsName.ascii("x"));
                    if (deeper != null) {
                        names.add(deeper);
                    }
                }
            }
        }
        catalog.replace("engine.test", QueryEngineTest.ZONE.replace("example.test.", "engine.test."));
        names.add(DnsName.of("www.dn.engine.test"));
        names.add(DnsName.of("x.y.wild.engine.test"));
        names.add(DnsName.of("outside.invalid"));
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.NS, RecordType.SOA, RecordType.TXT,
            RecordType.CNAME, RecordType.DS, RecordType.DNSKEY, RecordType.RRSIG, RecordType.NSEC3, RecordType.ANY,
            RecordType.SRV, 65400};
        List<byte[]> queries = new ArrayList<>();
        int i = 0;
        for (DnsName name : names) {
            for (int type : types) {
                String text = i % 3 == 0 ? name.toString().toUpperCase(Locale.ROOT) : name.toString();
                int qclass = i % 97 == 0 ? DnsClass.ANY : i % 89 == 0 ? DnsClass.CH : DnsClass.IN;
                MessageWriter w = new MessageWriter(i, Header.FLAG_RD).question(DnsName.of(text),
                    i % 101 == 0 ? RecordType.AXFR : type, qclass);
                if (i % 4 != 0) {
                    w.opt(i % 2 == 0 ? 4096 : 1232, 0, 0, i % 4 != 1, new byte[0]);
                }
                queries.add(w.toByteArray());
                i++;
            }
        }
        // IXFR over UDP (RFC 1995 §2): the client's SOA in authority, with serials behind, at and ahead of the
        // zones', at apexes and below one (NOTAUTH).
        byte[] soaRdata = new byte[2 + 20];
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test", "www.engine.test")) {
            for (long serial : new long[] {0, 1, 0xFFFF_FFFFL, 2026120499L}) {
                soaRdata[2] = (byte) (serial >>> 24);
                soaRdata[3] = (byte) (serial >>> 16);
                soaRdata[4] = (byte) (serial >>> 8);
                soaRdata[5] = (byte) serial;
                queries.add(new MessageWriter(i++, 0).question(DnsName.of(z), RecordType.IXFR, DnsClass.IN)
                    .record(2, DnsName.of(z), RecordType.SOA, DnsClass.IN, 0, soaRdata.clone()).toByteArray());
            }
        }
        assertTrue(queries.size() > 2000, queries.size() + " queries");

        QueryEngine engine = new QueryEngine(catalog, minimalResponses);
        byte[] buffer = new byte[65535];
        MemorySegment segment = MemorySegment.ofArray(buffer);
        int[] limits = {512, 1232, QueryEngine.STREAM};
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long answered = 0;
        for (int round = 0; round < 30; round++) {
            answered += answerAll(engine, queries, buffer, segment, limits);
        }
        // Up to five measured rounds of the same queries: code that allocates does so in every one of them, while a
        // JIT still installing code on a loaded machine leaves a later round clean (DnstapTest measures the same way).
        StringBuilder measured = new StringBuilder();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5 && least != 0; round++) {
            long before = threads.getThreadAllocatedBytes(tid);
            answered += answerAll(engine, queries, buffer, segment, limits);
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            least = Math.min(least, allocated);
            measured.append(' ').append(allocated);
        }
        assertTrue(answered > 0);
        assertEquals(0, least, "bytes allocated by each measured round of " + queries.size() + " queries:" + measured);
    }

    private static long answerAll(QueryEngine engine, List<byte[]> queries, byte[] buffer, MemorySegment segment,
                                  int[] limits) {
        long answered = 0;
        for (int q = 0, n = queries.size(); q < n; q++) {
            byte[] query = queries.get(q);
            int limit = limits[q % limits.length];
            System.arraycopy(query, 0, buffer, 0, query.length);
            if (engine.answer(segment, 0, query.length, buffer.length, limit) > 0) {
                answered++;
            }
        }
        return answered;
    }
}
