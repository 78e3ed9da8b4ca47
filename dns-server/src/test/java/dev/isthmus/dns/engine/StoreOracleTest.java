package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneFileParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's per-query answers from the zone store against {@link Resolver}, the object model of RFC 1034
 * §4.3.2 the engine used to precompute its answers with (kept here as the oracle): for every name of the
 * differential zones and of {@link QueryEngineTest}'s zones, names below each, every type they hold and a few
 * more, with and without DO, the flags, RCODE and every section in order must be the same records.
 */
class StoreOracleTest {
    static final Path ZONES = Path.of("src/test/resources/differential");

    @ParameterizedTest(name = "minimal responses {0}")
    @ValueSource(booleans = {true, false})
    void storeAnswersAsTheResolverDoes(boolean minimal) throws Exception {
        Map<DnsName, Zone> zones = new LinkedHashMap<>();
        EngineHarness h = new EngineHarness(minimal);
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test")) {
            Zone zone = ZoneFileParser.load(DnsName.of(z), ZONES.resolve(z + ".zone"));
            zones.put(zone.origin(), zone);
            h.catalog.put(zone);
        }
        int compared = compareAll(h, zones, minimal);
        assertTrue(compared > 3000, "compared " + compared);
    }

    @ParameterizedTest(name = "minimal responses {0}")
    @ValueSource(booleans = {true, false})
    void storeAnswersTheEngineTestZonesAsTheResolverDoes(boolean minimal) throws Exception {
        Map<DnsName, Zone> zones = new LinkedHashMap<>();
        EngineHarness h = new EngineHarness(minimal);
        Zone a = ZoneFileParser.parse(DnsName.of("example.test"), QueryEngineTest.ZONE, "example.test");
        Zone b = ZoneFileParser.parse(DnsName.of("example.net"), QueryEngineTest.NET, "example.net");
        for (Zone z : List.of(a, b)) {
            zones.put(z.origin(), z);
            h.catalog.put(z);
        }
        assertTrue(compareAll(h, zones, minimal) > 500);
    }

    private static int compareAll(EngineHarness h, Map<DnsName, Zone> zones, boolean minimal) {
        Resolver oracle = new Resolver(new ZoneSet(zones), minimal);
        TreeSet<Integer> types = new TreeSet<>(List.of(RecordType.A, RecordType.AAAA, RecordType.ANY, RecordType.RRSIG,
            RecordType.DS, RecordType.NSEC3, RecordType.NSEC, RecordType.CNAME, RecordType.DNAME, RecordType.MX,
            RecordType.TXT, RecordType.NS, RecordType.SOA, RecordType.SRV, RecordType.DNSKEY, 65400));
        List<DnsName> names = new ArrayList<>();
        for (Zone z : zones.values()) {
            for (Node n : z.nodes()) {
                n.rrsets().forEach(s -> types.add(s.type()));
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
        names.add(DnsName.of("outside.invalid"));
        int compared = 0;
        for (DnsName name : names) {
            for (int type : types) {
                for (boolean dnssecOk : new boolean[] {false, true}) {
                    Message got = h.ask(EngineHarness.query(name.toString(), type, true, dnssecOk, 65535),
                        QueryEngine.STREAM);
                    // The engine resolves the lower-cased question name (a DNAME synthesis shows it).
                    byte[] lower = name.canonical();
                    Resolution r = oracle.resolve(DnsName.fromWire(lower, 0, lower.length), type, dnssecOk);
                    String what = name + " " + RecordType.name(type) + (dnssecOk ? " +do" : "");
                    assertEquals(r.rcode, got.rcode(), what + ": rcode");
                    assertEquals(r.authoritative, got.flag(Header.FLAG_AA), what + ": AA");
                    assertEquals(section(r, Resolution.ANSWER), got.answers(), what + ": answer");
                    assertEquals(section(r, Resolution.AUTHORITY), got.authority(), what + ": authority");
                    List<WireRecord> additional = new ArrayList<>(got.additional());
                    additional.removeIf(x -> x.type() == RecordType.OPT);
                    assertEquals(section(r, Resolution.ADDITIONAL), additional, what + ": additional");
                    compared++;
                }
            }
        }
        return compared;
    }

    private static List<WireRecord> section(Resolution r, int section) {
        List<WireRecord> out = new ArrayList<>();
        for (Resolution.Placed p : r.ordered()) {
            if (p.section() != section) {
                continue;
            }
            for (ResourceRecord x : p.records()) {
                out.add(new WireRecord(p.owner(), x.type(), x.rrClass(), x.ttl(), x.rdata()));
            }
            for (ResourceRecord x : p.sigs()) {
                out.add(new WireRecord(p.owner(), x.type(), x.rrClass(), x.ttl(), x.rdata()));
            }
        }
        return out;
    }
}
