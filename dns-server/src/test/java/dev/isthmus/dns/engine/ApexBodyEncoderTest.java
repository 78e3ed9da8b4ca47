package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ApexBodyEncoder}'s bodies are the general path's: for the test zones and for a few thousand generated ones
 * (every apex type with names in RDATA and others beside them; short, long and mixed-case names; SOA names inside
 * the zone one label below the apex, deeper, equal to the apex and outside it, sharing suffixes with it; NS targets
 * with addresses, twice in different case, through a wildcard, below a cut, outside the zone; bodies past
 * {@link ApexAnswers#MAX_BODY}), each zone's bodies are also written by {@link ResponseWriter} from the
 * {@link Assembler}'s walk (as {@link ApexAnswers} was built before the encoder), and the two must be equal octet for
 * octet, with the same record counts, pointers to move and near labels.
 */
class ApexBodyEncoderTest {
    @Test
    void testZonesBodiesAreTheGeneralWritersBytes() throws Exception {
        List<Zone> zones = new ArrayList<>();
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test")) {
            zones.add(ZoneFileParser.load(DnsName.of(z), StoreOracleTest.ZONES.resolve(z + ".zone")));
        }
        zones.add(ZoneFileParser.parse(DnsName.of("engine.test"), QueryEngineTest.ZONE.replace("example.test",
            "engine.test"), "engine.test"));
        for (Zone zone : zones) {
            assertSame(StoredZone.of(zone), zone.origin().toString());
        }
    }

    @Test
    void generatedZonesBodiesAreTheGeneralWritersBytes() throws Exception {
        Random random = new Random(12);
        int bodies = 0;
        int withPointers = 0;
        int dropped = 0;
        int near = 0;
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            String origin = origin(random, i);
            String text = zoneText(random, origin);
            StoredZone zone;
            try {
                zone = StoredZone.of(ZoneFileParser.parse(DnsName.of(origin), text, origin));
            } catch (ZoneParseException e) {
                assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
                continue; // long words stacked past a name's length
            }
            parsed++;
            ApexAnswers got = assertSame(zone, text);
            bodies += got.types().length;
            for (int b = 0; b < got.types().length; b++) {
                withPointers += got.pointers(b).length > 0 ? 1 : 0;
            }
            near += got.nearLabels().length > 0 ? 1 : 0;
            dropped += got.types().length < 2 + apexNameTypes(text) ? 1 : 0;
        }
        // The comparison covers what it claims: bodies of every kind, some left out as too long, near labels.
        assertTrue(parsed > 2500, "zones " + parsed);
        assertTrue(bodies > 8000, "bodies " + bodies);
        assertTrue(withPointers > 6000, "bodies with pointers " + withPointers);
        assertTrue(dropped > 50, "zones with a body too long " + dropped);
        assertTrue(near > 500, "zones with near labels " + near);
    }

    /** A rough count of the apex types with names in RDATA besides the SOA (for the "too long" count only). */
    private static int apexNameTypes(String text) {
        int n = 0;
        for (String t : List.of("@ NS ", "@ MX ", "@ PTR ")) {
            n += text.contains(t) ? 1 : 0;
        }
        return n;
    }

    private static ApexAnswers assertSame(StoredZone zone, String what) {
        ApexAnswers expected = general(zone);
        ApexAnswers got = zone.apexAnswers();
        assertArrayEquals(expected.types(), got.types(), () -> "types of " + what);
        for (int b = 0; b < got.types().length; b++) {
            int body = b;
            String which = "body " + got.types()[b] + " of\n" + what;
            assertArrayEquals(expected.bodyBytes(b), got.bodyBytes(b), () -> which + "\n general "
                + java.util.HexFormat.of().formatHex(expected.bodyBytes(body)) + "\n encoder "
                + java.util.HexFormat.of().formatHex(got.bodyBytes(body)));
            assertArrayEquals(expected.pointers(b), got.pointers(b), () -> "pointers of " + which);
            assertEquals(expected.answers(b), got.answers(b), which);
            assertEquals(expected.authorities(b), got.authorities(b), which);
            assertEquals(expected.additionals(b), got.additionals(b), which);
        }
        assertArrayEquals(expected.nearLabels(), got.nearLabels(), () -> "near labels of " + what);
        assertEquals(expected, got, what);
        return got;
    }

    private static final String[] WORDS = {"a", "ns", "ns1", "NS1", "mx", "www", "hostmaster", "Host", "b",
        "x".repeat(63), "mail", "test", "w"};

    private static String origin(Random random, int i) {
        StringBuilder b = new StringBuilder();
        int labels = random.nextInt(4);
        for (int l = 0; l < labels; l++) {
            String w = WORDS[random.nextInt(WORDS.length)];
            b.append(l == 0 ? "z" + i + w.substring(Math.min(w.length(), 6)) : w).append('.');
        }
        return b.append(random.nextBoolean() ? "test" : "Example.ORG").toString();
    }

    /** A name for RDATA: one label below the apex, deeper, the apex, or outside the zone (absolute). */
    private static String name(Random random, String origin) {
        String w = WORDS[random.nextInt(WORDS.length)];
        return switch (random.nextInt(8)) {
            case 0 -> "@";
            case 1 -> w + "." + WORDS[random.nextInt(WORDS.length)];
            case 2 -> w + ".other.invalid.";
            case 3 -> w + "." + origin.substring(origin.indexOf('.') + 1) + ".";
            case 4 -> w.toUpperCase() + "." + origin.toUpperCase() + ".";
            case 5 -> "x.w";
            default -> w;
        };
    }

    private static String zoneText(Random random, String origin) {
        StringBuilder z = new StringBuilder("$ORIGIN " + origin + ".\n$TTL " + (60 + random.nextInt(7200)) + "\n");
        z.append("@ ").append(random.nextInt(4000)).append(" SOA ").append(name(random, origin)).append(' ')
            .append(name(random, origin)).append(" 1 7200 3600 1209600 ").append(random.nextInt(4000)).append('\n');
        int ns = random.nextInt(10) == 0 ? 40 + random.nextInt(80) : 1 + random.nextInt(4);
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < ns; i++) {
            String target = i >= 5 ? "ns" + i + "." + "y".repeat(random.nextInt(40)) : name(random, origin);
            z.append("@ NS ").append(target).append('\n');
            owners.add(target);
        }
        if (random.nextBoolean()) {
            z.append("@ NS ").append(owners.get(0).toUpperCase()).append('\n');
        }
        if (random.nextBoolean()) {
            for (int i = random.nextInt(3); i >= 0; i--) {
                String target = name(random, origin);
                z.append("@ MX ").append(random.nextInt(50)).append(' ').append(target).append('\n');
                owners.add(target);
            }
        }
        if (random.nextInt(4) == 0) {
            z.append("@ PTR ").append(name(random, origin)).append('\n');
        }
        if (random.nextBoolean()) {
            z.append("@ TXT \"apex\"\n@ A 192.0.2.1\n");
        }
        // Addresses for some of the names (relative ones are in the zone); a wildcard, a cut with glue below it.
        for (String owner : owners) {
            if (!owner.endsWith(".") && !owner.equals("@") && random.nextInt(4) > 0) {
                z.append(owner).append(' ').append(random.nextInt(4000)).append(" A 192.0.2.")
                    .append(random.nextInt(250)).append('\n');
                if (random.nextBoolean()) {
                    z.append(owner).append(" A 198.51.100.").append(random.nextInt(250)).append('\n');
                }
                if (random.nextBoolean()) {
                    z.append(owner).append(" AAAA 2001:db8::").append(random.nextInt(250)).append('\n');
                }
            }
        }
        if (random.nextBoolean()) {
            z.append("*.w A 192.0.2.99\n*.w AAAA 2001:db8::99\n");
        }
        if (random.nextInt(4) == 0) {
            z.append("b NS ns.b\nns.b A 192.0.2.77\n");
        }
        return z.toString();
    }

    // ---- the general path, as ApexAnswers was built before ApexBodyEncoder ----

    private static final int MAX_POINTERS = ApexAnswers.MAX_POINTERS;

    private static ApexAnswers general(StoredZone zone) {
        int apex = zone.apex();
        if (apex < 0) {
            return ApexAnswers.NONE;
        }
        long record = zone.nodeRecord(apex);
        if (zone.rrset(record, RecordType.SOA) < 0 || zone.rrset(record, RecordType.CNAME) >= 0) {
            return ApexAnswers.NONE;
        }
        General g = new General(zone);
        g.add(zone, ApexAnswers.NEGATIVE);
        long set = zone.firstSet(record);
        for (int i = 0, n = zone.setCount(record); i < n; i++, set = zone.nextSet(set)) {
            int type = zone.setType(set);
            if (ResponseWriter.compressible(type) && type != RecordType.CNAME) {
                g.add(zone, type);
            }
        }
        return ApexAnswers.pack(g.count, zone.originWire().length, g.types, g.bytes, g.starts, g.counts, g.pointerAt,
            g.pointersFrom, g.near, g.near.length);
    }

    private static final class General {
        private final byte[] template = new byte[Header.LENGTH + 255 + 4 + 4 * ApexAnswers.MAX_BODY];
        private final MemorySegment segment = MemorySegment.ofArray(template);
        private final ResponseWriter writer = new ResponseWriter();
        private final int[] labelStarts = new int[128];
        private final int labelCount;
        private final int questionEnd;
        private final int originLabels;
        private byte[] bytes = new byte[0];
        private int count;
        private int[] types = new int[8];
        private int[] starts = new int[9];
        private int[] counts = new int[24];
        private int[] pointersFrom = new int[9];
        private int[] pointerAt = new int[0];
        private byte[] near = new byte[0];

        General(StoredZone zone) {
            byte[] origin = zone.originWire();
            System.arraycopy(origin, 0, template, Header.LENGTH, origin.length);
            labelCount = Names.labelStarts(origin, 0, labelStarts);
            labelStarts[labelCount] = origin.length - 1;
            originLabels = zone.originLabels();
            questionEnd = Header.LENGTH + origin.length + 4;
        }

        void add(StoredZone zone, int qtype) {
            Assembler a = Assembler.apexTemplate(zone, qtype);
            final ResponseWriter w = writer;
            long end;
            try {
                end = w.write(a, segment, 0, questionEnd, labelStarts, labelCount, template.length);
            } finally {
                a.release();
            }
            int length = (int) end - questionEnd;
            int[] sites = pointerSites(template, questionEnd, (int) end, w.answers + w.authorities + w.additionals);
            if (w.omitted || w.truncated || length > ApexAnswers.MAX_BODY || sites.length > MAX_POINTERS
                || a.placed == 0) {
                return;
            }
            int used = bytes.length;
            bytes = Arrays.copyOf(bytes, used + length);
            System.arraycopy(template, questionEnd, bytes, used, length);
            types[count] = qtype;
            starts[count] = used;
            counts[3 * count] = w.answers;
            counts[3 * count + 1] = w.authorities;
            counts[3 * count + 2] = w.additionals;
            pointersFrom[count] = pointerAt.length;
            final int apexStart = Header.LENGTH;
            final int apexLength = questionEnd - 4 - apexStart;
            for (int site : sites) {
                int target = ((template[site] & 0x3F) << 8) | (template[site + 1] & 0xFF);
                int relative = target < questionEnd ? target - apexStart : target - questionEnd + apexLength;
                pointerAt = Arrays.copyOf(pointerAt, pointerAt.length + 2);
                pointerAt[pointerAt.length - 2] = site - questionEnd;
                pointerAt[pointerAt.length - 1] = relative;
            }
            count++;
            starts[count] = bytes.length;
            pointersFrom[count] = pointerAt.length;
            if (qtype == ApexAnswers.NEGATIVE) {
                NameCompression table = w.compression();
                for (int i = 0; i < table.count(); i++) {
                    int at = table.at(i);
                    if (at >= questionEnd && table.labels(i) == originLabels + 1) {
                        int len = template[at] & 0xFF;
                        int n = near.length;
                        near = Arrays.copyOf(near, n + 1 + len);
                        near[n] = (byte) len;
                        for (int k = 1; k <= len; k++) {
                            near[n + k] = StoredZone.LOWER[template[at + k] & 0xFF];
                        }
                    }
                }
            }
        }

        /**
         * The message offsets of the compression pointers (RFC 1035 §4.1.4) in the {@code records} resource records
         * at {@code message[from, to)}: in each owner name and in the names of the RDATA this writer compresses
         * (NS, PTR and CNAME: one name; MX: after the preference; SOA: MNAME and RNAME, RFC 1035 §3.3).
         */
        private static int[] pointerSites(byte[] message, int from, int to, int records) {
            List<Integer> sites = new ArrayList<>();
            int at = from;
            for (int r = 0; r < records; r++) {
                at = skipName(message, at, sites);
                int type = ((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF);
                int rdlength = ((message[at + 8] & 0xFF) << 8) | (message[at + 9] & 0xFF);
                int rdata = at + 10;
                if (type == RecordType.NS || type == RecordType.PTR || type == RecordType.CNAME) {
                    skipName(message, rdata, sites);
                } else if (type == RecordType.MX) {
                    skipName(message, rdata + 2, sites);
                } else if (type == RecordType.SOA) {
                    skipName(message, skipName(message, rdata, sites), sites);
                }
                at = rdata + rdlength;
            }
            assertEquals(to, at, "the records end where the writer stopped");
            return sites.stream().mapToInt(Integer::intValue).toArray();
        }

        /** @return the offset after the name at {@code message[at]}, its pointer's offset (if it ends in one) added */
        private static int skipName(byte[] message, int at, List<Integer> sites) {
            while (true) {
                int length = message[at] & 0xFF;
                if (length == 0) {
                    return at + 1;
                }
                if ((length & 0xC0) == 0xC0) {
                    sites.add(at);
                    return at + 2;
                }
                at += 1 + length;
            }
        }
    }
}
