package dev.isthmus.dns.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZonePatcherTest {
    static final DnsName ORIGIN = DnsName.of("example.test");
    static final String ZONE = """
        $TTL 3600
        @     IN SOA ns1 hostmaster 2026120401 2h 1h 2w 300
              IN NS  ns1
        ns1   IN A   192.0.2.1
        www   300 IN A 198.18.0.1
              300 IN A 198.18.0.2
        old   IN AAAA 2001:db8::1
        x     IN A   1.2.3.4
              IN A   1.2.3.5
        alias IN CNAME www
        """;

    static Zone zone() throws ZoneParseException {
        return ZoneFileParser.parse(ORIGIN, ZONE, "t.zone");
    }

    static ZonePatcher.Result apply(ZoneChange... changes) throws Exception {
        return ZonePatcher.apply(zone(), new ZonePatch(List.of(changes), null));
    }

    static List<String> refused(Zone zone, ZonePatch patch) {
        return assertThrows(ZonePatchException.class, () -> ZonePatcher.apply(zone, patch)).problems();
    }

    static List<String> refused(ZoneChange... changes) throws Exception {
        return refused(zone(), new ZonePatch(List.of(changes), null));
    }

    static Set<String> addresses(Zone z, String name, int type) {
        Set<String> out = new HashSet<>();
        RRset set = z.node(DnsName.of(name)).rrset(type);
        if (set != null) {
            for (ResourceRecord r : set.records()) {
                StringBuilder sb = new StringBuilder();
                ZoneText.rdata(sb, type, r.rdata());
                out.add(sb + "/" + r.ttl());
            }
        }
        return out;
    }

    @Test
    void theIssuesExampleAddsAnRecordRemovesAnRRsetAndOneRecord() throws Exception {
        ZonePatcher.Result r = apply(
            ZoneChange.add("www", "A", "300", "198.18.0.9"),
            ZoneChange.remove("old", "AAAA", null),
            ZoneChange.remove("x", "A", "1.2.3.4"));
        Zone z = r.zone();
        assertEquals(Set.of("198.18.0.1/300", "198.18.0.2/300", "198.18.0.9/300"), addresses(z, "www.example.test", RecordType.A));
        assertNull(z.node(DnsName.of("old.example.test")), "a name left without records is gone");
        assertEquals(Set.of("1.2.3.5/3600"), addresses(z, "x.example.test", RecordType.A));
        assertEquals(2026120402L, z.serial(), "RFC 2136 §3.6: the serial goes up by one");
        assertEquals(List.of(
            ZoneChange.add("www.example.test.", "A", "300", "198.18.0.9"),
            ZoneChange.remove("old.example.test.", "AAAA", null),
            ZoneChange.remove("x.example.test.", "A", "1.2.3.4")), r.applied().changes());
        assertEquals(ZonePatch.Serial.exactly(2026120402L), r.applied().serial());
    }

    @Test
    void theOldZoneIsUntouchedAndTheUnchangedNamesAreShared() throws Exception {
        Zone old = zone();
        Zone z = ZonePatcher.apply(old, new ZonePatch(List.of(ZoneChange.add("new", "A", "60", "198.18.0.7")), null)).zone();
        assertNull(old.node(DnsName.of("new.example.test")));
        assertEquals(2026120401L, old.serial());
        assertEquals(Set.of("198.18.0.7/60"), addresses(z, "new.example.test", RecordType.A));
        assertEquals(addresses(old, "x.example.test", RecordType.A), addresses(z, "x.example.test", RecordType.A));
    }

    @Test
    void namesAreRelativeAbsoluteOrTheApexAndDataNamesRelativeToTheOrigin() throws Exception {
        Zone z = apply(
            ZoneChange.add("mail.example.test.", "A", "60", "198.18.0.25"),
            ZoneChange.add("@", "MX", "60", "10 mail"),
            ZoneChange.add("_sip._tcp", "SRV", "60", "0 5 5060 sip.other.test."),
            ZoneChange.add("txt", "TXT", "60", "\"hello world\" two")).zone();
        assertEquals(Set.of("10 mail.example.test./60"), addresses(z, "example.test", RecordType.MX));
        assertEquals(Set.of("0 5 5060 sip.other.test./60"), addresses(z, "_sip._tcp.example.test", RecordType.SRV));
        assertEquals(Set.of("\"hello world\" \"two\"/60"), addresses(z, "txt.example.test", RecordType.TXT));
        assertTrue(z.node(DnsName.of("_tcp.example.test")).isEmptyNonTerminal());
    }

    @Test
    void aRecordWithoutTtlTakesItsRRsetsAndANewTtlAppliesToTheWholeRRset() throws Exception {
        Zone z = apply(ZoneChange.add("www", "A", null, "198.18.0.3")).zone();
        assertEquals(Set.of("198.18.0.1/300", "198.18.0.2/300", "198.18.0.3/300"), addresses(z, "www.example.test", RecordType.A));
        z = apply(ZoneChange.add("www", "A", "1m", "198.18.0.3")).zone();
        assertEquals(Set.of("198.18.0.1/60", "198.18.0.2/60", "198.18.0.3/60"), addresses(z, "www.example.test", RecordType.A),
            "RFC 2181 §5.2: one TTL per RRset");
        assertEquals(List.of("changes[0].ttl: required: new.example.test. has no A RRset whose TTL the record could take"),
            refused(ZoneChange.add("new", "A", null, "198.18.0.3")));
    }

    @Test
    void aRecordAlreadyThereIsNotDuplicated() throws Exception {
        Zone z = apply(ZoneChange.add("www", "A", null, "198.18.0.1")).zone();
        assertEquals(2, z.node(DnsName.of("www.example.test")).rrset(RecordType.A).records().size());
    }

    @Test
    void removingEveryRRsetOfAName() throws Exception {
        Zone z = apply(ZoneChange.remove("x", null, null), ZoneChange.remove("alias", null, null)).zone();
        assertNull(z.node(DnsName.of("x.example.test")));
        assertNull(z.node(DnsName.of("alias.example.test")));
    }

    @Test
    void changesApplyInOrderSoAnRRsetCanBeReplacedAndACnameSwappedForData() throws Exception {
        Zone z = apply(
            ZoneChange.remove("www", "A", null),
            ZoneChange.add("www", "A", "120", "198.18.0.50"),
            ZoneChange.remove("alias", "CNAME", null),
            ZoneChange.add("alias", "AAAA", "120", "2001:db8::50")).zone();
        assertEquals(Set.of("198.18.0.50/120"), addresses(z, "www.example.test", RecordType.A));
        assertEquals(Set.of("2001:db8::50/120"), addresses(z, "alias.example.test", RecordType.AAAA));
        assertNull(z.node(DnsName.of("alias.example.test")).rrset(RecordType.CNAME));
    }

    @Test
    void everyBadFieldIsNamedWithItsChangeIndex() throws Exception {
        List<String> problems = refused(
            ZoneChange.add("www", "A", "300", "198.18.0.9"),
            ZoneChange.add("bad..name", "A", "300", "198.18.0.9"),
            ZoneChange.add("y", "A", "300", "1.2.3"),
            ZoneChange.add("y", "BOGUS", "300", "1"),
            ZoneChange.add("y", "A", "soon", "1.2.3.4"),
            ZoneChange.add("y.other.test.", "A", "300", "1.2.3.4"),
            ZoneChange.add("y", "A", null, null),
            ZoneChange.remove("y", "A", null),
            new ZoneChange(ZoneChange.Op.REMOVE, "x", "A", "300", null),
            ZoneChange.add("y", "OPT", "300", "\\# 0"),
            ZoneChange.add("y", "MX", "300", "10"));
        assertEquals(List.of(
            "changes[1].name: empty label in 'bad..name'",
            "changes[2].data: A: bad IPv4 address '1.2.3'",
            "changes[3].type: unknown type 'BOGUS'",
            "changes[4].ttl: bad TTL 'soon'",
            "changes[5].name: y.other.test. is outside the zone example.test.",
            "changes[6].data: required to add: the RDATA in presentation form, e.g. 198.18.0.9 for A",
            "changes[8].ttl: a remove takes no TTL (RFC 2136 §2.5.4: records match by their data)",
            "changes[9].type: type OPT cannot appear in a zone",
            "changes[10].data: MX: missing exchange"), problems);
    }

    @Test
    void removingWhatIsNotThereIsRefused() throws Exception {
        assertEquals(List.of("changes[0].data: x.example.test. has no A record '9.9.9.9'"),
            refused(ZoneChange.remove("x", "A", "9.9.9.9")));
        assertEquals(List.of("changes[0].type: www.example.test. has no AAAA RRset"),
            refused(ZoneChange.remove("www", "AAAA", null)));
        assertEquals(List.of("changes[0].name: nowhere.example.test. has no records"),
            refused(ZoneChange.remove("nowhere", null, null)));
        assertEquals(List.of("changes[1].data: x.example.test. has no A record '1.2.3.4'"),
            refused(ZoneChange.remove("x", "A", "1.2.3.4"), ZoneChange.remove("x", "A", "1.2.3.4")),
            "the second change sees the zone as the first left it");
    }

    @Test
    void theResultingZoneIsValidatedLikeAZoneFile() throws Exception {
        assertEquals(List.of("changes[0]: CNAME and other data at www.example.test. (RFC 2181 §10.1)"),
            refused(ZoneChange.add("www", "CNAME", "300", "elsewhere.test.")));
        assertEquals(List.of("changes[1]: CNAME and other data at alias.example.test. (RFC 2181 §10.1)"),
            refused(ZoneChange.add("www", "A", "300", "198.18.0.9"), ZoneChange.add("alias", "TXT", "300", "x")));
        assertEquals(List.of("changes[0]: more than one CNAME at alias.example.test. (RFC 2181 §10.1)"),
            refused(ZoneChange.add("alias", "CNAME", "300", "x")));
        assertEquals(List.of("changes[0]: name a.x.example.test. is below the DNAME at x.example.test. (RFC 6672 §2.3)"),
            refused(ZoneChange.add("a.x", "A", "300", "198.18.0.9"), ZoneChange.remove("x", null, null),
                ZoneChange.add("x", "DNAME", "300", "other.test.")));
        assertEquals(List.of("changes: name www.example.test. is below the DNAME at example.test. (RFC 6672 §2.3)",
                "changes: name x.example.test. is below the DNAME at example.test. (RFC 6672 §2.3)"),
            refused(ZoneChange.add("@", "DNAME", "300", "other.test.")).stream()
                .filter(p -> p.contains("www.example.test.") || p.contains(" x.example.test.")).toList(),
            "an unchanged name that a change puts below a DNAME is refused for the patch as a whole");
    }

    @Test
    void theApexKeepsOneSoaAndItsNs() throws Exception {
        assertEquals(List.of("changes[0]: leaves the zone without its SOA (RFC 1035 §5.2); to replace it, add the new SOA in a later change"),
            refused(ZoneChange.remove("@", "SOA", null)));
        assertEquals(List.of("changes[1]: leaves the zone apex without NS records (RFC 1034 §4.2.1)"),
            refused(ZoneChange.add("www", "A", "300", "198.18.0.9"), ZoneChange.remove("@", "NS", null)));
        assertEquals(List.of("changes[0].type: the zone has an SOA already; remove it in an earlier change to put another (RFC 1035 §5.2: one SOA per zone)"),
            refused(ZoneChange.add("@", "SOA", "3600", "ns1 hostmaster 2026120402 2h 1h 2w 300")));
        assertEquals(List.of("changes[0].name: an SOA belongs at the zone apex example.test. (RFC 1035 §5.2)"),
            refused(ZoneChange.add("www", "SOA", "3600", "ns1 hostmaster 2026120402 2h 1h 2w 300")));
        // Replacing the NS RRset in one patch is fine: the apex is checked after the last change.
        Zone z = apply(ZoneChange.remove("@", "NS", null), ZoneChange.add("@", "NS", "3600", "ns2.other.test.")).zone();
        assertEquals(Set.of("ns2.other.test./3600"), addresses(z, "example.test", RecordType.NS));
    }

    @Test
    void serialIncrementsUnlessTheChangesSetAGreaterOne() throws Exception {
        ZoneChange removeSoa = ZoneChange.remove("@", "SOA", null);
        Zone z = apply(removeSoa, ZoneChange.add("@", "SOA", "3600", "ns1 hostmaster 2026120500 2h 1h 2w 600")).zone();
        assertEquals(2026120500L, z.serial(), "a greater serial the changes set is kept");
        assertEquals(600, z.negativeTtl(), "the rest of the new SOA is taken as it is");
        z = apply(removeSoa, ZoneChange.add("@", "SOA", "3600", "ns1 hostmaster 2026120401 2h 1h 2w 600")).zone();
        assertEquals(2026120402L, z.serial(), "an SOA edit that keeps the serial still has it incremented");
        assertEquals(List.of("changes[1].data: SOA serial 7 is not greater than the zone's 2026120401 (RFC 1982 §3.2);"
                + " keep the serial as it is to have it incremented, or ask for \"serial\": \"keep\""),
            refused(zone(), new ZonePatch(List.of(removeSoa,
                ZoneChange.add("@", "SOA", "3600", "ns1 hostmaster 7 2h 1h 2w 600")), ZonePatch.Serial.INCREMENT)));
        z = ZonePatcher.apply(zone(), new ZonePatch(List.of(removeSoa,
            ZoneChange.add("@", "SOA", "3600", "ns1 hostmaster 7 2h 1h 2w 600")), ZonePatch.Serial.KEEP)).zone();
        assertEquals(7, z.serial(), "keep: the operator's serial, even backwards");
        z = ZonePatcher.apply(zone(), new ZonePatch(List.of(ZoneChange.add("www", "A", "300", "198.18.0.9")),
            ZonePatch.Serial.KEEP)).zone();
        assertEquals(2026120401L, z.serial());
        z = ZonePatcher.apply(zone(), new ZonePatch(List.of(), ZonePatch.Serial.exactly(99))).zone();
        assertEquals(99, z.serial());
        z = ZonePatcher.apply(zone(), new ZonePatch(List.of(), ZonePatch.Serial.INCREMENT)).zone();
        assertEquals(2026120402L, z.serial(), "an empty patch only bumps the serial");
    }

    @Test
    void serialArithmeticWrapsAndSkipsZero() throws Exception {
        Zone top = ZoneFileParser.parse(ORIGIN, ZONE.replace("2026120401", "4294967295"), "t.zone");
        assertEquals(1, ZonePatcher.apply(top, new ZonePatch(List.of(), null)).zone().serial(), "RFC 1982 wraps; BIND skips 0");
        assertTrue(ZonePatcher.greater(0, 4294967295L));
        assertTrue(ZonePatcher.greater(5, 4));
        assertFalse(ZonePatcher.greater(4, 4));
        assertFalse(ZonePatcher.greater(4, 5));
        assertFalse(ZonePatcher.greater(0x80000000L, 0), "RFC 1982 §3.2: exactly 2^31 apart is undefined, not greater");
    }

    @Test
    void replayingTheAppliedPatchGivesTheSameZone() throws Exception {
        ZonePatcher.Result first = apply(
            ZoneChange.add("www", "A", null, "198.18.0.9"),
            ZoneChange.remove("x", "A", "1.2.3.4"),
            ZoneChange.add("new", "TXT", "90", "\"a b\""));
        Zone again = ZonePatcher.apply(zone(), first.applied()).zone();
        assertEquals(ZoneText.render(first.zone()), ZoneText.render(again));
        assertEquals(first.zone().serial(), again.serial());
    }

    @Test
    void everyTypeTheZoneParserReadsCanBeAdded() throws Exception {
        Zone z = apply(
            ZoneChange.add("t", "CAA", "60", "0 issue \"ca.example\""),
            ZoneChange.add("t", "SSHFP", "60", "1 1 0123456789abcdef0123456789abcdef01234567"),
            ZoneChange.add("t", "TYPE65534", "60", "\\# 3 010203"),
            ZoneChange.add("_443._tcp.t", "TLSA", "60", "3 1 1 ( 0123456789abcdef )"),
            ZoneChange.add("sub", "DS", "60", "12345 13 2 0123456789ABCDEF"),
            ZoneChange.add("sub", "NS", "60", "ns.sub")).zone();
        assertNotNull(z.node(DnsName.of("t.example.test")).rrset(RecordType.CAA));
        assertNotNull(z.node(DnsName.of("t.example.test")).rrset(65534));
        assertNotNull(z.node(DnsName.of("_443._tcp.t.example.test")).rrset(RecordType.TLSA));
        assertNotNull(z.delegationAbove(DnsName.of("host.sub.example.test")));
        assertEquals(List.of("changes[0].data: A: the data of one record on one line (parentheses may span lines)"),
            refused(ZoneChange.add("t", "A", "60", "1.2.3.4\n5.6.7.8")));
    }

    @Test
    void renderedTextParsesBackToTheSameRecords() throws Exception {
        Zone z = apply(
            ZoneChange.add("t", "TXT", "60", "\"quote\\\" and \\\\ and \\255\" plain"),
            ZoneChange.add("t", "AAAA", "60", "2001:db8:0:0:1:0:0:1"),
            ZoneChange.add("t", "TYPE65534", "60", "\\# 0"),
            ZoneChange.add("t", "CAA", "60", "0 issue \"ca.example\"")).zone();
        String text = ZoneText.render(z);
        assertTrue(text.contains("t.example.test. 60 IN AAAA 2001:db8::1:0:0:1\n"), text);
        assertTrue(text.startsWith("$ORIGIN example.test.\nexample.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026120402 7200 3600 1209600 300\n"), text);
        Zone back = ZoneFileParser.parse(ORIGIN, text, "rendered");
        assertEquals(text, ZoneText.render(back));
        for (Node n : z.nodes()) {
            Node m = back.node(n.name());
            assertNotNull(m, n.name()::toString);
            for (RRset s : n.rrsets()) {
                assertEquals(Set.copyOf(s.records()), Set.copyOf(m.rrset(s.type()).records()));
                for (int i = 0; i < s.records().size(); i++) {
                    assertEquals(s.records().get(i).ttl(), m.rrset(s.type()).records().get(i).ttl());
                }
            }
        }
        byte[] txt = back.node(DnsName.of("t.example.test")).rrset(RecordType.TXT).records().getFirst().rdata();
        assertArrayEquals(new byte[] {18, 'q', 'u', 'o', 't', 'e', '"', ' ', 'a', 'n', 'd', ' ', '\\', ' ', 'a', 'n', 'd', ' ', (byte) 255,
            5, 'p', 'l', 'a', 'i', 'n'}, txt);
    }

    @Test
    void aPatchOnASignedZoneKeepsItsNsec3Chain() throws Exception {
        String signed = ZONE + """
            @ IN NSEC3PARAM 1 0 0 -
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom IN NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3ton A
            """;
        Zone z = ZoneFileParser.parse(ORIGIN, signed, "s.zone");
        assertEquals(1, z.nsec3Nodes().size());
        Zone patched = ZonePatcher.apply(z, new ZonePatch(List.of(ZoneChange.add("www", "A", null, "198.18.0.9")), null)).zone();
        assertEquals(1, patched.nsec3Nodes().size());
        assertNotNull(patched.nsec3Chain());
        assertSame(z.nsec3Nodes().iterator().next().name(), patched.nsec3Nodes().iterator().next().name());
    }
}
