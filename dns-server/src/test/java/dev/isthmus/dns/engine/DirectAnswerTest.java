package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneFileParser;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link QueryEngine}'s direct answers (the common positive answer written without the general walk) are the bytes
 * the general path writes: every name of the differential zones and of {@link QueryEngineTest}'s zones (and names
 * below them), every type they hold and a few more, with and without EDNS and DO, at 512 octets, at EDNS sizes and
 * over a stream, in mixed case, answered by two engines over the same catalog, one with direct answers off. The
 * direct path includes the zones' precomputed bodies ({@link ApexAnswers}: apex answers with names to compress,
 * NODATA and NXDOMAIN).
 */
class DirectAnswerTest {
    @Test
    void directAnswersAreTheGeneralPathsBytes() throws Exception {
        directAnswersAreTheGeneralPathsBytes(true);
    }

    /** The same with full responses: the negative answers and referrals are direct (positive answers are not). */
    @Test
    void fullResponsesDirectAnswersAreTheGeneralPathsBytes() throws Exception {
        directAnswersAreTheGeneralPathsBytes(false);
    }

    private static void directAnswersAreTheGeneralPathsBytes(boolean minimal) throws Exception {
        EngineHarness direct = new EngineHarness(minimal);
        EngineHarness general = new EngineHarness(minimal);
        general.engine.directAnswers = false;
        List<Zone> zones = new ArrayList<>();
        for (String z : List.of("example.test", "example.net", "signed.test", "nsec3.test")) {
            zones.add(ZoneFileParser.load(DnsName.of(z), StoreOracleTest.ZONES.resolve(z + ".zone")));
        }
        zones.add(ZoneFileParser.parse(DnsName.of("engine.test"), QueryEngineTest.ZONE.replace("example.test",
            "engine.test"), "engine.test"));
        for (Zone zone : zones) {
            direct.catalog.put(zone);
            general.catalog.put(zone);
        }
        TreeSet<Integer> types = new TreeSet<>(List.of(RecordType.A, RecordType.AAAA, RecordType.ANY, RecordType.RRSIG,
            RecordType.DS, RecordType.NSEC3, RecordType.NSEC, RecordType.CNAME, RecordType.DNAME, RecordType.MX,
            RecordType.TXT, RecordType.NS, RecordType.SOA, RecordType.SRV, RecordType.DNSKEY, 65400));
        List<String> names = new ArrayList<>();
        for (Zone z : zones) {
            for (Node n : z.nodes()) {
                n.rrsets().forEach(s -> types.add(s.type()));
                names.add(n.name().toString());
                names.add("nosuch." + n.name());
            }
        }
        Random random = new Random(7);
        int compared = 0;
        for (String name : names) {
            String mixed = mixedCase(name, random);
            for (int type : types) {
                for (int variant = 0; variant < 5; variant++) {
                    boolean edns = variant > 0;
                    boolean dnssecOk = variant == 2 || variant == 4;
                    int payload = variant == 3 ? 512 : 1232;
                    int transport = variant == 4 ? QueryEngine.STREAM : 1232;
                    byte[] query = EngineHarness.query(mixed, type, edns, dnssecOk, payload);
                    byte[] expected = general.raw(query, transport);
                    byte[] got = direct.raw(query, transport);
                    String what = mixed + " " + RecordType.name(type) + " variant " + variant;
                    assertArrayEquals(expected, got, () -> what + "\n general " + hex(expected) + "\n direct  "
                        + hex(got));
                    compared++;
                }
            }
        }
        assertTrue(compared > 10_000, "compared " + compared);
        // The comparison means something only if the direct path answered a good share of it.
        assertTrue(direct.engine.directAnswered > 150, "direct answers: " + direct.engine.directAnswered);
        assertTrue(general.engine.directAnswered == 0, "the general engine answered directly");
    }

