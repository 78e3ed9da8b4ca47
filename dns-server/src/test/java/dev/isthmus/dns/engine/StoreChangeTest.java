package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Record-level changes by path copying ({@link StoreChange}) against the zone rebuilt whole from the same records:
 * over random change sequences (fixed seeds) to unsigned, NSEC- and NSEC3-signed zones, both refuse the same
 * changes, hold the same records in the same order and give byte-identical answers, with and without DO.
 */
class StoreChangeTest {
    static final Path ZONES = Path.of("src/test/resources/differential");
    private static final int[] TYPES = {RecordType.A, RecordType.AAAA, RecordType.NS, RecordType.TXT, RecordType.ANY,
        RecordType.DS, RecordType.CNAME, RecordType.SOA, RecordType.DNAME, RecordType.NSEC, RecordType.MX};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.test", "signed.test", "nsec3.test"})
    void randomChangesAnswerAsTheZoneRebuiltWhole(String origin) throws Exception {
        Zone zone = ZoneFileParser.load(DnsName.of(origin), ZONES.resolve(origin + ".zone"));
        EngineHarness fast = new EngineHarness();
        EngineHarness whole = new EngineHarness();
        // The reference answers through the general walk alone: the changed version's precomputed bodies
        // (ApexAnswers, rebuilt with each version) are checked against it too.
        whole.engine.directAnswers = false;
        fast.catalog.put(zone);
        whole.catalog.put(zone);
        Random random = new Random(origin.hashCode() * 31L + 12);
        int applied = 0;
        int refused = 0;
        int wholeZone = 0;
        int chainChanges = 0;
        int compared = 0;
        for (int step = 0; step < 150; step++) {
            StoredZone current = whole.catalog.zones().get(zone.origin());
            List<ResourceRecord> records = current.recordList();
            List<ResourceRecord> deletions = new ArrayList<>();
            List<ResourceRecord> additions = new ArrayList<>();
            randomChange(random, zone.origin(), records, deletions, additions);
            bumpSerial(records, deletions, additions);
            StoredZone rebuilt = rebuild(current, deletions, additions);
            try {
                if (fast.catalog.zones().get(zone.origin()).withChanges(deletions, additions) == null) {
                    wholeZone++; // the change the catalog rebuilds the zone for (names joining or leaving the chain)
                } else if (java.util.stream.Stream.concat(deletions.stream(), additions.stream())
                        .anyMatch(r -> r.type() == RecordType.NSEC3)) {
                    chainChanges++;
                }
            } catch (ZoneParseException refusedHereToo) {
                // checked below through the catalog
            }
            try {
                fast.catalog.apply(origin, deletions, additions);
                assertNotNull(rebuilt, "step " + step + ": applied, but the zone rebuilt whole refuses " + deletions
                    + " " + additions);
                applied++;
            } catch (ZoneParseException e) {
                assertEquals(null, rebuilt, "step " + step + ": refused (" + e.getMessage() + "), but the whole path"
                    + " takes " + deletions + " " + additions);
                assertEquals(current.recordList().toString(),
                    fast.catalog.zones().get(zone.origin()).recordList().toString(), "a refused change changes nothing");
                refused++;
                continue;
            }
            whole.catalog.put(rebuilt);
            StoredZone mine = fast.catalog.zones().get(zone.origin());
            assertEquals(rebuilt.recordList().toString(), mine.recordList().toString(), "step " + step);
            assertEquals(rebuilt.names(), mine.names(), "step " + step + " " + deletions + " " + additions + "\n"
                + rebuilt.recordList() + "\n" + mine.recordList());
            assertEquals(rebuilt.records(), mine.records(), "step " + step + " " + deletions + " " + additions);
            assertEquals(rebuilt.serial(), mine.serial(), "step " + step);
            assertEquals(rebuilt.isSigned(), mine.isSigned(), "step " + step);
            LinkedHashSet<DnsName> asked = new LinkedHashSet<>();
            for (ResourceRecord r : deletions) {
                asked.add(r.owner());
            }
            for (ResourceRecord r : additions) {
                asked.add(r.owner());
            }
            for (int k = 0; k < 6; k++) {
                asked.add(records.get(random.nextInt(records.size())).owner());
            }
            for (DnsName name : asked) {
                for (String q : List.of(name.toString(), "x." + name, "zz.y." + name, parentOf(name, zone.origin()))) {
                    for (int type : TYPES) {
                        for (boolean dnssec : new boolean[] {false, true}) {
                            byte[] query = EngineHarness.query(q, type, true, dnssec, 4096);
                            assertEquals(HexFormat.of().formatHex(whole.raw(query, 1232)),
                                HexFormat.of().formatHex(fast.raw(query, 1232)),
                                "step " + step + ": " + q + " type " + type + " DO " + dnssec + " after " + deletions
                                    + " " + additions);
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(applied > 60 && refused > 5, "applied " + applied + ", refused " + refused);
        // Only an NSEC3 zone has changes the store does not take: a record beside an NSEC3 owner's, a name below it.
        assertTrue(origin.equals("nsec3.test") ? wholeZone < applied / 4 : wholeZone == 0,
            origin + ": " + wholeZone + " of " + applied + " rebuilt whole");
        assertTrue(!origin.equals("nsec3.test") || chainChanges > 10, "NSEC3 chain changes taken: " + chainChanges);
        assertTrue(compared > 10_000, "compared " + compared);
    }

    @Test
    void manyChangesGrowAndCompactTheSegmentAndKeepTheRecords() throws Exception {
        Zone zone = ZoneFileParser.load(DnsName.of("example.test"), ZONES.resolve("example.test.zone"));
        StoredZone first = StoredZone.of(zone);
        StoredZone z = first;
        List<ResourceRecord> expected = new ArrayList<>(first.recordList());
        boolean grew = false;
        boolean compacted = false;
        for (int i = 0; i < 4000; i++) {
            ResourceRecord soa = soaOf(z.apexRecordList());
            ResourceRecord next = withSerial(soa, (z.serial() + 1) & 0xFFFFFFFFL);
            ResourceRecord a = new ResourceRecord(DnsName.of("n" + i + ".bulk.example.test"), RecordType.A, 1, 300,
                new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i});
            List<ResourceRecord> deletions = new ArrayList<>(List.of(soa));
            if (i % 3 == 2) {
                deletions.add(new ResourceRecord(DnsName.of("n" + (i - 1) + ".bulk.example.test"), RecordType.A, 1,
                    300, new byte[] {(byte) 198, 18, (byte) ((i - 1) >> 8), (byte) (i - 1)}));
            }
            StoredZone before = z;
            z = z.withChanges(deletions, List.of(next, a));
            grew |= z.data() != before.data() && z.garbage() > 0;
            compacted |= z.garbage() == 0;
            expected.remove(soa);
            expected.removeAll(deletions);
            expected.add(next);
            expected.add(a);
        }
        assertTrue(grew, "the shared segment was copied into a larger one");
        assertTrue(compacted, "the segment was compacted");
        assertEquals(4000 * 2 / 3 + 1 + first.names() + 1, z.names(), "the new names, bulk.example.test, the old");
        StoredZone rebuilt = StoredZone.of(Zone.of(zone.origin(), expected,
            Collections.nCopies(expected.size(), new ZoneError("t", 1, ""))));
        assertEquals(new java.util.HashSet<>(rebuilt.recordList()), new java.util.HashSet<>(z.recordList()));
        assertEquals(rebuilt.names(), z.names());
        assertEquals(first.serial() + 4000, z.serial());
        EngineHarness h = new EngineHarness();
        h.catalog.put(z);
        assertEquals(dev.isthmus.dns.wire.Rcode.NOERROR, h.ask("n3999.bulk.example.test", RecordType.A).rcode());
        assertEquals(dev.isthmus.dns.wire.Rcode.NXDOMAIN, h.ask("n3997.bulk.example.test", RecordType.A).rcode());
    }

    /**
     * The links from CNAMEs to their targets ({@link StoredZone#cnameTarget}) over 3 000 changes that add and remove
     * names, the CNAMEs' targets among them, point CNAMEs at other names and compact the segment (which numbers the
     * ids anew): in every version a link that leads to a held node leads to the CNAME's target; a CNAME just written,
     * and after a compaction every CNAME, is linked exactly when its target is held at the apex or one label below.
     */
    @Test
    void cnameLinksLeadToTheirTargetsThroughChangesAndCompaction() throws Exception {
        StringBuilder text = new StringBuilder("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 198.18.0.53\n"
            + "www A 198.18.0.80\ndeep.www A 198.18.0.81\n");
        for (int k = 0; k < 10; k++) {
            text.append("c").append(k).append(" CNAME ").append(k % 3 == 0 ? "@" : k % 3 == 1 ? "WWW" : "deep.www")
                .append('\n');
        }
        StoredZone z = ZoneLoader.parse(DnsName.of("lk.test"), text.toString(), "lk.test");
        assertLinks(z, true);
        boolean compacted = false;
        int linkedAfterChange = 0;
        for (int i = 0; i < 3000; i++) {
            ResourceRecord soa = soaOf(z.apexRecordList());
            List<ResourceRecord> deletions = new ArrayList<>(List.of(soa));
            List<ResourceRecord> additions = new ArrayList<>(List.of(withSerial(soa, z.serial() + 1)));
            additions.add(new ResourceRecord(DnsName.of("n" + i + ".lk.test"), RecordType.A, 1, 300,
                new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i}));
            if (i % 3 == 2) {
                deletions.add(new ResourceRecord(DnsName.of("n" + (i - 1) + ".lk.test"), RecordType.A, 1, 300,
                    new byte[] {(byte) 198, 18, (byte) ((i - 1) >> 8), (byte) (i - 1)}));
            }
            DnsName c = i % 7 == 0 ? DnsName.of("c" + (i / 7 % 10) + ".lk.test") : null;
            if (c != null) {
                // c<k> now points at a name just added, one just removed, or one below a name held
                deletions.addAll(z.records(c));
                String to = i % 3 == 0 ? "n" + i : i % 3 == 1 ? "n" + (i - 3) : "x.n" + i;
                additions.add(new ResourceRecord(c, RecordType.CNAME, 1, 300, DnsName.of(to + ".lk.test").wire()));
            }
            StoredZone before = z;
            z = z.withChanges(deletions, additions);
            assertNotNull(z, "change " + i);
            compacted |= z.garbage() == 0 && before.garbage() > 0;
            linkedAfterChange += assertLinks(z, z.garbage() == 0);
            if (c != null) {
                byte[] name = c.canonical();
                int id = z.node(name, 0, name.length, StoredZone.hash(name, 0, name.length));
                assertEquals(i % 3 == 0, z.cnameTarget(id) >= 0, "change " + i + ": " + c + " linked");
            }
        }
        assertTrue(compacted, "the segment was compacted");
        assertTrue(linkedAfterChange > 1000, "links held: " + linkedAfterChange);
    }

    /**
     * Checks {@code z}'s CNAME links: a link to a held node is the CNAME's target; with {@code complete} (a version
     * built whole) each CNAME whose target is held at the apex or one label below is linked.
     *
     * @return the CNAMEs linked
     */
    private static int assertLinks(StoredZone z, boolean complete) {
        int linked = 0;
        for (int[] page : z.order()) {
            for (int id : page) {
                long set = z.rrset(z.nodeRecord(id), RecordType.CNAME);
                if (set < 0) {
                    continue;
                }
                long r = set + StoredZone.SET_HEADER;
                DnsName target = DnsName.fromWire(z.data().asSlice(r + 8, z.u16(r + 6))
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, z.u16(r + 6));
                int link = z.cnameTarget(id);
                if (link >= 0 && z.nodeRecord(link) >= 0) {
                    assertEquals(target, z.owner(z.nodeRecord(link)), "the link of " + z.owner(z.nodeRecord(id)));
                    linked++;
                }
                byte[] c = target.canonical();
                boolean held = z.node(c, 0, c.length, StoredZone.hash(c, 0, c.length)) >= 0;
                if (complete) {
                    assertEquals(held && target.labelCount() <= z.originLabels() + 1, link >= 0,
                        "linked " + z.owner(z.nodeRecord(id)) + " to " + target);
                }
            }
        }
        return linked;
    }

    /**
     * The links from names to their wildcard children ({@link StoredZone#wildcardChild}) and the set of labels with
     * cuts or DNAMEs under them ({@link StoredZone#cutLabels}) over 3 000 changes that add and remove wildcards (some
     * with their parents, as empty non-terminals; some empty non-terminals themselves, above a name), names beside
     * them, CNAMEs at the wildcards' parents (whose word holds the CNAME's link instead), cuts with names
     * below them and DNAMEs, and compact the segment (which numbers the ids anew): in every version each name's link is
     * its wildcard child as found by name (looked up by name at a CNAME's), and each cut's and DNAME's label is in the
     * set; in a version built whole or compacted the set is exactly those labels'.
     */
    @Test
    void wildcardLinksAndCutLabelsHoldThroughChangesAndCompaction() throws Exception {
        StringBuilder text = new StringBuilder("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 198.18.0.53\n"
            + "www A 198.18.0.80\n*.p0 A 198.18.0.1\nx.p1 A 198.18.0.2\nc0 NS ns.elsewhere.invalid.\n"
            + "h.c0 A 198.18.0.3\nd0.q DNAME example.net.\n");
        StoredZone z = ZoneLoader.parse(DnsName.of("wc.test"), text.toString(), "wc.test");
        assertLinksAndCuts(z, true);
        Random random = new Random(41);
        boolean compacted = false;
        int wildcardsLinked = 0;
        for (int i = 0; i < 3000; i++) {
            ResourceRecord soa = soaOf(z.apexRecordList());
            List<ResourceRecord> deletions = new ArrayList<>(List.of(soa));
            List<ResourceRecord> additions = new ArrayList<>(List.of(withSerial(soa, z.serial() + 1)));
            int k = random.nextInt(6);
            DnsName name = switch (i % 6) {
                case 0 -> DnsName.of("*.p" + k + ".wc.test");
                case 1 -> DnsName.of((k % 2 == 0 ? "x.p" : "x.*.p") + k + ".wc.test"); // *.p<k> left empty
                case 2 -> DnsName.of("p" + k + ".wc.test");
                case 3 -> DnsName.of("c" + k + ".wc.test");
                case 4 -> DnsName.of("d" + k + ".q.wc.test");
                default -> DnsName.of("n" + i + ".bulk.wc.test");
            };
            List<ResourceRecord> held = z.records(name);
            if (!held.isEmpty()) {
                deletions.addAll(held);
            } else {
                byte[] a = {(byte) 198, 18, (byte) (i >> 8), (byte) i};
                switch (i % 6) {
                    case 2 -> additions.add(new ResourceRecord(name, RecordType.CNAME, 1, 60,
                        DnsName.of("www.wc.test").wire()));
                    case 3 -> {
                        additions.add(new ResourceRecord(name, RecordType.NS, 1, 60,
                            DnsName.of("ns.elsewhere.invalid").wire()));
                        additions.add(new ResourceRecord(DnsName.of("h." + name), RecordType.A, 1, 60, a));
                    }
                    case 4 -> additions.add(new ResourceRecord(name, RecordType.DNAME, 1, 60,
                        DnsName.of("example.net").wire()));
                    default -> additions.add(new ResourceRecord(name, RecordType.A, 1, 60, a));
                }
            }
            if (i % 6 == 5 && i >= 6) {
                DnsName older = DnsName.of("n" + (i - 6) + ".bulk.wc.test");
                deletions.addAll(z.records(older)); // names come and go: garbage for the compaction
            }
            StoredZone before = z;
            z = z.withChanges(deletions, additions);
            assertNotNull(z, "change " + i);
            compacted |= z.garbage() == 0 && before.garbage() > 0;
            wildcardsLinked += assertLinksAndCuts(z, z.garbage() == 0);
            assertLinks(z, z.garbage() == 0); // the CNAMEs' links share the word
        }
        assertTrue(compacted, "the segment was compacted");
        assertTrue(wildcardsLinked > 3000, "wildcard links held: " + wildcardsLinked);
    }

    /**
     * Checks {@code z}'s wildcard links and cut labels (see above); with {@code exact} (a version built whole) the set
     * of cut labels is exactly that of the cuts and DNAMEs held.
     *
     * @return the names linked to a wildcard child
     */
    private static int assertLinksAndCuts(StoredZone z, boolean exact) {
        int linked = 0;
        long cuts = 0;
        for (int[] page : z.order()) {
            for (int id : page) {
                DnsName name = z.owner(z.nodeRecord(id));
                DnsName wildcard = name.prepend(new byte[] {'*'});
                byte[] c = wildcard.canonical();
                int child = z.node(c, 0, c.length, StoredZone.hash(c, 0, c.length));
                boolean cname = z.has(id, StoredZone.HAS_CNAME);
                assertEquals(cname ? StoredZone.WILDCARD_BY_NAME : child, z.wildcardChild(id), "the link of " + name);
                linked += child >= 0 && !cname ? 1 : 0;
                if ((z.has(id, StoredZone.HAS_NS) || z.has(id, StoredZone.HAS_DNAME)) && id != z.apex()) {
                    byte[] wire = name.suffix(z.originLabels() + 1).wire();
                    byte[] label = java.util.Arrays.copyOf(wire, wire.length - z.originWire().length + 8);
                    assertTrue(z.mayHoldCutUnder(label, 0), "a cut or DNAME at " + name);
                    cuts |= StoredZone.cutLabelBit(java.lang.foreign.MemorySegment.ofArray(name.wire()), 0,
                        z.originLabels());
                }
            }
        }
        if (exact) {
            assertEquals(cuts, z.cutLabels(), "the cut labels of a version built whole");
        }
        return linked;
    }

    @Test
    void aSmallZoneGrowsPastItsShortPagesAndItsOlderVersionsKeepAnswering() throws Exception {
        // A 3-name zone has a short last id page, a one-page name table of 16 slots and a few octets of spare
        // segment: 5 000 names added 250 at a time grow each past a full page (4 096 ids, 2 048 slots).
        StoredZone first = ZoneLoader.parse(DnsName.of("small.test"),
            "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 198.18.0.53\nwww A 198.18.0.80\n", "small.test");
        assertEquals(3, first.names());
        StoredZone z = first;
        List<StoredZone> versions = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            ResourceRecord soa = soaOf(z.apexRecordList());
            List<ResourceRecord> additions = new ArrayList<>(List.of(withSerial(soa, z.serial() + 1)));
            for (int i = batch * 250; i < (batch + 1) * 250; i++) {
                additions.add(new ResourceRecord(DnsName.of("n" + i + ".small.test"), RecordType.A, 1, 300,
                    new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i}));
            }
            z = z.withChanges(List.of(soa), additions);
            assertNotNull(z, "batch " + batch);
            versions.add(z);
        }
        assertEquals(5003, z.names());
        for (int v = 0; v < versions.size(); v++) {
            EngineHarness h = new EngineHarness();
            h.catalog.put(versions.get(v));
            int last = (v + 1) * 250 - 1;
            assertEquals(dev.isthmus.dns.wire.Rcode.NOERROR, h.ask("n" + last + ".small.test", RecordType.A).rcode(),
                "version " + v);
            assertEquals(dev.isthmus.dns.wire.Rcode.NOERROR, h.ask("www.small.test", RecordType.A).rcode());
            assertEquals(dev.isthmus.dns.wire.Rcode.NXDOMAIN, h.ask("n" + (last + 1) + ".small.test",
                RecordType.A).rcode(), "version " + v + " does not see later appends");
        }
        EngineHarness h = new EngineHarness();
        h.catalog.put(first);
        assertEquals(dev.isthmus.dns.wire.Rcode.NXDOMAIN, h.ask("n0.small.test", RecordType.A).rcode());
        assertEquals(dev.isthmus.dns.wire.Rcode.NOERROR, h.ask("www.small.test", RecordType.A).rcode());
    }

    @Test
    void anOlderVersionStillAnswersAfterNewerOnesAppend() throws Exception {
        Zone zone = ZoneFileParser.load(DnsName.of("example.test"), ZONES.resolve("example.test.zone"));
        StoredZone v1 = StoredZone.of(zone);
        String before = v1.recordList().toString();
        ResourceRecord a = new ResourceRecord(DnsName.of("new.example.test"), RecordType.A, 1, 300,
            new byte[] {(byte) 198, 18, 0, 1});
        StoredZone v2 = v1.withChanges(List.of(), List.of(a));
        StoredZone v3 = v1.withChanges(List.of(), List.of(a.withTtl(60)));
        assertEquals(before, v1.recordList().toString(), "v1 untouched by the versions built from it");
        assertEquals(v2.recordList().toString().replace("new.example.test. 300", "new.example.test. 60"),
            v3.recordList().toString(), "two versions from the same base do not write over each other");
        assertTrue(v2.names() == v1.names() + 1);
    }

    // ---- random changes ----

    private static void randomChange(Random random, DnsName origin, List<ResourceRecord> records,
                                     List<ResourceRecord> deletions, List<ResourceRecord> additions) {
        ResourceRecord some = records.get(random.nextInt(records.size()));
        DnsName existing = some.owner();
        String[] labels = {"a", "b", "Mixed", "www", "deep.er", "*", "zz"};
        DnsName fresh = DnsName.of(labels[random.nextInt(labels.length)] + random.nextInt(4) + "." + existing);
        if (random.nextInt(4) == 0) {
            fresh = DnsName.of("n" + random.nextInt(20) + ".sub." + origin);
        }
        ResourceRecord nsec3 = null;
        for (ResourceRecord r : records) {
            if (r.type() == RecordType.NSEC3 && (nsec3 == null || random.nextInt(4) == 0)) {
                nsec3 = r;
            }
        }
        switch (random.nextInt(nsec3 == null ? 14 : 17)) {
            case 0, 1, 2 -> additions.add(a(fresh, random.nextInt(256)));
            case 3 -> additions.add(a(existing, random.nextInt(256)));
            case 4 -> {
                if (some.type() != RecordType.SOA) {
                    deletions.add(some);
                }
            }
            case 5 -> {
                for (ResourceRecord r : records) {
                    if (r.owner().equals(existing) && r.type() != RecordType.SOA) {
                        deletions.add(r); // the name emptied, unless it is the apex
                    }
                }
            }
            case 6 -> additions.add(new ResourceRecord(fresh, RecordType.NS, 1, 3600,
                DnsName.of("ns.example.net").wire()));
            case 7 -> additions.add(new ResourceRecord(random.nextBoolean() ? fresh : existing, RecordType.CNAME, 1,
                300, DnsName.of("www." + origin).wire()));
            case 8 -> additions.add(new ResourceRecord(random.nextBoolean() ? fresh : existing, RecordType.DNAME, 1,
                300, DnsName.of("example.net").wire()));
            case 9 -> additions.add(new ResourceRecord(fresh, RecordType.TXT, 1, 60, new byte[] {2, 'h', 'i'}));
            case 10 -> {
                // DNSSEC data at a name: a copy of an NSEC or RRSIG the zone holds (the bytes are not verified).
                for (ResourceRecord r : records) {
                    if (r.type() == RecordType.NSEC || r.type() == RecordType.RRSIG && r.coveredType() == RecordType.A) {
                        additions.add(new ResourceRecord(random.nextBoolean() ? fresh : existing, r.type(), 1, r.ttl(),
                            r.rdata()));
                        break;
                    }
                }
            }
            case 11 -> {
                for (ResourceRecord r : records) {
                    if ((r.type() == RecordType.RRSIG || r.type() == RecordType.NSEC) && random.nextInt(3) == 0) {
                        deletions.add(r);
                        break;
                    }
                }
            }
            case 12 -> additions.add(a(DnsName.of("out.of.zone.invalid"), 1));
            case 14 -> {
                // An NSEC3 record re-signed: same owner, other bytes (as an IXFR of a re-signed zone carries).
                byte[] rdata = nsec3.rdata().clone();
                rdata[rdata.length - 1] ^= 0x01;
                deletions.add(nsec3);
                additions.add(new ResourceRecord(nsec3.owner(), RecordType.NSEC3, 1, nsec3.ttl(), rdata));
            }
            case 15 -> {
                // A new owner in the chain: a random SHA-1 hash (RFC 5155 §3.3: base32hex of the hash).
                byte[] hash = new byte[20];
                random.nextBytes(hash);
                DnsName owner = DnsName.of(base32Hex(hash) + "." + origin);
                additions.add(new ResourceRecord(owner, RecordType.NSEC3, 1, nsec3.ttl(), nsec3.rdata()));
            }
            case 16 -> {
                for (ResourceRecord r : records) {
                    if (r.owner().equals(nsec3.owner())) {
                        deletions.add(r); // an owner leaves the chain
                    }
                }
            }
            default -> {
                deletions.add(some);
                additions.add(some.withTtl(some.ttl() + 1)); // a TTL change only (RFC 2181 §5: the same record)
            }
        }
    }

    /** Every change bumps the SOA serial, as PATCH and IXFR do. */
    private static void bumpSerial(List<ResourceRecord> records, List<ResourceRecord> deletions,
                                   List<ResourceRecord> additions) {
        ResourceRecord soa = soaOf(records);
        deletions.remove(soa);
        additions.remove(soa);
        deletions.add(soa);
        byte[] r = soa.rdata();
        int p = r.length - 20;
        long serial = ((r[p] & 0xFFL) << 24) | ((r[p + 1] & 0xFFL) << 16) | ((r[p + 2] & 0xFFL) << 8) | (r[p + 3] & 0xFFL);
        additions.add(withSerial(soa, serial + 1));
    }

    private static ResourceRecord soaOf(List<ResourceRecord> records) {
        for (ResourceRecord r : records) {
            if (r.type() == RecordType.SOA) {
                return r;
            }
        }
        throw new AssertionError("no SOA");
    }

    private static ResourceRecord withSerial(ResourceRecord soa, long serial) {
        byte[] r = soa.rdata().clone();
        int p = r.length - 20;
        r[p] = (byte) (serial >>> 24);
        r[p + 1] = (byte) (serial >>> 16);
        r[p + 2] = (byte) (serial >>> 8);
        r[p + 3] = (byte) serial;
        return new ResourceRecord(soa.owner(), RecordType.SOA, soa.rrClass(), soa.ttl(), r);
    }

    /** @return the zone rebuilt whole as ZoneCatalog's whole-zone path does, or null when that path refuses it */
    private static StoredZone rebuild(StoredZone current, List<ResourceRecord> deletions,
                                      List<ResourceRecord> additions) {
        LinkedHashSet<ResourceRecord> kept = new LinkedHashSet<>(current.recordList());
        for (ResourceRecord r : deletions) {
            if (!kept.remove(r)) {
                return null;
            }
        }
        List<ResourceRecord> records = new ArrayList<>(kept);
        records.addAll(additions);
        try {
            return StoredZone.of(Zone.of(current.origin(), records,
                Collections.nCopies(records.size(), new ZoneError("t", 1, ""))));
        } catch (ZoneParseException e) {
            return null;
        }
    }

    private static String base32Hex(byte[] data) {
        String alphabet = "0123456789abcdefghijklmnopqrstuv";
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : data) {
            buffer = (buffer << 8) | (x & 0xFF);
            bits += 8;
            while (bits >= 5) {
                b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return b.toString();
    }

    private static String parentOf(DnsName name, DnsName origin) {
        return name.equals(origin) ? "nothing." + origin : name.parent().toString();
    }

    private static ResourceRecord a(DnsName owner, int last) {
        return new ResourceRecord(owner, RecordType.A, 1, 300, new byte[] {(byte) 198, 18, 1, (byte) last});
    }

}
