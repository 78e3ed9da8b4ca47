package dev.isthmus.dns.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataShape;
import dev.isthmus.dns.wire.RecordType;
import java.io.InputStream;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneFileParserTest {
    static final DnsName ORIGIN = DnsName.of("example.test");
    static final String HEAD = """
        $TTL 1h
        @ IN SOA ns1 hostmaster ( 1 2h 1h 2w 300 )
          IN NS ns1
        ns1 A 192.0.2.1
        """;

    static Zone parse(String body) throws ZoneParseException {
        return ZoneFileParser.parse(ORIGIN, HEAD + body, "t.zone");
    }

    static byte[] rdata(Zone z, String name, int type) {
        return z.node(DnsName.of(name)).rrset(type).records().get(0).rdata();
    }

    static ZoneParseException failure(String text) {
        return assertThrows(ZoneParseException.class, () -> ZoneFileParser.parse(ORIGIN, text, "t.zone"));
    }

    @Test
    void readsTheShippedSampleZone() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/zones/example.test.zone")) {
            Zone z = ZoneFileParser.parse(ORIGIN, new String(in.readAllBytes(), StandardCharsets.UTF_8), "sample");
            assertEquals(2026112101L, z.serial());
            assertEquals(300, z.negativeTtl());
            assertNotNull(z.node(DnsName.of("*.apps.example.test")).rrset(RecordType.A));
            assertTrue(z.node(DnsName.of("apps.example.test")).isEmptyNonTerminal());
            assertNotNull(z.delegationAbove(DnsName.of("ns1.child.example.test")));
            assertNull(z.delegationAbove(DnsName.of("www.example.test")));
        }
    }

    @Test
    void ownerTtlAndClassMayBeOmittedOrSwapped() throws Exception {
        Zone z = parse("""
            www 300 IN A 192.0.2.10
                IN 600 AAAA 2001:db8::10
                TXT "x"
            """);
        var www = z.node(DnsName.of("www.example.test"));
        assertEquals(300, www.rrset(RecordType.A).records().get(0).ttl());
        assertEquals(600, www.rrset(RecordType.AAAA).records().get(0).ttl());
        assertEquals(3600, www.rrset(RecordType.TXT).records().get(0).ttl(), "$TTL applies when omitted");
    }

    @Test
    void anIpv4MappedAaaaKeepsItsSixteenOctets() throws Exception {
        Zone z = parse("""
            m1 AAAA ::ffff:198.18.0.1
            m2 AAAA ::FFFF:c612:1
            """);
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffffc6120001");
        assertArrayEquals(mapped, rdata(z, "m1.example.test", RecordType.AAAA));
        assertArrayEquals(mapped, rdata(z, "m2.example.test", RecordType.AAAA));
    }

    @Test
    void ttlUnitsOriginAndAbsoluteNames() throws Exception {
        Zone z = parse("""
            $ORIGIN sub.example.test.
            a 1h30m A 192.0.2.2
            b.example.test. 1W A 192.0.2.3
            """);
        assertEquals(5400, z.node(DnsName.of("a.sub.example.test")).rrset(RecordType.A).records().get(0).ttl());
        assertEquals(604800, z.node(DnsName.of("b.example.test")).rrset(RecordType.A).records().get(0).ttl());
        assertTrue(z.node(DnsName.of("sub.example.test")).isEmptyNonTerminal());
    }

    @Test
    void txtKeepsSeveralStringsAndEscapes() throws Exception {
        Zone z = parse("t TXT \"a b\" c \"q\\\"uote\" \\065\\;\n");
        byte[] expected = {3, 'a', ' ', 'b', 1, 'c', 6, 'q', '"', 'u', 'o', 't', 'e', 2, 'A', ';'};
        assertArrayEquals(expected, rdata(z, "t.example.test", RecordType.TXT));
    }

    @Test
    void txtStringOver255OctetsIsAnError() {
        ZoneParseException e = failure(HEAD + "t TXT \"" + "x".repeat(256) + "\"\n");
        assertEquals(5, e.errors().get(0).line());
        assertTrue(e.getMessage().startsWith("t.zone:5: TXT: character-string longer than 255"), e.getMessage());
    }

    @Test
    void namesKeepTheirCaseButMatchWithoutIt() throws Exception {
        Zone z = parse("WwW A 192.0.2.1\n");
        var node = z.node(DnsName.of("www.EXAMPLE.test"));
        assertEquals("WwW.example.test.", node.name().toString());
    }

    @Test
    void escapedDotsAndDecimalEscapesInNames() throws Exception {
        Zone z = parse("a\\.b A 192.0.2.1\n\\097x A 192.0.2.2\n");
        assertNotNull(z.node(DnsName.parse("a\\.b", ORIGIN)));
        assertNotNull(z.node(DnsName.of("ax.example.test")));
    }

    @Test
    void everyListedTypeParses() throws Exception {
        Zone z = parse("""
            mx MX 10 mail
            cn CNAME www
            dn DNAME example.net.
            p PTR host
            srv SRV 1 2 3 t
            n NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:info@example.test!" .
            c CAA 0 issue "ca.example"
            s SSHFP 1 1 0123456789abcdef0123456789abcdef01234567
            tl TLSA 3 1 1 ( 0123456789abcdef
                            0123456789abcdef )
            h HINFO "PC" "Linux"
            ds DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            k DNSKEY 257 3 13 AQID
            r RRSIG A 13 3 3600 20300101000000 20250101000000 12345 example.test. AQID
            ns NSEC next.example.test. A RRSIG NSEC TYPE65534
            n3 NSEC3 1 0 10 aabb 0123456789abcdefghijklmnopqrstuv A RRSIG
            n3p NSEC3PARAM 1 0 10 -
            u TYPE65534 \\# 4 0a000001
            e TYPE65533 \\# 0
            """);
        assertArrayEquals(HexFormat.of().parseHex("0a000001"), rdata(z, "u.example.test", 65534));
        assertEquals(0, rdata(z, "e.example.test", 65533).length);
        assertArrayEquals(new byte[] {0, 10, 4, 'm', 'a', 'i', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0},
            rdata(z, "mx.example.test", RecordType.MX));
        byte[] nsec = rdata(z, "ns.example.test", RecordType.NSEC);
        // next name (19 octets) then window 0 (A=1, RRSIG=46, NSEC=47) and window 255 (65534 = 255*256 + 254).
        assertEquals("0006400000000003ff20" + "00".repeat(31) + "02",
            HexFormat.of().formatHex(nsec, 19, nsec.length));
        assertNotNull(z.node(DnsName.of("r.example.test")).signatures(RecordType.A));
        assertEquals(32, rdata(z, "tl.example.test", RecordType.TLSA).length - 3 + 16);
        assertEveryRecordHasItsTypesShape(z);
    }

    /** What the presentation-form parser produces, the RFC 3597 generic-form check must accept. */
    static void assertEveryRecordHasItsTypesShape(Zone z) {
        int checked = 0;
        for (Node node : z.nodes()) {
            for (RRset set : node.rrsets()) {
                for (ResourceRecord r : set.records()) {
                    assertNull(RdataShape.problem(r.type(), r.rdata()), node.name() + " " + RecordType.name(r.type()));
                    checked++;
                }
            }
        }
        assertTrue(checked >= 19, "checked " + checked);
    }

    @Test
    void genericFormOfAKnownTypeMustBeValidForThatType() throws Exception {
        // Found by ZoneFuzzTest: an SOA in generic form too short for its MINIMUM field, with no TTL to fall back
        // on, used to throw ArrayIndexOutOfBoundsException (a 500 over REST) instead of naming file:line.
        ZoneParseException soa = failure("x TYPE6 \\# 2 0a0b\n");
        assertEquals("t.zone:1: SOA: RFC 3597 §5 generic form is not valid SOA RDATA: MNAME does not end with the "
            + "root label", soa.errors().get(0).toString());
        assertTrue(failure(HEAD + "x A \\# 3 0a0000\n").getMessage().contains("t.zone:5: A: RFC 3597 §5"));
        assertTrue(failure(HEAD + "x A \\# 5 0a00000001\n").getMessage().contains("1 octets after the last field"));
        assertTrue(failure(HEAD + "x NS \\# 2 c00c\n").getMessage().contains("compression pointer"));
        assertTrue(failure(HEAD + "x MX \\# 3 000a01\n").getMessage().contains("exchange does not end"));
        assertTrue(failure(HEAD + "x TXT \\# 2 0561\n").getMessage().contains("text runs past the end"));
        assertTrue(failure(HEAD + "x NSEC \\# 4 00000100\n").getMessage().contains("trailing zero octet"));
        assertTrue(failure(HEAD + "x NSEC3PARAM \\# 6 010000000a01\n").getMessage().contains("salt runs past"));
        assertTrue(failure(HEAD + "x CAA \\# 3 000078\n").getMessage().contains("tag length 0"));
        // Valid generic data of a known type is that type: the same bytes as its presentation form.
        Zone z = parse("g TYPE1 \\# 4 c0000201\nm MX \\# 5 000a017800\n");
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, rdata(z, "g.example.test", RecordType.A));
        assertArrayEquals(new byte[] {0, 10, 1, 'x', 0}, rdata(z, "m.example.test", RecordType.MX));
        // A full SOA in generic form with no TTL anywhere takes its MINIMUM (300) as TTL, as in presentation form.
        Zone apex = ZoneFileParser.parse(ORIGIN, "@ SOA \\# 22 0000 00000001 00000002 00000003 00000004 0000012c\n"
            + "@ 60 NS ns.example.net.\n", "t.zone");
        assertEquals(300, apex.soa().ttl());
    }

    @Test
    void errorsNameFileAndLineAndLoadNothing() {
        ZoneParseException e = failure(HEAD + """
            www A 192.0.2.300
            cn CNAME a
            cn A 192.0.2.1
            out.example.net. A 192.0.2.1
            x BOGUS 1
            """);
        assertEquals(2, e.errors().size(), e.getMessage());
        assertEquals("t.zone:5: A: bad IPv4 address '192.0.2.300'", e.errors().get(0).toString());
        assertEquals("t.zone:9: unknown type 'BOGUS'", e.errors().get(1).toString());
        // Zone-level rules are checked once every line parses.
        ZoneParseException v = failure(HEAD + "cn CNAME a\ncn A 192.0.2.1\nout.example.net. A 192.0.2.1\n");
        assertEquals("t.zone:6: CNAME and other data at cn.example.test. (RFC 2181 §10.1)", v.errors().get(0).toString());
        assertEquals("t.zone:7: name out.example.net. is outside the zone example.test.", v.errors().get(1).toString());
    }

    @Test
    void structuralErrors() {
        assertTrue(failure("$TTL 1\n@ NS ns\n").getMessage().contains("no SOA"));
        assertTrue(failure("$TTL 1\n@ SOA a b 1 2 3 4 5\n").getMessage().contains("no NS"));
        assertTrue(failure(HEAD + "@ SOA a b 1 2 3 4 5\n").getMessage().contains("t.zone:5: more than one SOA"));
        assertTrue(failure(HEAD + "x SOA a b 1 2 3 4 5\n").getMessage().contains("not at the zone apex"));
        assertTrue(failure(HEAD + "c CNAME a\nc CNAME b\n").getMessage().contains("t.zone:6: more than one CNAME"));
        assertTrue(failure(HEAD + "d DNAME a\nx.d A 192.0.2.1\n").getMessage().contains("t.zone:6: name x.d.example.test. is below the DNAME"));
        assertTrue(failure(HEAD + "a".repeat(64) + " A 192.0.2.1\n").getMessage().contains("t.zone:5: label longer than 63"));
        assertTrue(failure(HEAD + ("a".repeat(60) + ".").repeat(5) + " A 192.0.2.1\n").getMessage().contains("longer than 255"));
        assertTrue(failure(HEAD + "x ( A 192.0.2.1\n").getMessage().contains("t.zone:5: '(' is never closed"));
        assertTrue(failure(HEAD + "x TXT \"open\n").getMessage().contains("t.zone:5: unterminated quoted string"));
        assertTrue(failure(HEAD + "x TYPE65534 \\# 3 0a0000\nx TYPE65535 \\# 2 0a0000\n").getMessage().contains("t.zone:6"));
        assertTrue(failure(HEAD + "x CH A 192.0.2.1\n").getMessage().contains("only class IN"));
        assertTrue(failure(HEAD + "$INCLUDE /etc/passwd\n").getMessage().contains("$INCLUDE is not allowed"));
    }

    @Test
    void includeReadsRelativeFilesWithTheirOwnOrigin(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hosts.inc"), "h1 A 192.0.2.5\n");
        Files.writeString(dir.resolve("main.zone"), HEAD + "$INCLUDE hosts.inc sub.example.test.\nh2 A 192.0.2.6\n");
        Zone z = ZoneFileParser.load(ORIGIN, dir.resolve("main.zone"));
        assertNotNull(z.node(DnsName.of("h1.sub.example.test")));
        assertNotNull(z.node(DnsName.of("h2.example.test")), "the include's origin does not leak back");
        Files.writeString(dir.resolve("bad.inc"), "\nh1 A nope\n");
        Files.writeString(dir.resolve("main2.zone"), HEAD + "$INCLUDE bad.inc\n");
        ZoneParseException e = assertThrows(ZoneParseException.class, () -> ZoneFileParser.load(ORIGIN, dir.resolve("main2.zone")));
        assertEquals(dir.resolve("bad.inc") + ":2: A: bad IPv4 address 'nope'", e.errors().get(0).toString());
    }

    @Test
    void duplicateRecordsCollapse() throws Exception {
        Zone z = parse("d A 192.0.2.1\nd A 192.0.2.1\n");
        assertEquals(1, z.node(DnsName.of("d.example.test")).rrset(RecordType.A).records().size());
    }

    @Test
    void dnssecRecordsMayStandBesideACname() throws Exception {
        Zone z = parse("c CNAME www\nc RRSIG CNAME 13 3 3600 20300101000000 20250101000000 1 example.test. AQID\n"
            + "c NSEC d.example.test. CNAME RRSIG NSEC\n");
        assertNotNull(z.node(DnsName.of("c.example.test")).rrset(RecordType.NSEC));
    }

    @Test
    void genericDataOfAKnownTypeMustHaveThatTypesLayout() throws Exception {
        ZoneParseException e = failure(HEAD + """
            a RRSIG \\# 0
            b NS \\# 2 0561
            c A \\# 3 010203
            d MX \\# 4 000a0100
            e TYPE65534 \\# 0
            """);
        assertEquals(4, e.errors().size(), e::getMessage);
        // The messages are RdataShape's (the fuzz branch's check of every field); each names line, type and why.
        List<String> want = List.of("t.zone:5: RRSIG: RFC 3597 §5 generic form is not valid RRSIG RDATA",
                "t.zone:6: NS: RFC 3597 §5 generic form is not valid NS RDATA",
                "t.zone:7: A: RFC 3597 §5 generic form is not valid A RDATA",
                "t.zone:8: MX: RFC 3597 §5 generic form is not valid MX RDATA");
        for (int i = 0; i < want.size(); i++) {
            String got = e.errors().get(i).toString();
            assertTrue(got.startsWith(want.get(i) + ": "), got);
        }
        Zone z = parse("f NS \\# 3 016600\n");
        assertEquals(3, rdata(z, "f.example.test", RecordType.NS).length);
    }

    @Test
    void generateMakesRunsOfRecordsWithOffsetsWidthsAndBases() throws Exception {
        Zone z = parse("""
            $GENERATE 1-4 host$ A 192.0.2.$
            $GENERATE 0-10/5 h${10,3} 300 IN AAAA 2001:db8::${0,4,x}
            $GENERATE 26-27 ${0,2,X}.rev CNAME ${-26}.n${0,3,n}.example.test.
            $GENERATE 1-1 \\$lit TXT "v$"
            """);
        for (int i = 1; i <= 4; i++) {
            assertArrayEquals(new byte[] {(byte) 192, 0, 2, (byte) i}, rdata(z, "host" + i + ".example.test", 1));
        }
        assertNull(z.node(DnsName.of("host5.example.test")));
        assertNotNull(z.node(DnsName.of("h010.example.test")));
        assertNotNull(z.node(DnsName.of("h015.example.test")));
        assertNotNull(z.node(DnsName.of("h020.example.test")));
        assertEquals(16, rdata(z, "h020.example.test", 28).length);
        assertEquals(0x0a, rdata(z, "h020.example.test", 28)[15]);
        assertNotNull(z.node(DnsName.of("1A.rev.example.test")));
        assertArrayEquals(DnsName.of("0.na.1.example.test").wire(), rdata(z, "1a.rev.example.test", 5));
        assertArrayEquals(DnsName.of("1.nb.1.example.test").wire(), rdata(z, "1b.rev.example.test", 5));
        assertNotNull(z.node(DnsName.parse("\\$lit", ORIGIN)));
        assertArrayEquals(new byte[] {2, 'v', '1'}, rdata(z, "$lit.example.test", 16));
    }

    @Test
    void aHostileOrMalformedGenerateIsAnErrorNamingItsLine() {
        assertEquals("t.zone:5: $GENERATE range '0-2147483647' makes 2147483648 records, more than 65536",
                failure(HEAD + "$GENERATE 0-2147483647 h$ A 192.0.2.1\n").errors().get(0).toString());
        assertEquals("t.zone:5: $GENERATE range '5-1': stop is below start",
                failure(HEAD + "$GENERATE 5-1 h$ A 192.0.2.1\n").errors().get(0).toString());
        assertEquals("t.zone:5: $GENERATE at 255: A: bad IPv4 address '192.0.2.256'",
                failure(HEAD + "$GENERATE 250-300 h$ A 192.0.2.${1}\n").errors().get(0).toString());
        assertTrue(failure(HEAD + "$GENERATE 1-2 h${1,2,q} A 192.0.2.1\n").errors().get(0).toString()
                .contains("base 'q'"));
    }
}