    /**
     * The precomputed bodies ({@link ApexAnswers}) through versions of a zone that move what they depend on: a SOA
     * whose MNAME and RNAME are names one label below the apex that do not exist (a question for one of them would be
     * compressed differently), then exist; a wildcard at the apex (NXDOMAIN below it no longer is), apex NS and MX
     * targets inside and outside the zone, a DNAME at the apex; names deeper down, under such names and under a cut.
     */
    @Test
    void precomputedBodiesFollowEachVersionOfTheZone() throws Exception {
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        String head = "$ORIGIN near.test.\n$TTL 3600\n";
        List<String> versions = List.of(
            "@ SOA master hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns.elsewhere.invalid.\n@ MX 10 mx\n"
                + "ns1 A 192.0.2.1\nns1 AAAA 2001:db8::1\nmx A 192.0.2.2\nwww A 192.0.2.3\nsub.deep A 192.0.2.4\n",
            "@ SOA master hostmaster 2 7200 3600 1209600 300\n@ NS ns1\n@ MX 10 mx\n*.near.test. A 192.0.2.9\n"
                + "ns1 A 192.0.2.1\nmx A 192.0.2.2\nwww A 192.0.2.3\n",
            "@ SOA www.near.test. Host.Master.near.test. 3 7200 3600 1209600 30\n@ NS NS1\n@ NS ns2\n"
                + "@ MX 10 mx.elsewhere.invalid.\n@ MX 20 www\nns1 A 192.0.2.1\nns2 A 192.0.2.5\nns2 AAAA 2001:db8::5\n"
                + "www A 192.0.2.3\nmaster A 192.0.2.10\nhostmaster TXT \"x\"\ndeep.master A 192.0.2.11\n"
                + "_sip._udp SRV 0 0 5060 www\nns.cut NS ns.elsewhere.invalid.\nx.y.cut A 192.0.2.12\n",
            "@ SOA ns1.other.invalid. hostmaster.master.near.test. 4 7200 3600 1209600 300\n@ NS ns1.other.invalid.\n"
                + "@ DNAME example.net.\n");
        List<String> names = List.of("near.test", "master.near.test", "hostmaster.near.test", "ns1.near.test",
            "ns2.near.test", "mx.near.test", "www.near.test", "nosuch.near.test", "deep.near.test",
            "sub.deep.near.test", "x.master.near.test", "host.near.test", "deep.master.near.test",
            "_sip._udp.near.test", "_udp.near.test", "x.y.cut.near.test", "y.cut.near.test", "ns.cut.near.test");
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.NS, RecordType.SOA, RecordType.MX, RecordType.TXT,
            RecordType.CNAME, RecordType.DNAME, RecordType.SRV, RecordType.PTR};
        long before = direct.engine.directAnswered;
        for (String version : versions) {
            direct.catalog.replace("near.test", head + version);
            general.catalog.replace("near.test", head + version);
            for (String name : names) {
                for (int type : types) {
                    for (int variant = 0; variant < 3; variant++) {
                        byte[] query = EngineHarness.query(variant == 2 ? name.toUpperCase() : name, type,
                            variant > 0, false, 1232);
                        byte[] expected = general.raw(query, variant == 1 ? QueryEngine.STREAM : 512);
                        byte[] got = direct.raw(query, variant == 1 ? QueryEngine.STREAM : 512);
                        assertArrayEquals(expected, got, () -> name + " " + RecordType.name(type) + " in\n" + version
                            + " general " + hex(expected) + "\n direct  " + hex(got));
                    }
                }
            }
        }
        assertTrue(direct.engine.directAnswered - before > 300,
            "direct answers: " + (direct.engine.directAnswered - before));
    }

    /**
     * CNAME answers with one step taken directly ({@link QueryEngine}'s cnameAnswer): targets in the same zone at
     * the apex, one label down, deeper, above and below the question (each compressed against a different suffix of
     * it, or not at all), spelled in upper case; chains of two, loops of one and two, a target that does not exist,
     * one a wildcard would answer, one without the type (NODATA), one under or at a cut, under a DNAME, in a child
     * zone served apart (the parent holding the name too, undelegated), in another served zone and in none; a
     * wildcard's CNAME; a target RRset too big for 512.
     */
    @Test
    void cnameAnswersAreTheGeneralPathsBytes() throws Exception {
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        String zone = "$ORIGIN cn.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "@ A 192.0.2.1\n@ TXT \"apex\"\nns1 A 192.0.2.2\nwww A 192.0.2.3\nwww AAAA 2001:db8::3\n"
            + "a.b.c A 192.0.2.4\nb.c A 192.0.2.5\nbig TXT \"" + "x".repeat(200) + "\" \"" + "y".repeat(200) + "\"\n"
            + "big TXT \"" + "z".repeat(200) + "\"\n"
            + "to-www CNAME www\nto-www-upper CNAME WWW.CN.TEST.\nto-apex CNAME @\nto-deep CNAME a.b.c\n"
            + "d.b.c CNAME b.c\nx.a.b.c CNAME a.b.c\ne.c CNAME a.b.c\nc1 CNAME c2\nc2 CNAME www\n"
            + "self CNAME self\nloop1 CNAME loop2\nloop2 CNAME loop1\nto-missing CNAME nothing\n"
            + "to-wild CNAME x.w\n*.w A 192.0.2.6\nto-nodata CNAME ns1\n*.star CNAME www\n"
            + "cut NS ns.elsewhere.invalid.\ncut A 192.0.2.10\nh.cut A 192.0.2.7\nwww.child A 192.0.2.99\n"
            + "to-cut CNAME cut\nto-below-cut CNAME h.cut\n"
            + "dn DNAME example.net.\nto-dname CNAME y.dn\nto-child CNAME www.child\nto-net CNAME www.example.net.\n"
            + "to-none CNAME www.nowhere.invalid.\nto-big CNAME big\n";
        String child = "$ORIGIN child.cn.test.\n$TTL 60\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "ns1 A 192.0.2.8\nwww A 192.0.2.9\n";
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("cn.test", zone);
            h.catalog.replace("child.cn.test", child);
            h.catalog.put(ZoneFileParser.load(DnsName.of("example.net"),
                StoreOracleTest.ZONES.resolve("example.net.zone")));
        }
        List<String> names = List.of("to-www", "to-www-upper", "to-apex", "to-deep", "d.b.c", "x.a.b.c", "e.c", "c1",
            "self", "loop1", "to-missing", "to-wild", "to-nodata", "q.star", "a.b.star", "to-cut", "to-below-cut",
            "to-dname", "to-child", "to-net", "to-none", "to-big");
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.TXT, RecordType.NS, RecordType.MX, RecordType.SOA,
            RecordType.CNAME, RecordType.SRV};
        Random random = new Random(11);
        long before = direct.engine.directCnames;
        for (String name : names) {
            for (int type : types) {
                for (int v = 0; v < 4; v++) {
                    final int variant = v;
                    String asked = variant == 3 ? mixedCase(name + ".cn.test", random) : name + ".cn.test";
                    byte[] query = EngineHarness.query(asked, type, variant > 0, variant == 2, 1232);
                    int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                    byte[] expected = general.raw(query, transport);
                    byte[] got = direct.raw(query, transport);
                    assertArrayEquals(expected, got, () -> asked + " " + RecordType.name(type) + " variant " + variant
                        + "\n general " + hex(expected) + "\n direct  " + hex(got));
                }
            }
        }
        // to-www, to-www-upper, q.star (A, AAAA), to-apex (A, TXT), to-deep, d.b.c, x.a.b.c, e.c, to-nodata (A) in
        // four variants each, to-big (TXT) in the three above 512 octets.
        assertTrue(direct.engine.directCnames - before == 4 * 13 + 3, "direct CNAME answers: "
            + (direct.engine.directCnames - before));
        assertTrue(general.engine.directCnames == 0, "the general engine answered directly");
    }

    /**
     * CNAME answers from the link a zone version keeps from a CNAME to its target ({@link StoredZone#cnameTarget}),
     * through record-level changes that move what the link stands for: the target removed (the link then leads to a
     * removed id) and added again under a new id, made a cut and back, the CNAME pointed elsewhere, a zone served below
     * the target's name (the zone is then not the innermost) and removed again; targets at the apex, one label down
     * compressed against the whole target or only the origin (a label of the same length, another length), deeper
     * (found by name), a wildcard's CNAME, targets and questions in mixed case; a name that does not exist, with and
     * without a wildcard at the apex (the one wildcard a zone version looks up once, {@link StoredZone#apexWildcard}).
     * Each version's answers are the general path's bytes, and the link answers what it should.
     */
    @Test
    void linkedCnameTargetsFollowEachChange() throws Exception {
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        String zone = "$ORIGIN ln.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "@ A 192.0.2.1\n@ TXT \"apex\"\nns1 A 192.0.2.2\nwww A 192.0.2.3\nwww AAAA 2001:db8::3\n"
            + "mail A 192.0.2.4\nmail TXT \"mail\"\na.b A 192.0.2.5\n"
            + "to-www CNAME www\nTo-Upper CNAME WWW.LN.TEST.\nto-apex CNAME @\nwww.x CNAME www\nx.www CNAME www\n"
            + "q.wwx CNAME www\nto-mail CNAME mail\nto-deep CNAME a.b\n*.star CNAME www\nto-gone CNAME gone\n";
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("ln.test", zone);
        }
        List<String> names = List.of("to-www", "TO-UPPER", "to-apex", "www.x", "X.WWW", "q.wwx", "to-mail", "to-deep",
            "a.star", "to-gone", "nope");
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.TXT, RecordType.MX, RecordType.CNAME};
        DnsName origin = DnsName.of("ln.test");
        ResourceRecord mailA = record("mail", RecordType.A, new byte[] {(byte) 192, 0, 2, 4});
        ResourceRecord mailTxt = record("mail", RecordType.TXT, new byte[] {4, 'm', 'a', 'i', 'l'});
        ResourceRecord wwwNs = record("www", RecordType.NS, DnsName.of("ns.elsewhere.invalid").wire());
        ResourceRecord toWww = record("to-www", RecordType.CNAME, DnsName.of("www.ln.test").wire());
        ResourceRecord toWwwMail = record("to-www", RecordType.CNAME, DnsName.of("mail.ln.test").wire());
        ResourceRecord goneA = record("gone", RecordType.A, new byte[] {(byte) 192, 0, 2, 9});
        ResourceRecord apexWildcard = record("*", RecordType.A, new byte[] {(byte) 192, 0, 2, 10});
        // Per step: deletions, additions (null: the step serves or removes the zone below www), and how many answers
        // the link must give (of 11 names x 5 types x 4 variants): as loaded to-www, TO-UPPER, www.x, X.WWW, q.wwx
        // (A, AAAA), to-apex (A, TXT) and to-mail (A, TXT); to-deep, a.star and to-gone are found by name. A removed
        // mail takes to-mail's link for good (mail's new id is not the linked one); the cut at www takes all but
        // to-apex's; a changed to-www is linked to mail's new id.
        List<Object[]> steps = List.of(
            new Object[] {"as loaded", List.of(), List.of(), 56},
            new Object[] {"mail removed", List.of(mailA, mailTxt), List.of(), 48},
            new Object[] {"mail added again", List.of(), List.of(mailA, mailTxt), 48},
            new Object[] {"www a cut", List.of(), List.of(wwwNs), 8},
            new Object[] {"www no cut again", List.of(wwwNs), List.of(), 48},
            new Object[] {"to-www to mail", List.of(toWww), List.of(toWwwMail), 48},
            new Object[] {"gone added", List.of(), List.of(goneA), 48},
            new Object[] {"zone www.ln.test served", null, List.of(), 0},
            new Object[] {"zone www.ln.test removed", null, null, 48},
            new Object[] {"a wildcard at the apex", List.of(), List.of(apexWildcard), 48},
            new Object[] {"no wildcard at the apex again", List.of(apexWildcard), List.of(), 48});
        Random random = new Random(23);
        for (Object[] step : steps) {
            for (EngineHarness h : List.of(direct, general)) {
                if (step[1] != null) {
                    @SuppressWarnings("unchecked")
                    List<ResourceRecord> deletions = (List<ResourceRecord>) step[1];
                    @SuppressWarnings("unchecked")
                    List<ResourceRecord> additions = (List<ResourceRecord>) step[2];
                    h.catalog.apply("ln.test", deletions, additions);
                } else if (step[2] != null) {
                    h.catalog.replace("www.ln.test", "$ORIGIN www.ln.test.\n$TTL 60\n"
                        + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ A 192.0.2.50\nns1 A 192.0.2.51\n");
                } else {
                    assertTrue(h.catalog.remove("www.ln.test"));
                }
            }
            long linked = direct.engine.linkedCnames;
            for (String name : names) {
                for (int type : types) {
                    for (int v = 0; v < 4; v++) {
                        final int variant = v;
                        String asked = variant == 3 ? mixedCase(name + "." + origin, random) : name + "." + origin;
                        byte[] query = EngineHarness.query(asked, type, variant > 0, variant == 2, 1232);
                        int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                        byte[] expected = general.raw(query, transport);
                        byte[] got = direct.raw(query, transport);
                        assertArrayEquals(expected, got, () -> step[0] + ": " + asked + " " + RecordType.name(type)
                            + " variant " + variant + "\n general " + hex(expected) + "\n direct  " + hex(got));
                    }
                }
            }
            assertEquals(step[3], (int) (direct.engine.linkedCnames - linked), "answers by link, " + step[0]);
        }
        assertTrue(general.engine.directCnames == 0, "the general engine answered directly");
    }

    private static ResourceRecord record(String name, int type, byte[] rdata) {
        return new ResourceRecord(DnsName.of(name + ".ln.test"), type, 1, 3600, rdata);
    }

    /**
     * Wildcard answers below the apex from the parent's link to its wildcard child ({@link StoredZone#wildcardChild}),
     * and deeper names answered without looking up the names between when the zone version's set of labels with cuts
     * or DNAMEs under them rules them out ({@link StoredZone#mayHoldCutUnder}), through record-level changes that move
     * what the link and the set stand for: a wildcard removed (its parent keeps no link to the removed id), added again
     * under a new id, its parent rewritten (new records at it), removed while a sibling keeps the parent; a cut added
     * above a held name and removed, a DNAME added under a label that had none; a wildcard below a CNAME (whose word
     * links the CNAME's target: looked up by name), then the CNAME removed (the parent left an empty non-terminal); a
     * wildcard added with its empty non-terminals and removed with them; a wildcard that is itself an empty
     * non-terminal, removed with the name below it. Each version's answers are the general path's bytes, and the link
     * answers what it should.
     */
    @Test
    void wildcardLinksAndCutLabelsFollowEachChange() throws Exception {
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        String zone = "$ORIGIN wl.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "ns1 A 192.0.2.1\nwww A 192.0.2.2\n*.apps A 192.0.2.90\n*.apps TXT \"wild\"\nwww.apps A 192.0.2.91\n"
            + "_sip._udp SRV 0 0 5060 www\na.b.c A 192.0.2.3\n*.b.c A 192.0.2.4\ncn CNAME www\n";
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("wl.test", zone);
        }
        List<String> names = List.of("web.apps", "www.apps", "x.y.apps", "*.apps", "apps", "_sip._udp", "x._udp",
            "_udp", "a.b.c", "q.b.c", "z.c", "z.cn", "cn", "y.new.sub", "a.dn", "www");
        int[] types = {RecordType.A, RecordType.TXT, RecordType.SRV, RecordType.AAAA, RecordType.CNAME};
        byte[] wildA = {(byte) 192, 0, 2, 90};
        byte[] wildTxt = {4, 'w', 'i', 'l', 'd'};
        ResourceRecord appsWildA = wl("*.apps", RecordType.A, wildA);
        ResourceRecord appsWildTxt = wl("*.apps", RecordType.TXT, wildTxt);
        ResourceRecord appsTxt = wl("apps", RecordType.TXT, new byte[] {1, 'x'});
        ResourceRecord udpCut = wl("_udp", RecordType.NS, DnsName.of("ns.elsewhere.invalid").wire());
        ResourceRecord dname = wl("dn", RecordType.DNAME, DnsName.of("example.net").wire());
        ResourceRecord cnWild = wl("*.cn", RecordType.A, new byte[] {(byte) 192, 0, 2, 5});
        ResourceRecord cn = wl("cn", RecordType.CNAME, DnsName.of("www.wl.test").wire());
        ResourceRecord newWild = wl("*.new.sub", RecordType.A, new byte[] {(byte) 192, 0, 2, 6});
        ResourceRecord bcWild = wl("*.b.c", RecordType.A, new byte[] {(byte) 192, 0, 2, 4});
        ResourceRecord belowWild = wl("x.*.b.c", RecordType.A, new byte[] {(byte) 192, 0, 2, 7});
        // Per step: deletions, additions, the questions (of 16 names x 5 types x 4 variants) whose wildcard the link
        // must give — 20 for each name one label below a linked wildcard (web.apps, q.b.c, later z.cn, y.new.sub),
        // and whether a cut or DNAME may lie under _udp and under dn.
        List<Object[]> steps = List.of(
            new Object[] {"as loaded", List.of(), List.of(), 40, false, false},
            new Object[] {"*.apps removed", List.of(appsWildA, appsWildTxt), List.of(), 20, false, false},
            new Object[] {"*.apps added again", List.of(), List.of(appsWildA, appsWildTxt), 40, false, false},
            new Object[] {"apps rewritten", List.of(), List.of(appsTxt), 40, false, false},
            new Object[] {"a cut at _udp", List.of(), List.of(udpCut), 40, true, false},
            new Object[] {"no cut at _udp again", List.of(udpCut), List.of(), 40, true, false},
            new Object[] {"a DNAME at dn", List.of(), List.of(dname), 40, true, true},
            new Object[] {"a wildcard below the CNAME at cn", List.of(), List.of(cnWild), 40, true, true},
            new Object[] {"the CNAME at cn removed", List.of(cn), List.of(), 60, true, true},
            new Object[] {"*.new.sub added", List.of(), List.of(newWild), 80, true, true},
            new Object[] {"*.new.sub removed", List.of(newWild), List.of(), 60, true, true},
            new Object[] {"*.b.c removed", List.of(bcWild), List.of(), 40, true, true},
            new Object[] {"a name below *.b.c, which comes back empty", List.of(), List.of(belowWild), 60, true, true},
            new Object[] {"that name removed, and the empty *.b.c with it", List.of(belowWild), List.of(), 40, true,
                true});
        Random random = new Random(29);
        for (Object[] step : steps) {
            for (EngineHarness h : List.of(direct, general)) {
                @SuppressWarnings("unchecked")
                List<ResourceRecord> deletions = (List<ResourceRecord>) step[1];
                @SuppressWarnings("unchecked")
                List<ResourceRecord> additions = (List<ResourceRecord>) step[2];
                h.catalog.apply("wl.test", deletions, additions);
            }
            StoredZone z = direct.catalog.zones().get(DnsName.of("wl.test"));
            assertEquals(step[4], z.mayHoldCutUnder(label("_udp"), 0), "a cut under _udp, " + step[0]);
            assertEquals(step[5], z.mayHoldCutUnder(label("dn"), 0), "a cut under dn, " + step[0]);
            assertTrue(!z.mayHoldCutUnder(label("apps"), 0) && !z.mayHoldCutUnder(label("c"), 0), "" + step[0]);
            long linked = direct.engine.linkedWildcards;
            for (String name : names) {
                for (int type : types) {
                    for (int v = 0; v < 4; v++) {
                        final int variant = v;
                        String asked = variant == 3 ? mixedCase(name + ".wl.test", random) : name + ".wl.test";
                        byte[] query = EngineHarness.query(asked, type, variant > 0, variant == 2, 1232);
                        int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                        byte[] expected = general.raw(query, transport);
                        byte[] got = direct.raw(query, transport);
                        assertArrayEquals(expected, got, () -> step[0] + ": " + asked + " " + RecordType.name(type)
                            + " variant " + variant + "\n general " + hex(expected) + "\n direct  " + hex(got));
                    }
                }
            }
            assertEquals(step[3], (int) (direct.engine.linkedWildcards - linked), "wildcards by link, " + step[0]);
        }
        assertTrue(general.engine.linkedWildcards == 0, "the general engine answered directly");
    }

    private static ResourceRecord wl(String name, int type, byte[] rdata) {
        return new ResourceRecord(DnsName.of(name + ".wl.test"), type, 1, 3600, rdata);
    }

    /** @return one label in wire form with a word of room after it, as the engine's name arrays have */
    private static byte[] label(String text) {
        byte[] b = new byte[text.length() + 9];
        b[0] = (byte) text.length();
        for (int i = 0; i < text.length(); i++) {
            b[1 + i] = (byte) text.charAt(i);
        }
        return b;
    }

    /**
     * A referral takes its first name server inside the zone from the cut's link ({@link StoredZone#glueLink}) where
     * the zone version has one, else finds it by name: after a load, glue added after its cut (no link until the cut
     * is written again), glue removed (the general path) and added again (a new id: found by name), a cut's name
     * servers changed and changed back (linked anew: an old link would give the other server's addresses), a cut
     * removed, the zone
     * loaded again. Every referral is compared with the general path's bytes, and for each step the cuts whose
     * referrals the link answered are the ones expected.
     */
    @Test
    void glueLinksFollowEachChange() throws Exception {
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        String zone = "$ORIGIN gl.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "ns1 A 192.0.2.1\nns2 A 192.0.2.2\nns2 AAAA 2001:db8::2\n"
            + "child NS ns1.child\nchild NS ns.elsewhere.invalid.\nns1.child A 192.0.2.10\n"
            + "ns1.child AAAA 2001:db8::10\n"
            + "sib NS ns.out.invalid.\nsib NS ns2\n"
            + "late NS ns.late\n"
            + "upper NS NS1.UPPER.GL.TEST.\nns1.upper A 192.0.2.20\n"
            + "two NS ns1.two\ntwo NS ns2.two\nns1.two A 192.0.2.30\nns2.two A 192.0.2.31\n";
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("gl.test", zone);
        }
        ResourceRecord lateGlue = glRecord("ns.late", RecordType.A, new byte[] {(byte) 192, 0, 2, 40});
        ResourceRecord lateMore = glRecord("late", RecordType.NS, DnsName.of("ns.elsewhere.invalid").wire());
        ResourceRecord childA = glRecord("ns1.child", RecordType.A, new byte[] {(byte) 192, 0, 2, 10});
        ResourceRecord childAaaa = glRecord("ns1.child", RecordType.AAAA,
            new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10});
        ResourceRecord childNs = glRecord("child", RecordType.NS, DnsName.of("ns1.child.gl.test").wire());
        ResourceRecord childNs9 = glRecord("child", RecordType.NS, DnsName.of("ns9.child.gl.test").wire());
        ResourceRecord ns9A = glRecord("ns9.child", RecordType.A, new byte[] {(byte) 192, 0, 2, 19});
        ResourceRecord sibOut = glRecord("sib", RecordType.NS, DnsName.of("ns.out.invalid").wire());
        ResourceRecord sibNs2 = glRecord("sib", RecordType.NS, DnsName.of("ns2.gl.test").wire());
        List<String> cuts = List.of("child", "sib", "late", "upper", "two");
        // Per step: deletions, additions (null: the zone loaded again), the cuts whose referrals the link answers.
        List<Object[]> steps = List.of(
            new Object[] {"as loaded", List.of(), List.of(), List.of("child", "sib", "upper", "two")},
            new Object[] {"glue added after its cut", List.of(), List.of(lateGlue), List.of("child", "sib", "upper", "two")},
            new Object[] {"that cut written", List.of(), List.of(lateMore), List.of("child", "sib", "late", "upper", "two")},
            new Object[] {"glue removed", List.of(childA, childAaaa), List.of(), List.of("sib", "late", "upper", "two")},
            new Object[] {"glue added again", List.of(), List.of(childA, childAaaa), List.of("sib", "late", "upper", "two")},
            new Object[] {"name servers changed", List.of(childNs), List.of(childNs9, ns9A),
                List.of("child", "sib", "late", "upper", "two")},
            new Object[] {"name servers changed back", List.of(childNs9), List.of(childNs),
                List.of("child", "sib", "late", "upper", "two")},
            new Object[] {"a cut removed", List.of(sibOut, sibNs2), List.of(), List.of("child", "late", "upper", "two")},
            new Object[] {"loaded again", null, null, List.of("child", "sib", "upper", "two")});
        Random random = new Random(31);
        for (Object[] step : steps) {
            for (EngineHarness h : List.of(direct, general)) {
                if (step[1] == null) {
                    h.catalog.replace("gl.test", zone);
                } else {
                    @SuppressWarnings("unchecked")
                    List<ResourceRecord> deletions = (List<ResourceRecord>) step[1];
                    @SuppressWarnings("unchecked")
                    List<ResourceRecord> additions = (List<ResourceRecord>) step[2];
                    h.catalog.apply("gl.test", deletions, additions);
                }
            }
            @SuppressWarnings("unchecked")
            List<String> linkedCuts = (List<String>) step[3];
            for (String cut : cuts) {
                for (String below : List.of("", "www.", "ns1.", "NS9.")) {
                    for (int type : new int[] {RecordType.A, RecordType.AAAA}) {
                        for (int v = 0; v < 4; v++) {
                            final int variant = v;
                            String name = below + cut + ".gl.test";
                            String asked = variant == 3 ? mixedCase(name, random) : name;
                            byte[] query = EngineHarness.query(asked, type, variant > 0, variant == 2, 1232);
                            int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                            long referrals = direct.engine.directReferrals;
                            long linked = direct.engine.linkedGlue;
                            byte[] expected = general.raw(query, transport);
                            byte[] got = direct.raw(query, transport);
                            assertArrayEquals(expected, got, () -> step[0] + ": " + asked + " " + RecordType.name(type)
                                + " variant " + variant + "\n general " + hex(expected) + "\n direct  " + hex(got));
                            boolean referral = direct.engine.directReferrals != referrals;
                            boolean viaLink = direct.engine.linkedGlue != linked;
                            assertEquals(linkedCuts.contains(cut), referral && viaLink, () -> step[0] + ": " + asked
                                + " " + RecordType.name(type) + " direct referral " + referral + ", by link " + viaLink);
                        }
                    }
                }
            }
        }
        assertTrue(general.engine.linkedGlue == 0, "the general engine answered directly");
    }

    private static ResourceRecord glRecord(String name, int type, byte[] rdata) {
        return new ResourceRecord(DnsName.of(name + ".gl.test"), type, 1, 3600, rdata);
    }

    /**
     * Positive answers with full responses written directly ({@link QueryEngine}'s fullAnswer): the zone's NS in
     * authority and the addresses of its servers — inside the zone with A and AAAA, A only, one a wildcard answers
     * for, one outside — asked for the servers' own names (an address RRset in the answer is not repeated), other
     * names, the apex, a wildcard's names (the one whose node also answers for a server takes the general path), SRV,
     * and an RRset of over 16 KB over a stream (the servers' names then lie past pointer reach) and too big for 512.
     */
    @Test
    void fullResponsesPositiveAnswersAreTheGeneralPathsBytes() throws Exception {
        StringBuilder zone = new StringBuilder("$ORIGIN full.test.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS NS2.full.test.\n@ NS ns.wild\n"
            + "@ NS ns.elsewhere.invalid.\n@ A 192.0.2.1\n@ TXT \"apex\"\n"
            + "ns1 A 192.0.2.2\nns1 AAAA 2001:db8::2\nns1 TXT \"server\"\nns2 A 192.0.2.3\n"
            + "*.wild A 192.0.2.4\n*.wild AAAA 2001:db8::4\n*.w2 TXT \"w2\"\n"
            + "www A 192.0.2.5\nwww AAAA 2001:db8::5\n_sip._udp SRV 0 0 5060 www\na.b.deep A 192.0.2.6\n");
        for (int i = 0; i < 90; i++) {
            zone.append("huge TXT \"").append(String.format("%03d", i)).append("x".repeat(200)).append("\"\n");
        }
        List<String> names = List.of("full.test", "ns1.full.test", "NS2.full.test", "ns.wild.full.test",
            "x.wild.full.test", "y.w2.full.test", "www.full.test", "_sip._udp.full.test", "a.b.deep.full.test",
            "huge.full.test", "nosuch.full.test");
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.TXT, RecordType.SRV, RecordType.NS, RecordType.MX};
        EngineHarness direct = new EngineHarness(false);
        EngineHarness general = new EngineHarness(false);
        general.engine.directAnswers = false;
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("full.test", zone.toString());
        }
        Random random = new Random(19);
        long before = direct.engine.directAnswered;
        for (String name : names) {
            for (int type : types) {
                for (int v = 0; v < 4; v++) {
                    final int variant = v;
                    String asked = variant == 3 ? mixedCase(name, random) : name;
                    byte[] query = EngineHarness.query(asked, type, variant > 0, false, 1232);
                    int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                    byte[] expected = general.raw(query, transport);
                    byte[] got = direct.raw(query, transport);
                    assertArrayEquals(expected, got, () -> asked + " " + RecordType.name(type) + " variant "
                        + variant + "\n general " + hex(expected) + "\n direct  " + hex(got));
                }
            }
        }
        // A change of what the direct path takes (or refuses) here shows in the count.
        assertTrue(direct.engine.directAnswered - before == 224, "direct answers: "
            + (direct.engine.directAnswered - before));
    }

    /**
     * Referrals written directly ({@link QueryEngine}'s referral): cuts one label below the apex and deeper (under an
     * empty non-terminal), asked at the cut, below it and under one of its name servers (the question is then a
     * suffix the server's name is compressed against); in-domain glue with A and AAAA, sibling glue, an authoritative
     * server of the zone, servers only outside it, a server named as the cut, upper-case server names; servers inside
     * the zone that do not exist or that a wildcard answers for, more servers than the direct path takes, glue that
     * does not fit in 512 octets (TC or left out), a cut below a DNAME, a cut under a cut and a child zone served
     * apart — with and without EDNS and DO, at 512, 1232 and over a stream, and with full responses off and on. Each
     * direct referral's sum ({@link QueryEngine#lastSum}) is checked against a pass over it ({@link EngineHarness#raw}):
     * questions and NS prefixes of odd and even lengths put its records at both parities.
     */
    @Test
    void referralsAreTheGeneralPathsBytes() throws Exception {
        StringBuilder zone = new StringBuilder("$ORIGIN ref.test.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.ref.test.\n@ MX 10 mx.child\n"
            + "ns1 A 192.0.2.1\nns2 AAAA 2001:db8::2\n"
            + "child NS ns1.child\nchild NS ns2.child\nchild NS ns.elsewhere.invalid.\n"
            + "ns1.child A 192.0.2.10\nns1.child AAAA 2001:db8::10\nns2.child A 192.0.2.11\n"
            + "n.child NS ns.elsewhere.invalid.\n"
            + "sib NS ns1.child.ref.test.\nsib NS ns1.ref.test.\nsib NS ns2\n"
            + "out NS a.ns.invalid.\nout NS b.ns.invalid.\n"
            + "x.deep NS ns.x.deep\nns.x.deep A 192.0.2.12\ny.deep A 192.0.2.16\n"
            + "self NS self\nself A 192.0.2.13\n"
            + "upper NS NS1.UPPER.REF.TEST.\nupper NS Ns2.Upper.ref.test.\nns1.upper A 192.0.2.15\n"
            + "ns2.upper AAAA 2001:db8::15\n"
            + "miss NS nothere\nwild NS a.w\n*.w A 192.0.2.14\n"
            + "dn DNAME example.net.\n"
            + "kid NS ns1.kid\nns1.kid A 192.0.2.17\n"
            + "dup NS ns1.dup\ndup NS NS1.DUP\nns1.dup A 192.0.2.19\n"
            + "both NS ns.elsewhere.invalid.\nboth DNAME example.net.\n");
        for (int i = 1; i <= 14; i++) {
            zone.append(String.format("big NS ns%02d.big%nns%02d.big A 192.0.2.%d%nns%02d.big AAAA 2001:db8::%d%n",
                i, i, 100 + i, i, 100 + i));
        }
        for (int i = 1; i <= 17; i++) {
            zone.append(String.format("many NS ns%02d.many%nns%02d.many A 192.0.2.%d%n", i, i, 200 + i));
        }
        String kid = "$ORIGIN kid.ref.test.\n$TTL 60\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "ns1 A 192.0.2.17\nwww A 192.0.2.18\n";
        List<String> cuts = List.of("child", "sib", "out", "x.deep", "self", "upper", "miss", "wild", "big", "many",
            "kid", "n.child", "dup", "both");
        List<String> names = new ArrayList<>(List.of("ref.test", "y.deep.ref.test", "a.y.dn.ref.test",
            "deep.ref.test", "a.b.w.ref.test"));
        for (String cut : cuts) {
            for (String below : List.of("", "www.", "a.b.", "ns1.", "ns2.", "x.ns1.", "NS1.", "ns01.", "a.w.")) {
                names.add(below + cut + ".ref.test");
            }
        }
        int[] types = {RecordType.A, RecordType.AAAA, RecordType.NS, RecordType.DS, RecordType.SOA, RecordType.MX,
            RecordType.TXT, RecordType.CNAME, RecordType.ANY};
        Random random = new Random(13);
        for (boolean minimal : List.of(true, false)) {
            EngineHarness direct = new EngineHarness(minimal);
            EngineHarness general = new EngineHarness(minimal);
            general.engine.directAnswers = false;
            for (EngineHarness h : List.of(direct, general)) {
                h.catalog.replace("ref.test", zone.toString());
                h.catalog.replace("kid.ref.test", kid);
            }
            for (String name : names) {
                for (int type : types) {
                    for (int v = 0; v < 5; v++) {
                        final int variant = v;
                        String asked = variant == 3 ? mixedCase(name, random) : name;
                        byte[] query = EngineHarness.query(asked, type, variant > 0, variant == 2, 1232);
                        int transport = variant == 1 ? QueryEngine.STREAM : variant == 0 ? 512 : 1232;
                        byte[] expected = general.raw(query, transport);
                        long referrals = direct.engine.directReferrals;
                        long sums = direct.sumsChecked;
                        byte[] got = direct.raw(query, transport);
                        assertArrayEquals(expected, got, () -> asked + " " + RecordType.name(type) + " variant "
                            + variant + " minimal " + minimal + "\n general " + hex(expected) + "\n direct  "
                            + hex(got));
                        if (direct.engine.directReferrals != referrals) {
                            assertTrue(direct.sumsChecked == sums + 1, () -> asked + ": a referral without its sum");
                        }
                    }
                }
            }
            assertTrue(general.engine.directReferrals == 0, "the general engine answered directly");
            // Every referral above but those at and under dup, miss, wild and many, those of DS and ANY, and those
            // of big in 512 octets, in both modes: a change of what the direct path takes shows here.
            assertTrue(direct.engine.directReferrals == 2772, "direct referrals: " + direct.engine.directReferrals);
        }
    }

    /**
     * A direct referral compresses its name servers' names by label counts ({@link LabelCompression}) where the
     * general writer searches its table of every suffix written: the same pointers, at the same offsets, for name
     * servers below the cut, elsewhere in the zone, outside it (sharing only the top label with the question, or
     * nothing), sharing suffixes with each other (a later name equal to an earlier one's suffix, a longer suffix
     * shared with an earlier name than with the question, a shared suffix first written in full by a later name),
     * as long as the question's suffix but cut into other labels, in upper and mixed case, equal to the question and
     * equal to the cut — asked in mixed case, at the cut, below it and as each name server, with and without EDNS.
     * Counts the direct referrals, so the layouts above are the direct path's, and checks each one's sum against a pass
     * over it ({@link EngineHarness#raw}).
     */
    @Test
    void referralNameServersAreCompressedAsTheGeneralWriterDoes() throws Exception {
        String zone = "$ORIGIN cmp.test.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nns2 AAAA 2001:db8::2\n"
            // Below the cut, then a name below an earlier server's name, then one elsewhere in the zone.
            + "a NS ns.a\na NS x.ns.a\na NS ns2\nns.a A 192.0.2.10\nx.ns.a A 192.0.2.11\nx.ns.a AAAA 2001:db8::11\n"
            // Outside: a suffix shared with an earlier server's name longer than the question's ("test" only).
            + "b NS p.q.other.test.\nb NS r.q.other.test.\nb NS q.other.test.\nb NS other.test.\n"
            // Outside, a later name shares with an earlier one what neither shares with the question.
            + "c NS one.invalid.\nc NS s.two.invalid.\nc NS t.two.invalid.\nc NS two.invalid.\n"
            // As long as the question's suffixes, cut into other labels; then the question's own case changed.
            + "dd NS www.dd.cmp.test.\ndd NS ww.wdd.cmp.test.\ndd NS w.ww.dd.cmp.test.\n"
            + "www.dd A 192.0.2.20\nww.wdd A 192.0.2.21\nw.ww.dd AAAA 2001:db8::21\n"
            + "e NS NS.E.CMP.TEST.\ne NS Ns.Two.E.Cmp.Test.\ne NS ns.other.e.cmp.test.\nns.e A 192.0.2.30\n"
            + "ns.two.e A 192.0.2.31\nns.other.e AAAA 2001:db8::30\n"
            // The cut itself as a server, beside one above the cut's zone, and the apex of the zone.
            + "f NS f\nf NS cmp.test.\nf NS test.\nf A 192.0.2.40\n"
            // Deeper cuts: the servers share the cut's name with the question, or a label above it.
            + "g.h NS ns.g.h\ng.h NS ns.h\nns.g.h A 192.0.2.50\nns.h A 192.0.2.51\n"
            // Labels holding dots and length-like octets: the same octets near the end, other label boundaries.
            + "k NS www\\.k.k.cmp.test.\nk NS \\001.\\001.k.cmp.test.\nk NS \\001\\001.k.cmp.test.\n"
            + "www\\.k.k A 192.0.2.60\n\\001.\\001.k A 192.0.2.61\n\\001\\001.k A 192.0.2.62\n";
        List<String> cuts = List.of("a", "b", "c", "dd", "e", "f", "g.h", "k");
        List<String> names = new ArrayList<>();
        for (String cut : cuts) {
            for (String below : List.of("", "www.", "ns.", "x.ns.", "w.ww.", "Ns.Two.", "q.other.test.x.")) {
                names.add(below + cut + ".cmp.test");
            }
        }
        names.addAll(List.of("ww.wdd.dd.cmp.test", "WWW.DD.cmp.test", "ns.other.e.cmp.test", "x.ns.g.h.cmp.test"));
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("cmp.test", zone);
        }
        Random random = new Random(29);
        for (String name : names) {
            for (int type : new int[] {RecordType.A, RecordType.AAAA, RecordType.TXT}) {
                for (int variant = 0; variant < 3; variant++) {
                    String asked = variant == 2 ? mixedCase(name, random) : name;
                    byte[] query = EngineHarness.query(asked, type, variant > 0, false, 1232);
                    byte[] expected = general.raw(query, 1232);
                    long sums = direct.sumsChecked;
                    byte[] got = direct.raw(query, 1232);
                    assertArrayEquals(expected, got, () -> asked + " " + RecordType.name(type) + "\n general "
                        + hex(expected) + "\n direct  " + hex(got));
                    assertTrue(direct.sumsChecked == sums + 1, () -> asked + ": a referral without its sum");
                }
            }
        }
        assertTrue(general.engine.directReferrals == 0, "the general engine answered directly");
        assertTrue(direct.engine.directReferrals == 9L * names.size(), "direct referrals: "
            + direct.engine.directReferrals + " of " + 9 * names.size());
    }

    /**
     * The question name is lower-cased and hashed a word at a time as it is read, its last word from the message
     * when whole words lie within it, else octet by octet (a question at the end of a message without EDNS): names
     * of every length modulo 8, in mixed case, each found (a direct answer) with the general path's bytes.
     */
    @Test
    void questionNamesOfEveryLengthAreFound() throws Exception {
        StringBuilder zone = new StringBuilder("$ORIGIN len.test.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n");
        List<String> names = new ArrayList<>();
        for (int length = 1; length <= 17; length++) {
            String label = "abcdefghijklmnopq".substring(0, length);
            zone.append(label).append(" A 192.0.2.").append(length).append('\n');
            zone.append("x.").append(label).append(" TXT \"deeper\"\n");
            names.add(label + ".len.test");
            names.add("x." + label + ".len.test");
        }
        EngineHarness direct = new EngineHarness(true);
        EngineHarness general = new EngineHarness(true);
        general.engine.directAnswers = false;
        for (EngineHarness h : List.of(direct, general)) {
            h.catalog.replace("len.test", zone.toString());
        }
        Random random = new Random(17);
        long before = direct.engine.directAnswered;
        for (String name : names) {
            int type = name.startsWith("x.") ? RecordType.TXT : RecordType.A;
            for (boolean edns : List.of(false, true)) {
                String asked = mixedCase(name, random);
                byte[] query = EngineHarness.query(asked, type, edns, false, 1232);
                byte[] expected = general.raw(query, 1232);
                byte[] got = direct.raw(query, 1232);
                assertArrayEquals(expected, got, () -> asked + "\n general " + hex(expected) + "\n direct  "
                    + hex(got));
                assertTrue(expected[3] == 0 && expected[7] == 1, asked + " answered");
                // In a segment that ends where the query does (no room for the answer: a response with TC), the
                // question's last word is not read past the end.
                int n = direct.engine.answer(java.lang.foreign.MemorySegment.ofArray(query.clone()), 0, query.length,
                    query.length, 1232);
                assertTrue(n >= 12, asked + " in a segment of its own length: " + n);
            }
        }
        assertTrue(direct.engine.directAnswered - before == 2 * names.size(),
            "direct answers: " + (direct.engine.directAnswered - before));
    }

    /**
     * The engine's sum of each response ({@link QueryEngine#lastSum}: the UDP checksum's, taken without a pass) is a
     * pass over the response — {@link EngineHarness#raw} checks every response that has one: questions of every
     * length in mixed case (what follows starts at odd and even offsets), RRsets whose records have odd RDATA
     * lengths (the next record at the other parity), apex bodies with their pointers moved, NODATA and NXDOMAIN,
     * CNAMEs whose pointer lands at odd and even offsets, a wildcard, with and without EDNS and DO; BADVERS and the
     * header-only errors (FORMERR, NOTIMP). Counts how many were checked, so the direct path's sums are what this
     * tested.
     */
    @Test
    void responseSumsAreAPassOverTheResponse() throws Exception {
        StringBuilder zone = new StringBuilder("$ORIGIN sum.test.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.elsewhere.invalid.\n@ MX 10 mail\n"
            + "@ TXT \"a\"\n@ TXT \"bc\"\n@ TXT \"def\"\nns1 A 192.0.2.1\nmail A 192.0.2.2\n"
            + "*.w TXT \"odd\" \"xy\"\n");
        List<String> names = new ArrayList<>(List.of("sum.test", "x.w.sum.test", "yz.w.sum.test", "mail.sum.test"));
        for (int length = 1; length <= 17; length++) {
            String label = "abcdefghijklmnopq".substring(0, length);
            zone.append(label).append(" A 192.0.2.").append(length).append('\n');
            zone.append(label).append(" TXT \"").append("t".repeat(length)).append("\"\n");
            zone.append(label).append(" TXT \"u\" \"").append("v".repeat(length + 1)).append("\"\n");
            zone.append('c').append(label).append(" CNAME ").append(label).append('\n');
            zone.append("d").append(label).append(" CNAME mail.sum.test.\n");
            names.add(label + ".sum.test");
            names.add("c" + label + ".sum.test");
            names.add("d" + label + ".sum.test");
            names.add("no" + label + ".sum.test");
        }
        EngineHarness direct = new EngineHarness(true);
        direct.catalog.replace("sum.test", zone.toString());
        int[] types = {RecordType.A, RecordType.TXT, RecordType.AAAA, RecordType.MX, RecordType.NS, RecordType.SOA};
        Random random = new Random(23);
        long answers = 0;
        for (String name : names) {
            for (int type : types) {
                for (int variant = 0; variant < 4; variant++) {
                    String asked = mixedCase(name, random);
                    MessageWriter w = new MessageWriter(0x1234 + variant, Header.FLAG_RD)
                        .question(DnsName.of(asked), type, 1);
                    if (variant > 0) {
                        w.opt(1232, 0, variant == 3 ? 1 : 0, variant == 2, new byte[0]); // version 1: BADVERS
                    }
                    assertTrue(direct.raw(w.toByteArray(), 1232) != null, asked);
                    answers++;
                }
            }
        }
        // Header-only errors: two questions (FORMERR), opcode 2 (NOTIMP).
        byte[] two = EngineHarness.query("www.sum.test", RecordType.A, false, false, 0);
        two[5] = 2;
        byte[] status = EngineHarness.query("www.sum.test", RecordType.A, false, false, 0);
        status[2] |= 2 << 3;
        for (byte[] q : List.of(two, status)) {
            assertTrue(direct.raw(q, 1232).length == Header.LENGTH);
            answers++;
        }
        // All but the general path's: the CNAMEs' questions whose target has no RRset of the type (AAAA, MX, NS, SOA;
        // TXT too at mail), 17 x 9 of them in the three variants that are not BADVERS.
        assertTrue(answers - direct.sumsChecked == 17 * 9 * 3, "sums checked " + direct.sumsChecked + " of " + answers);
        // Every query but the two header-only errors read whole: its sum from the parse, checked against a pass.
        assertTrue(direct.querySumsChecked == answers - 2, "query sums checked " + direct.querySumsChecked);
    }

    private static String mixedCase(String s, Random random) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "dropped" : HexFormat.of().formatHex(bytes);
    }
}
