package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming loader ({@link StoreBuilder}) against the parser and validator ({@link StoredZone#of}): for every
 * zone they both load, the two stores are equal field by field (record segment byte for byte, node columns, name
 * table, NSEC3 arrays), so every answer is the same; for every zone the parser rejects, the fast path declines and
 * {@link ZoneLoader} reports the parser's errors.
 */
class ZoneLoaderTest {

    /** Builds both ways; asserts the fast path took the zone and built the same store. */
    private static void same(String origin, String text) throws ZoneParseException {
        DnsName o = DnsName.of(origin);
        StoredZone slow = StoredZone.of(ZoneFileParser.parse(o, text, origin));
        StoredZone fast = ZoneLoader.fast(o, text);
        assertNotNull(fast, "the fast path declined " + origin);
        assertSameStore(slow, fast, origin);
    }

    static void assertSameStore(StoredZone expected, StoredZone actual, String what) {
        try {
            for (Field f : StoredZone.class.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object a = f.get(expected);
                Object b = f.get(actual);
                String where = what + ": field " + f.getName();
                switch (a) {
                    // The segment is the heap's: its octets in use are compared there (the spare room after them
                    // differs with how closely each builder sized it).
                    case MemorySegment s -> { }
                    case StoredZone.Heap h -> {
                        StoredZone.Heap other = (StoredZone.Heap) b;
                        assertEquals(h.end(), other.end(), where + " end");
                        assertArrayEquals(h.segment.asSlice(0, h.end()).toArray(ValueLayout.JAVA_BYTE),
                            other.segment.asSlice(0, other.end()).toArray(ValueLayout.JAVA_BYTE), where);
                    }
                    case StoredZone.Chain c -> {
                        StoredZone.Chain other = (StoredZone.Chain) b;
                        assertEquals(c.present(), other.present(), where + " present");
                        assertEquals(c.iterations(), other.iterations(), where + " iterations");
                        assertArrayEquals(c.salt(), other.salt(), where + " salt");
                        assertArrayEquals(c.hashes(), other.hashes(), where + " hashes");
                        assertArrayEquals(c.at(), other.at(), where + " at");
                    }
                    case Object[] x -> assertArrayEquals(x, (Object[]) b, where); // pages: compared deeply
                    case long[] x -> assertArrayEquals(x, (long[]) b, where);
                    case int[] x -> assertArrayEquals(x, (int[]) b, where);
                    case byte[] x -> assertArrayEquals(x, (byte[]) b, where);
                    case null -> assertNull(b, where);
                    default -> assertEquals(a, b, where);
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static String resource(String path) throws IOException {
        return Files.readString(Path.of("src/test/resources", path), StandardCharsets.UTF_8);
    }

    @Test
    void engineTestZones() throws ZoneParseException {
        same("example.test", QueryEngineTest.ZONE);
        same("example.net", QueryEngineTest.NET);
    }

    @Test
    void differentialZonesSignedWithNsecAndNsec3() throws Exception {
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test", "optout.test")) {
            same(z, resource("differential/" + z + ".zone"));
        }
        same("example.test", Files.readString(Path.of("src/main/resources/zones/example.test.zone")));
    }

    @Test
    void fileLoadTakesTheFastPathAndIncludeFallsBack(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("z.zone");
        Files.writeString(file, "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 198.18.0.1\n$INCLUDE part.zone\n");
        Files.writeString(dir.resolve("part.zone"), "www A 198.18.0.2\n");
        DnsName o = DnsName.of("inc.test");
        assertSameStore(StoredZone.of(ZoneFileParser.load(o, file)), ZoneLoader.load(o, file), "$INCLUDE");
        String text = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n$GENERATE 1-20 h$ A 198.18.0.$\n";
        assertSameStore(StoredZone.of(ZoneFileParser.parse(o, text, "g")), ZoneLoader.parse(o, text, "g"),
            "$GENERATE");
    }

    @Test
    void formsOfTheMasterFile() throws ZoneParseException {
        same("forms.test", """
            $ORIGIN forms.test.
            @ 3600 IN SOA ( ns1 hostmaster ; comment
                2026120401 1h 15m 1w 300 )
            @ IN 3600 NS ns1
            @ NS ns2.elsewhere.example.
            ns1 A 198.18.0.1
            ns1 AAAA 2001:db8::1
            ns1 A 198.18.0.1
            v6 AAAA ::
               AAAA ::1
               AAAA 1::
               AAAA 2001:DB8:0:0:1:0:0:1
               AAAA 1:2:3:4:5:6:7::
               AAAA ::ffff:198.18.0.1
               AAAA ::ffff:c612:1
               AAAA 2001:db8::198.18.0.9
            a.b.c.d A 198.18.0.2
            c.d 7200 A 198.18.0.3
            x 60 TXT "hello world" "semi;colon" "quote\\"inside" plain
            x MX 10 mail
            x MX 10 mail
            esc\\.dot A 198.18.0.4
            \\065bc A 198.18.0.5
            *.wild CNAME target
            sub NS ns.sub
            ns.sub A 198.18.0.6
            dn DNAME elsewhere.example.
            $ORIGIN other.forms.test.
            rel A 198.18.0.7
            @ TXT "at other"
            $TTL 99
            t PTR host.example.
            t SRV 1 2 3 target
            t CAA 0 issue "ca.example"
            t TYPE65534 \\# 3 010203
            t HINFO cpu os
            """);
    }

    @Test
    void fuzzInputsLoadTheSameEitherWay() throws Exception {
        try (var files = Files.list(Path.of(
                "src/test/resources/dev/isthmus/dns/fuzz/ZoneFuzzTestInputs/zoneTextLoadsOrReportsErrors"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                for (String t : List.of(text, "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n" + text)) {
                    DnsName o = DnsName.of("example.test");
                    StoredZone slow;
                    try {
                        slow = StoredZone.of(ZoneFileParser.parse(o, t, "z"));
                    } catch (ZoneParseException e) {
                        assertNull(ZoneLoader.fast(o, t), f.toString());
                        continue;
                    }
                    StoredZone fast = ZoneLoader.fast(o, t);
                    if (fast != null) {
                        assertSameStore(slow, fast, f.toString());
                    }
                }
            }
        }
    }

    @Test
    void aLargeSetWithDuplicates() throws ZoneParseException {
        StringBuilder sb = new StringBuilder("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("many TXT \"r").append(i % 1000).append("\"\n"); // each record three times
        }
        same("large.test", sb.toString());
    }

    @Test
    void zonesTheParserRejectsAreDeclinedAndReportedAsBefore() {
        String head = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n";
        for (String bad : List.of(
            "",
            "$TTL 60\n@ NS ns\n",
            "$TTL 60\n@ SOA ns h 1 2 3 4 5\n",
            head + "@ SOA ns h 1 2 3 4 5\n",
            head + "www.example.net. A 198.18.0.1\n",
            head + "c CNAME a\nc A 198.18.0.1\n",
            head + "c A 198.18.0.1\nc CNAME a\n",
            head + "c CNAME a\nc CNAME b\n",
            head + "d DNAME x.example.\nd DNAME y.example.\n",
            head + "d DNAME x.example.\nx.d A 198.18.0.1\n",
            head + "a A 198.18.0.256\n",
            head + "a AAAA 1:2\n",
            head + "a BOGUS x\n",
            head + "a CH A 198.18.0.1\n",
            head + "a..b A 198.18.0.1\n",
            head + "a A 198.18.0.1 (\n",
            head + "a A 198.18.0.1 )\n",
            head + "a TXT \"open\n",
            head + "sub SOA ns h 1 2 3 4 5\n",
            "@ SOA ns h 1 2 3 4 5\n@ NS ns\nx A 198.18.0.1\n")) {
            DnsName o = DnsName.of("bad.test");
            assertNull(ZoneLoader.fast(o, bad), bad);
            ZoneParseException slow = assertThrows(ZoneParseException.class, () -> ZoneFileParser.parse(o, bad, "z"));
            ZoneParseException viaLoader = assertThrows(ZoneParseException.class, () -> ZoneLoader.parse(o, bad, "z"));
            assertEquals(slow.getMessage(), viaLoader.getMessage());
        }
    }

    @Test
    void aNameInTwoCasesTakesTheSlowPathAndStillMatches() throws ZoneParseException {
        DnsName o = DnsName.of("case.test");
        String text = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nx.Sub A 198.18.0.1\nsub A 198.18.0.2\n";
        assertNull(ZoneLoader.fast(o, text));
        assertSameStore(StoredZone.of(ZoneFileParser.parse(o, text, "z")), ZoneLoader.parse(o, text, "z"), "case");
    }

    /** The store and the text kept for a configured zone come from one read of its file, whichever path loads it. */
    @Test
    void loadWithTextKeepsTheTextItBuiltFrom(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        DnsName o = DnsName.of("inc.test");
        Path plain = dir.resolve("plain.zone");
        String plainText = "$TTL 60\n@ SOA ns h 1 2 3 4 5 ; naïve\n@ NS ns\nns A 198.18.0.1\n";
        Files.writeString(plain, plainText);
        ZoneLoader.FileZone fast = ZoneLoader.loadWithText(o, plain);
        assertEquals(plainText, fast.text());
        assertSameStore(ZoneLoader.load(o, plain), fast.store(), "fast path");

        Path including = dir.resolve("z.zone");
        String includingText = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 198.18.0.1\n$INCLUDE part.zone\n";
        Files.writeString(including, includingText);
        Files.writeString(dir.resolve("part.zone"), "www A 198.18.0.2\n");
        ZoneLoader.FileZone slow = ZoneLoader.loadWithText(o, including);
        assertEquals(includingText, slow.text());
        assertSameStore(StoredZone.of(ZoneFileParser.load(o, including)), slow.store(), "$INCLUDE");

        Path bad = dir.resolve("bad-utf8.zone");
        Files.write(bad, "$TTL 60\n@ SOA ns h 1 2 3 4 5 ; \u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        ZoneParseException e = assertThrows(ZoneParseException.class, () -> ZoneLoader.loadWithText(o, bad));
        assertEquals(assertThrows(ZoneParseException.class, () -> ZoneLoader.load(o, bad)).getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void nonAsciiInCommentsTakesTheFastPathElsewhereTheParser(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        same("utf.test", "; zone — with a dash\n$TTL 60\n@ SOA ns h 1 2 3 4 5 ; naïve\n@ NS ns\n");
        DnsName o = DnsName.of("utf.test");
        String latin = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nt TXT \"café\"\n";
        assertNull(ZoneLoader.fast(o, latin));
        assertSameStore(StoredZone.of(ZoneFileParser.parse(o, latin, "z")), ZoneLoader.parse(o, latin, "z"), "TXT");
        Path file = dir.resolve("bad-utf8.zone");
        byte[] text = "$TTL 60\n@ SOA ns h 1 2 3 4 5 ; \u00ff\n@ NS ns\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, text); // 0xFF alone: not UTF-8
        ZoneParseException slow = assertThrows(ZoneParseException.class, () -> ZoneFileParser.load(o, file));
        ZoneParseException viaLoader = assertThrows(ZoneParseException.class, () -> ZoneLoader.load(o, file));
        assertEquals(slow.getMessage(), viaLoader.getMessage());
    }

    /** Random zones over a small vocabulary: names deep and shallow, repeated, in any order, with duplicates. */
    @Test
    void randomZones() throws ZoneParseException {
        Random random = new Random(12);
        String[] labels = {"a", "b", "www", "mail", "x-1", "zz", "*", "_tcp", "0", "long-label-here"};
        String[] records = {"A 198.18.0.%d", "AAAA 2001:db8::%d", "MX %d mail", "TXT \"t%d\"", "NS ns%d",
            "SRV 1 2 %d www", "A 198.18.1.%d", "PTR p%d.example."};
        for (int zone = 0; zone < 200; zone++) {
            StringBuilder sb = new StringBuilder("$TTL 300\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n");
            int n = 1 + random.nextInt(60);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder name = new StringBuilder();
                for (int d = random.nextInt(4); d >= 0; d--) {
                    name.append(labels[random.nextInt(labels.length)]).append('.');
                }
                name.setLength(name.length() - 1);
                if (name.toString().startsWith("*.") || name.toString().contains(".*")) {
                    continue; // a wildcard only as the first label
                }
                String rr = records[random.nextInt(records.length)].formatted(random.nextInt(4));
                lines.add((random.nextBoolean() ? name : name + ".random.test.") + " "
                    + (random.nextInt(3) == 0 ? random.nextInt(1000) + " " : "") + rr);
            }
            for (String l : lines) {
                sb.append(l).append('\n');
            }
            String text = sb.toString();
            DnsName o = DnsName.of("random.test");
            StoredZone slow;
            try {
                slow = StoredZone.of(ZoneFileParser.parse(o, text, "z"));
            } catch (ZoneParseException e) {
                assertNull(ZoneLoader.fast(o, text), text); // NS beside a CNAME-free name is fine; others fail
                continue;
            }
            StoredZone fast = ZoneLoader.fast(o, text);
            assertNotNull(fast, text);
            assertSameStore(slow, fast, text);
        }
    }

    @Test
    void manyZonesLoadOnSeveralThreadsInOrderAndTheFirstBadOneInOrderIsReported(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<ZoneLoader.Source> sources = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Path file = dir.resolve("z" + i + ".zone");
            Files.writeString(file, "$TTL 60\n@ SOA ns h " + i + " 2 3 4 5\n@ NS ns\nns A 198.18.0.1\nwww A 198.18.1."
                + (i % 250) + "\n");
            sources.add(new ZoneLoader.Source(DnsName.of("z" + i + ".test"), file));
        }
        List<StoredZone> zones = ZoneLoader.loadAll(sources, 3);
        assertEquals(300, zones.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(DnsName.of("z" + i + ".test"), zones.get(i).origin());
            assertEquals(i, zones.get(i).serial());
            assertSameStore(ZoneLoader.load(sources.get(i).origin(), sources.get(i).file()), zones.get(i), "z" + i);
        }
        Files.writeString(dir.resolve("z200.zone"), "@ SOA ns h 1 2 3 4 5\nwww A not-an-address\n");
        Files.writeString(dir.resolve("z100.zone"), "@ SOA ns h 1 2 3 4 5\nwww CNAME a\nwww A 198.18.0.1\n");
        ZoneParseException e = assertThrows(ZoneParseException.class, () -> ZoneLoader.loadAll(sources, 3));
        assertEquals(expectedError(sources.get(100)), e.getMessage());
    }

    @Test
    void zonesSharingASlabChangeWithoutTouchingTheirNeighbours(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        List<ZoneLoader.Source> sources = new ArrayList<>();
        for (int i = 0; i < 400; i++) { // a few hundred octets each: several zones to a slab, more than one slab
            Path file = dir.resolve("z" + i + ".zone");
            Files.writeString(file, "$TTL 60\n@ SOA ns h " + i + " 2 3 4 5\n@ NS ns\nns A 198.18.0.1\nwww A 198.18.1."
                + (i % 250) + "\n");
            sources.add(new ZoneLoader.Source(DnsName.of("z" + i + ".test"), file));
        }
        List<StoredZone> zones = ZoneLoader.loadAll(sources, 2);
        List<String> before = new ArrayList<>();
        for (StoredZone z : zones) {
            before.add(z.recordList().toString());
            assertEquals(0, z.heap().segment.byteSize() - z.heap().end() >>> 3, "no spare room kept in a slab");
        }
        List<StoredZone> changed = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            StoredZone z = zones.get(i);
            var a = new dev.isthmus.dns.zone.ResourceRecord(DnsName.of("new.z" + i + ".test"),
                dev.isthmus.dns.wire.RecordType.A, 1, 300, new byte[] {(byte) 198, 18, 2, (byte) i});
            var www = z.records(DnsName.of("www.z" + i + ".test"));
            StoredZone next = z.withChanges(www, List.of(a));
            assertNotNull(next);
            assertEquals(List.of(a), next.records(DnsName.of("new.z" + i + ".test")));
            assertEquals(List.of(), next.records(DnsName.of("www.z" + i + ".test")));
            changed.add(next);
            // the change went to a segment of its own: every zone, this one's base included, reads as loaded
            for (int k = Math.max(0, i - 3); k < Math.min(zones.size(), i + 4); k++) {
                assertEquals(before.get(k), zones.get(k).recordList().toString(), "z" + k + " after z" + i);
            }
        }
        for (int i = 0; i < zones.size(); i++) {
            assertEquals(before.get(i), zones.get(i).recordList().toString(), "z" + i);
            assertEquals(zones.get(i).records(), changed.get(i).records(), "z" + i + ": one record for another");
        }
    }

    private static String expectedError(ZoneLoader.Source source) {
        return assertThrows(ZoneParseException.class, () -> ZoneLoader.load(source.origin(), source.file()))
            .getMessage();
    }
}
