package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ZoneParseException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryEngineTest {
    static final String ZONE = """
        $ORIGIN example.test.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 3600 1209600 300
          NS ns1
          NS ns2.example.net.
          MX 10 mail
        ns1 A 192.0.2.53
            AAAA 2001:db8::53
        www A 192.0.2.80
        mail A 192.0.2.25
        ftp CNAME www
        c1 CNAME c2
        c2 CNAME www
        loop1 CNAME loop2
        loop2 CNAME loop1
        dangling CNAME nothing
        out CNAME www.example.net.
        _sip._udp SRV 10 60 5060 www
        *.wild A 192.0.2.99
        *.wild MX 5 mail
        deep.ent.example.test. A 192.0.2.7
        child NS ns.child
        ns.child A 192.0.2.100
        dn DNAME example.net.
        big TXT "%s" "%s" "%s"
        """.formatted("a".repeat(200), "b".repeat(200), "c".repeat(200));
    static final String NET = """
        $ORIGIN example.net.
        $TTL 600
        @ SOA ns1.example.net. h 1 2 3 4 60
          NS ns1.example.net.
        ns1 A 192.0.2.1
        www A 192.0.2.2
        """;

    EngineHarness h;

    @BeforeEach
    void setUp() throws ZoneParseException {
        h = new EngineHarness(false); // the full responses of NSD's default, which most tests here describe
        h.catalog.replace("example.test", ZONE);
        h.catalog.replace("example.net", NET);
    }

    static Set<String> names(List<WireRecord> rs) {
        return rs.stream().map(r -> r.name().toString().toLowerCase() + "/" + RecordType.name(r.type()))
            .collect(Collectors.toSet());
    }

    @Test
    void positiveAnswerIsAuthoritativeWithNsAndGlue() {
        Message m = h.ask("www.example.test", RecordType.A);
        assertEquals(0x1234, m.id());
        assertTrue(m.flag(Header.FLAG_QR) && m.flag(Header.FLAG_AA) && m.flag(Header.FLAG_RD));
        assertEquals(Rcode.NOERROR, m.rcode());
        assertEquals(Set.of("www.example.test./A"), names(m.answers()));
        assertEquals(Set.of("example.test./NS"), names(m.authority()));
        assertEquals(Set.of("ns1.example.test./A", "ns1.example.test./AAAA"), names(m.additional()));
    }

    /** Minimal responses (the default): the answer alone; an NS answer still brings its targets' addresses. */
    @Test
    void minimalPositiveAnswerCarriesNoAuthority() throws ZoneParseException {
        EngineHarness h = new EngineHarness(true);
        h.catalog.replace("example.test", ZONE);
        Message m = h.ask("www.example.test", RecordType.A);
        assertTrue(m.flag(Header.FLAG_AA));
        assertEquals(Set.of("www.example.test./A"), names(m.answers()));
        assertEquals(Set.of(), names(m.authority()));
        assertEquals(Set.of(), names(m.additional()));
        Message ns = h.ask("example.test", RecordType.NS);
        assertEquals(Set.of(), names(ns.authority()));
        assertTrue(names(ns.additional()).contains("ns1.example.test./A"), names(ns.additional())::toString);
        assertEquals(Set.of(), names(h.ask("example.test", RecordType.MX).additional()), "no MX target addresses");
        assertEquals(Set.of("example.test./SOA"), names(h.ask("nope.example.test", RecordType.A).authority()));
    }

    @Test
    void questionEchoedWithTheClientsCase() {
        byte[] q = EngineHarness.query("wWw.ExAmPlE.TeSt", RecordType.A, false, false, 0);
        byte[] r = h.raw(q, 512);
        assertArrayEquals(java.util.Arrays.copyOfRange(q, 12, q.length), java.util.Arrays.copyOfRange(r, 12, q.length));
        assertEquals("wWw.ExAmPlE.TeSt.", h.ask(q, 512).answers().get(0).name().toString());
    }

    @Test
    void cnameChainsAreFollowedInsideServedZones() {
        Message m = h.ask("c1.example.test", RecordType.A);
        assertEquals(Set.of("c1.example.test./CNAME", "c2.example.test./CNAME", "www.example.test./A"), names(m.answers()));
        Message out = h.ask("out.example.test", RecordType.A);
        assertEquals(Set.of("out.example.test./CNAME", "www.example.net./A"), names(out.answers()));
        Message loop = h.ask("loop1.example.test", RecordType.A);
        assertEquals(2, loop.answers().size());
        assertEquals(Rcode.NOERROR, loop.rcode());
        Message dangling = h.ask("dangling.example.test", RecordType.A);
        assertEquals(Rcode.NXDOMAIN, dangling.rcode(), "RFC 2308 §2.1: the RCODE is the last name's");
        assertEquals(Set.of("example.test./SOA"), names(dangling.authority()));
        Message cnameItself = h.ask("ftp.example.test", RecordType.CNAME);
        assertEquals(Set.of("ftp.example.test./CNAME"), names(cnameItself.answers()));
    }

    @Test
    void nxdomainAndNodataCarryTheSoaWithTheNegativeTtl() {
        Message nx = h.ask("nope.example.test", RecordType.A);
        assertEquals(Rcode.NXDOMAIN, nx.rcode());
        assertTrue(nx.flag(Header.FLAG_AA));
        assertTrue(nx.answers().isEmpty());
        assertEquals(300, nx.authority().get(0).ttl(), "min(SOA TTL, MINIMUM), RFC 2308 §3");
        Message nodata = h.ask("www.example.test", RecordType.AAAA);
        assertEquals(Rcode.NOERROR, nodata.rcode());
        assertTrue(nodata.answers().isEmpty());
        assertEquals(Set.of("example.test./SOA"), names(nodata.authority()));
        Message ent = h.ask("ent.example.test", RecordType.A);
        assertEquals(Rcode.NOERROR, ent.rcode(), "an empty non-terminal exists (RFC 4592 §2.2.2)");
        assertEquals(Rcode.NXDOMAIN, h.ask("x.deep.ent.example.test", RecordType.A).rcode());
    }

    @Test
    void wildcardsSynthesizeTheQueryName() {
        Message m = h.ask("Anything.wild.example.test", RecordType.A);
        assertEquals(Rcode.NOERROR, m.rcode());
        assertEquals("Anything.wild.example.test.", m.answers().get(0).name().toString());
        Message deeper = h.ask("a.b.wild.example.test", RecordType.MX);
        assertEquals(Set.of("a.b.wild.example.test./MX"), names(deeper.answers()));
        assertTrue(names(deeper.additional()).contains("mail.example.test./A"));
        Message nodata = h.ask("x.wild.example.test", RecordType.TXT);
        assertEquals(Rcode.NOERROR, nodata.rcode());
        assertTrue(nodata.answers().isEmpty());
        // RFC 4592 §2.2.1: "wild" exists (as an empty non-terminal? no: it is the wildcard's parent) and is not matched
        Message parent = h.ask("wild.example.test", RecordType.A);
        assertTrue(parent.answers().isEmpty());
    }

    @Test
    void delegationsAreReferralsWithGlueAndNoAa() {
        for (String name : new String[] {"child.example.test", "www.child.example.test", "ns.child.example.test"}) {
            Message m = h.ask(name, RecordType.A);
            assertFalse(m.flag(Header.FLAG_AA), name);
            assertEquals(Rcode.NOERROR, m.rcode());
            assertTrue(m.answers().isEmpty());
            assertEquals(Set.of("child.example.test./NS"), names(m.authority()));
            assertEquals(Set.of("ns.child.example.test./A"), names(m.additional()));
        }
        Message ds = h.ask("child.example.test", RecordType.DS);
        assertTrue(ds.flag(Header.FLAG_AA), "DS is answered by the parent (RFC 4035 §3.1.4.1)");
        assertEquals(Set.of("example.test./SOA"), names(ds.authority()));
    }

    @Test
    void dnameSubstitutesTheSuffix() {
        Message m = h.ask("www.dn.example.test", RecordType.A);
        assertEquals(Set.of("dn.example.test./DNAME", "www.dn.example.test./CNAME", "www.example.net./A"), names(m.answers()));
        WireRecord cname = m.answers().stream().filter(r -> r.type() == RecordType.CNAME).findFirst().orElseThrow();
        assertEquals(3600, cname.ttl(), "RFC 6672 §3.1: the DNAME's TTL");
        Message nx = h.ask("nope.dn.example.test", RecordType.A);
        assertEquals(Rcode.NXDOMAIN, nx.rcode());
        assertEquals(Set.of("example.net./SOA"), names(nx.authority()));
    }

    @Test
    void additionalAddressesForMxAndSrvTargets() {
        assertEquals(Set.of("mail.example.test./A", "ns1.example.test./A", "ns1.example.test./AAAA"),
            names(h.ask("example.test", RecordType.MX).additional()));
        assertTrue(names(h.ask("_sip._udp.example.test", RecordType.SRV).additional()).contains("www.example.test./A"));
    }

    @Test
    void refusedOutsideServedZonesAndForOtherClasses() {
        Message m = h.ask("www.example.org", RecordType.A);
        assertEquals(Rcode.REFUSED, m.rcode());
        assertFalse(m.flag(Header.FLAG_AA));
        assertEquals(1, m.questions().size());
        Message ch = h.ask(new MessageWriter(1, 0).question(DnsName.of("www.example.test"), RecordType.A, 3).toByteArray(), 512);
        assertEquals(Rcode.REFUSED, ch.rcode());
    }

    /**
     * QCLASS * (RFC 1035 §3.2.5) matches class IN, the only class served: answered with the precomputed class IN
     * answer, as Knot does, byte for byte apart from the echoed question — and, a class any sender may choose, without
     * allocating on the answering thread (it used to be resolved afresh per query).
     */
    @Test
    void qclassAnyGetsTheClassInAnswerWithoutAllocating() {
        String[][] questions = {{"www.example.test", "1"}, {"nope.example.test", "1"}, {"example.test", "15"},
            {"ftp.example.test", "1"}, {"x.child.example.test", "1"}, {"www.example.test", "28"},
            {"a.wild.example.test", "1"}, {"www.example.org", "1"}, {"www.example.test", "252"}};
        for (String[] q : questions) {
            int type = Integer.parseInt(q[1]);
            byte[] any = new MessageWriter(7, Header.FLAG_RD).question(DnsName.of(q[0]), type, 255).toByteArray();
            byte[] in = new MessageWriter(7, Header.FLAG_RD).question(DnsName.of(q[0]), type, 1).toByteArray();
            byte[] answerAny = h.raw(any, 512);
            byte[] answerIn = h.raw(in, 512);
            assertEquals(255, ((answerAny[any.length - 2] & 0xFF) << 8) | (answerAny[any.length - 1] & 0xFF),
                "the question's class echoed");
            answerAny[any.length - 1] = 1;
            assertArrayEquals(answerIn, answerAny, q[0] + " " + q[1]);
        }
        Message www = h.ask(new MessageWriter(8, 0).question(DnsName.of("www.example.test"), RecordType.A, 255)
            .toByteArray(), 512);
        assertEquals(Set.of("www.example.test./A"), names(www.answers()));

        byte[] query = new MessageWriter(9, 0).question(DnsName.of("www.example.test"), RecordType.A, 255).toByteArray();
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment pristine = arena.allocate(query.length);
            java.lang.foreign.MemorySegment.copy(query, 0, pristine, java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                query.length);
            java.lang.foreign.MemorySegment buf = arena.allocate(4096);
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            int length = 0;
            for (int i = 0; i < 20_000; i++) { // warm-up: let the JIT compile the path
                length = answerFrom(pristine, buf, query.length);
            }
            // Allocation per query shows in every window; a window of 0 bytes shows there is none. Up to five
            // windows, so that a one-off (a late compilation's deoptimisation) cannot fail the test.
            List<Long> windows = new java.util.ArrayList<>();
            for (int w = 0; w < 5 && !windows.contains(0L); w++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10_000; i++) {
                    length += answerFrom(pristine, buf, query.length);
                }
                windows.add(threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(length > 10_000 * query.length, "answered every time");
            assertTrue(windows.contains(0L), "bytes allocated per window of 10 000 QCLASS * queries: " + windows);
        }
    }

    private int answerFrom(java.lang.foreign.MemorySegment pristine, java.lang.foreign.MemorySegment buf, int length) {
        java.lang.foreign.MemorySegment.copy(pristine, 0, buf, 0, length);
        return h.engine.answer(buf, 0, length, (int) buf.byteSize(), 512);
    }

    @Test
    void edns0EchoesOptAndReturnsSignaturesOnlyWithDo() throws Exception {
        h.catalog.replace("signed.test", """
            $ORIGIN signed.test.
            $TTL 300
            @ SOA ns h 1 2 3 4 60
            @ RRSIG SOA 13 2 300 20300101000000 20250101000000 1 signed.test. AQID
            @ NS ns
            @ RRSIG NS 13 2 300 20300101000000 20250101000000 1 signed.test. AQID
            @ DNSKEY 257 3 13 AQID
            ns A 192.0.2.1
            ns RRSIG A 13 3 300 20300101000000 20250101000000 1 signed.test. AQID
            """);
        Message plain = h.askEdns("ns.signed.test", RecordType.A, false);
        WireRecord opt = plain.opt();
        assertNotNull(opt);
        assertEquals(QueryEngine.EDNS_UDP_SIZE, opt.rrClass());
        assertEquals(0, opt.ttl());
        assertFalse(names(plain.answers()).contains("ns.signed.test./RRSIG"));
        Message dnssec = h.askEdns("ns.signed.test", RecordType.A, true);
        assertEquals(Set.of("ns.signed.test./A", "ns.signed.test./RRSIG"), names(dnssec.answers()));
        assertEquals(0x8000, dnssec.opt().ttl(), "DO is copied back (RFC 3225 §3)");
        assertNull(h.ask("ns.signed.test", RecordType.A).opt(), "no OPT without EDNS in the query");
    }

    @Test
    void badversForEdnsVersionAboveZero() {
        byte[] q = new MessageWriter(7, 0).question(DnsName.of("www.example.test"), RecordType.A, 1)
            .opt(4096, 0, 1, false, new byte[0]).toByteArray();
        Message m = h.ask(q, 1232);
        assertEquals(Rcode.BADVERS, m.extendedRcode());
        assertEquals(0, (m.opt().ttl() >>> 16) & 0xFF, "we answer with version 0");
    }

    @Test
    void truncationSetsTcAt512WithoutEdnsButNotWithIt() {
        Message udp = h.ask("big.example.test", RecordType.TXT);
        assertTrue(udp.flag(Header.FLAG_TC));
        assertTrue(h.lastLength <= 512);
        Message edns = h.askEdns("big.example.test", RecordType.TXT, false);
        assertFalse(edns.flag(Header.FLAG_TC));
        Message tcp = h.ask(EngineHarness.query("big.example.test", RecordType.TXT, false, false, 0), QueryEngine.STREAM);
        assertFalse(tcp.flag(Header.FLAG_TC));
        assertEquals(1, tcp.answers().size());
        // An additional section that does not fit is dropped without TC (RFC 2181 §9).
        byte[] small = EngineHarness.query("www.example.test", RecordType.A, false, false, 0);
        assertEquals(3, h.ask(small, 512).additional().size() + 1);
    }

    @Test
    void anyIsAnsweredWithOneRrset() {
        Message m = h.ask("example.test", RecordType.ANY);
        assertEquals(1, m.answers().stream().map(WireRecord::type).distinct().count(), "RFC 8482 §4.1");
    }

    @Test
    void formerrNotimpAndDrops() {
        assertNull(h.raw(new byte[5], 512), "shorter than a header");
        byte[] response = EngineHarness.query("www.example.test", RecordType.A, false, false, 0);
        response[2] |= (byte) 0x80;
        assertNull(h.raw(response, 512), "responses are never answered");
        byte[] notify = EngineHarness.query("www.example.test", RecordType.SOA, false, false, 0);
        notify[2] = (byte) (4 << 3);
        assertEquals(Rcode.NOTIMP, h.ask(notify, 512).rcode());
        byte[] two = new MessageWriter(1, 0).question(DnsName.of("a.example.test"), 1, 1)
            .question(DnsName.of("b.example.test"), 1, 1).toByteArray();
        Message formerr = h.ask(two, 512);
        assertEquals(Rcode.FORMERR, formerr.rcode());
        assertTrue(formerr.questions().isEmpty());
        byte[] pointer = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        assertEquals(Rcode.FORMERR, h.ask(pointer, 512).rcode(), "a pointer in the question");
        byte[] pastEnd = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 'a', 'b'};
        assertEquals(Rcode.FORMERR, h.ask(pastEnd, 512).rcode(), "label past the end");
        byte[] twoOpts = new MessageWriter(1, 0).question(DnsName.of("www.example.test"), 1, 1)
            .opt(1232, 0, 0, false, new byte[0]).opt(1232, 0, 0, false, new byte[0]).toByteArray();
        assertEquals(Rcode.FORMERR, h.ask(twoOpts, 512).rcode());
        byte[] badOption = new MessageWriter(1, 0).question(DnsName.of("www.example.test"), 1, 1)
            .opt(1232, 0, 0, false, new byte[] {0, 10, 0, 8, 1}).toByteArray();
        assertEquals(Rcode.FORMERR, h.ask(badOption, 512).rcode());
        byte[] hugeCount = EngineHarness.query("www.example.test", RecordType.A, false, false, 0);
        hugeCount[10] = (byte) 0xFF;
        assertEquals(Rcode.FORMERR, h.ask(hugeCount, 512).rcode(), "ARCOUNT beyond the message");
        // RFC 1035 §3.1: 255 octets at most, the root's included; each label 63 at most.
        assertEquals(Rcode.REFUSED, h.ask(longName(61, 0), 512).rcode(), "a name of 255 octets");
        assertEquals(Rcode.FORMERR, h.ask(longName(62, 0), 512).rcode(), "a name of 256 octets");
        assertEquals(Rcode.FORMERR, h.ask(longName(61, 64), 512).rcode(), "a label of 64 octets");
        byte[] noRoot = java.util.Arrays.copyOf(longName(61, 0), 12 + 254);
        assertEquals(Rcode.FORMERR, h.ask(noRoot, 512).rcode(), "a name without its root");
    }

    /**
     * A query whose name is three labels of 63 octets and one of {@code last}, ending at the root, then QTYPE A and
     * QCLASS IN; with {@code wide} not 0 the first label's length octet says {@code wide}.
     */
    private static byte[] longName(int last, int wide) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (int label = 0; label < 4; label++) {
            int length = label < 3 ? 63 : last;
            b.write(label == 0 && wide != 0 ? wide : length);
            b.writeBytes("x".repeat(length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }

    @Test
    void zonesAreReplacedAndRemovedAtomically() throws Exception {
        QueryEngine reader = new QueryEngine(h.catalog);
        assertEquals(Rcode.NOERROR, h.ask("www.example.net", RecordType.A).rcode());
        assertTrue(h.catalog.remove("example.net"));
        assertEquals(Rcode.REFUSED, h.ask("www.example.net", RecordType.A).rcode());
        ZoneParseException bad = org.junit.jupiter.api.Assertions.assertThrows(ZoneParseException.class,
            () -> h.catalog.replace("example.test", "$TTL 1\n@ SOA a b 1 2 3 4 5\n@ NS a\nwww A 1.2.3\n"));
        assertEquals("example.test.:4: A: bad IPv4 address '1.2.3'", bad.errors().get(0).toString());
        assertEquals(Rcode.NOERROR, h.ask("www.example.test", RecordType.A).rcode(), "the old zone still serves");
        assertNotNull(reader);
    }

    @Test
    void longestMatchAmongNestedZones() throws Exception {
        h.catalog.replace("child.example.test", """
            $TTL 60
            @ SOA ns h 1 2 3 4 5
            @ NS ns
            ns A 192.0.2.100
            www A 192.0.2.101
            """);
        Message m = h.ask("www.child.example.test", RecordType.A);
        assertTrue(m.flag(Header.FLAG_AA));
        assertEquals(Set.of("www.child.example.test./A"), names(m.answers()));
        assertEquals(Rcode.NXDOMAIN, h.ask("zz.child.example.test", RecordType.A).rcode());
    }

    /** What a 512-octet answer drops first (docs/dns.md, DNSSEC: truncation). */
    @Test
    void truncationDropsOptionalDataFirstAndKeepsInDomainGlueOrSetsTc() throws Exception {
        StringBuilder zone = new StringBuilder("$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n");
        for (int i = 1; i <= 6; i++) {
            zone.append("@ NS ns").append(i).append(".a-long-name-for-the-name-servers\n")
                .append("ns").append(i).append(".a-long-name-for-the-name-servers A 192.0.2.").append(i).append('\n');
        }
        zone.append("big TXT \"").append("x".repeat(250)).append("\" \"").append("y".repeat(150)).append("\"\n");
        for (int i = 1; i <= 8; i++) {
            zone.append("child NS ns").append(i).append(".child\n")
                .append("ns").append(i).append(".child A 192.0.2.").append(100 + i).append('\n')
                .append("ns").append(i).append(".child AAAA 2001:db8::").append(100 + i).append('\n');
            zone.append("sibling NS ns").append(i).append(".sib\n")
                .append("ns").append(i).append(".sib A 192.0.2.").append(200 + i).append('\n')
                .append("ns").append(i).append(".sib AAAA 2001:db8::").append(200 + i).append('\n');
        }
        h.catalog.replace("trunc.test", zone.toString());

        // The answer fits, the zone's NS in authority does not: it is left out (and its addresses) without TC.
        Message big = h.ask("big.trunc.test", RecordType.TXT);
        assertFalse(big.flag(Header.FLAG_TC));
        assertEquals(1, big.answers().size());
        assertTrue(big.authority().isEmpty());
        assertTrue(big.additional().isEmpty());

        // A referral whose in-domain glue does not all fit: every A first (each server reachable), TC set (RFC 9471).
        Message child = h.ask("www.child.trunc.test", RecordType.A);
        assertTrue(child.flag(Header.FLAG_TC), "in-domain glue left out sets TC");
        assertEquals(8, child.authority().size());
        List<WireRecord> glue = child.additional();
        assertEquals(8, glue.stream().filter(r -> r.type() == RecordType.A).count(), "every A before any AAAA");
        assertTrue(glue.size() < 16);

        // Glue of name servers outside the cut (sibling glue) may be left out without TC.
        Message sibling = h.ask("www.sibling.trunc.test", RecordType.A);
        assertFalse(sibling.flag(Header.FLAG_TC));
        assertEquals(8, sibling.authority().size());
        assertTrue(sibling.additional().size() < 16);

        // With room for everything, nothing is dropped and TC is clear.
        Message whole = h.ask(EngineHarness.query("www.child.trunc.test", RecordType.A, true, false, 4096), 1232);
        assertFalse(whole.flag(Header.FLAG_TC));
        assertEquals(16, whole.additional().stream()
            .filter(r -> r.type() == RecordType.A || r.type() == RecordType.AAAA).count());
    }
}
