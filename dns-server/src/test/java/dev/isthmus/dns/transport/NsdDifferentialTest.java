package dev.isthmus.dns.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same zones in NSD and in Isthmus, the same queries (every name × every type, mixed case, plain UDP, EDNS over
 * UDP, TCP with DO) sent to both with kdig: header flags, RCODE and every section (as sets: RRset order may differ)
 * must match. Not compared: QTYPE ANY, where Isthmus answers minimally per RFC 8482 and NSD 4.6 does not.
 */
class NsdDifferentialTest {
    static final Path ZONES = Path.of("src/test/resources/differential");

    @TempDir
    static Path dir;
    static NsdServer nsd;
    static KernelDnsServer isthmus;
    static int nsdPort;
    static int isthmusPort;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> zones = Map.of("example.test", ZONES.resolve("example.test.zone"),
            "example.net", ZONES.resolve("example.net.zone"), "signed.test", ZONES.resolve("signed.test.zone"),
            "nsec3.test", ZONES.resolve("nsec3.test.zone"));
        nsdPort = KernelTransportTest.freePort();
        nsd = new NsdServer(dir, nsdPort, zones);
        ZoneCatalog catalog = new ZoneCatalog();
        for (var e : zones.entrySet()) {
            catalog.load(e.getKey(), e.getValue());
        }
        isthmusPort = KernelTransportTest.freePort();
        // Full responses (the zone's NS in every positive answer), as NSD answers without minimal-responses; minimal
        // responses are compared with NSD and Knot in MinimalResponsesDifferentialTest.
        isthmus = new KernelDnsServer(catalog, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), isthmusPort)),
            1, Duration.ofSeconds(5), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (isthmus != null) {
            isthmus.close();
        }
        if (nsd != null) {
            nsd.close();
        }
    }

    static final String[] NAMES = {
        "example.test", "www.example.test", "ns1.example.test", "mail.example.test", "ftp.example.test",
        "c1.example.test", "c2.example.test", "cx.example.test", "cnx.example.test", "_sip._udp.example.test",
        "_443._tcp.www.example.test", "naptr.example.test", "ptr.example.test", "priv.example.test",
        "a.wild.example.test", "b.c.wild.example.test", "wild.example.test", "*.wild.example.test",
        "ent.example.test", "deep.ent.example.test", "sub.deep.ent.example.test", "x.ent.example.test",
        "child.example.test", "ns.child.example.test", "www.child.example.test", "other.example.test",
        "a.b.other.example.test", "dn.example.test", "www.dn.example.test", "nothing.dn.example.test",
        "upper.example.test", "big.example.test", "nxdomain.example.test", "a.b.nxdomain.example.test", "example.net",
        "www.example.net", "alias.example.net", "missing.example.net", "www.example.org", "org",
        // Pre-signed (NSEC): with DO, RRSIGs with answers, NSEC proofs for NODATA, NXDOMAIN and wildcards, DS or NSEC
        // at cuts.
        "signed.test", "www.signed.test", "alias.signed.test", "nope.signed.test", "x.y.signed.test",
        "a.wild.signed.test", "wild.signed.test", "ent.signed.test", "a.ent.signed.test", "zz.ent.signed.test",
        "secure.signed.test", "ns.secure.signed.test", "a.secure.signed.test", "insecure.signed.test",
        "www.insecure.signed.test", "mail.signed.test", "zzz.signed.test",
        // The same signed with NSEC3 (RFC 5155 §7.2 proofs).
        "nsec3.test", "www.nsec3.test", "alias.nsec3.test", "nope.nsec3.test", "x.y.nsec3.test",
        "a.wild.nsec3.test", "b.c.wild.nsec3.test", "wild.nsec3.test", "ent.nsec3.test", "a.ent.nsec3.test",
        "zz.ent.nsec3.test", "secure.nsec3.test", "a.secure.nsec3.test", "insecure.nsec3.test",
        "www.insecure.nsec3.test", "zzz.nsec3.test",
    };
    static final String[] TYPES = {"A", "AAAA", "NS", "MX", "TXT", "SOA", "CNAME", "SRV", "DS", "CAA", "TYPE65534",
        "PTR", "NAPTR", "TLSA", "SSHFP", "HINFO", "DNAME", "DNSKEY", "NSEC", "RRSIG", "NSEC3", "NSEC3PARAM"};

    /** Every name with every type, in seeded random mixed case. */
    static List<String[]> queries() {
        Random random = new Random(20261121);
        List<String[]> q = new ArrayList<>();
        for (String name : NAMES) {
            for (String type : TYPES) {
                StringBuilder mixed = new StringBuilder();
                for (char c : name.toCharArray()) {
                    mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
                }
                q.add(new String[] {mixed.toString(), type});
            }
        }
        return q;
    }

    @Test
    void plainUdp() throws Exception {
        compare(List.of("+notcp", "+noedns", "+ignore")); // +ignore: compare TC answers as they are
    }

    @Test
    void ednsUdp() throws Exception {
        compare(List.of("+notcp", "+bufsize=1232", "+ignore"));
    }

    @Test
    void tcpWithDnssecOk() throws Exception {
        compare(List.of("+tcp", "+dnssec"));
    }

    /**
     * Edge cases kdig will not send, as raw datagrams to both servers: header, RCODE (extended too), section
     * counts and question must match byte for byte in meaning.
     */
    @Test
    void malformedAndUnusualQueriesOverRawUdp() throws Exception {
        byte[] ok = new MessageWriter(0x4242, Header.FLAG_RD).question(DnsName.of("www.example.test"), RecordType.A, 1)
            .toByteArray();
        List<byte[]> cases = new ArrayList<>();
        cases.add(ok);
        // Not compared: NOTIFY (RFC 1996), which NSD handles as a secondary would; we implement none and say NOTIMP.
        byte[] status = ok.clone();
        status[2] = (byte) (2 << 3); // opcode STATUS
        cases.add(status);
        byte[] tc = ok.clone();
        tc[2] |= 0x02; // TC in a query
        cases.add(tc);
        cases.add(new MessageWriter(7, 0).question(DnsName.of("www.example.test"), 1, 1)
            .question(DnsName.of("ns1.example.test"), 1, 1).toByteArray()); // QDCOUNT 2
        cases.add(new byte[] {0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // QDCOUNT 0
        cases.add(new MessageWriter(9, 0).question(DnsName.of("www.example.test"), 1, 1)
            .opt(4096, 0, 1, false, new byte[0]).toByteArray()); // EDNS version 1: BADVERS
        cases.add(new MessageWriter(10, 0).question(DnsName.of("www.example.test"), 1, 1)
            .opt(1232, 0, 0, false, new byte[0]).opt(1232, 0, 0, false, new byte[0]).toByteArray()); // two OPTs
        cases.add(new byte[] {0, 11, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'a', 'b'}); // label past the end
        cases.add(new byte[] {0, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1}); // question cut short
        cases.add(new MessageWriter(13, 0).question(DnsName.of("www.example.test"), 1, 3).toByteArray()); // CH
        cases.add(new MessageWriter(14, 0).question(DnsName.of("www.example.test"), 1, 254).toByteArray()); // NONE
        byte[] answerCount = ok.clone();
        answerCount[7] = 1; // ANCOUNT 1 with no record
        cases.add(answerCount);
        List<String> mismatches = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            for (byte[] query : cases) {
                String ours = rawSummary(socket, isthmusPort, query);
                String theirs = rawSummary(socket, nsdPort, query);
                if (!ours.equals(theirs)) {
                    mismatches.add(HexFormat.of().formatHex(query) + "\n  isthmus: " + ours + "\n  nsd:     " + theirs);
                }
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /**
     * QCLASS * (RFC 1035 §3.2.5) is answered as class IN, as Knot 3.2 answers it: not compared with NSD, which answers
     * it without AA, negative SOA or the zone's NS. Here each answer must be our class IN answer, itself compared
     * with NSD above.
     */
    @Test
    void qclassAnyIsAnsweredAsClassIn() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            for (String[] q : new String[][] {{"www.example.test", "1"}, {"nope.example.test", "1"},
                {"ftp.example.test", "1"}, {"x.child.example.test", "1"}, {"example.test", "15"},
                {"www.example.test", "28"}, {"www.example.org", "1"}}) {
                String any = rawSummary(socket, isthmusPort, new MessageWriter(15, Header.FLAG_RD)
                    .question(DnsName.of(q[0]), Integer.parseInt(q[1]), 255).toByteArray());
                String in = rawSummary(socket, isthmusPort, new MessageWriter(15, Header.FLAG_RD)
                    .question(DnsName.of(q[0]), Integer.parseInt(q[1]), 1).toByteArray());
                if (!any.replace("qclass=255]", "qclass=1]").equals(in)) {
                    mismatches.add(q[0] + " " + q[1] + "\n  class *:  " + any + "\n  class IN: " + in);
                }
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static String rawSummary(DatagramSocket socket, int port, byte[] query) throws Exception {
        socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return "no answer";
        }
        Message m = MessageReader.read(p.getData(), 0, p.getLength());
        return "flags=" + Integer.toHexString(m.flags()) + " rcode=" + m.extendedRcode() + " qd=" + m.questions()
            + " an=" + m.answers().size() + " ns=" + m.authority().size() + " ar=" + m.additional().size();
    }

    /** kdig's JSON answers of both servers to {@link #queries()}, in their order. */
    record Answers(List<Map<String, Object>> ours, List<Map<String, Object>> theirs) {
    }

    /** Every query of {@link #queries()} to Isthmus and to the other server with kdig {@code options}. */
    static Answers ask(int isthmusPort, int otherPort, List<String> options) throws Exception {
        List<String[]> queries = queries();
        List<String> args = new ArrayList<>();
        for (String[] q : queries) {
            args.add(q[0]);
            args.add(q[1]);
        }
        List<Map<String, Object>> ours = Kdig.ask("127.0.0.1", isthmusPort, options, args);
        List<Map<String, Object>> theirs = Kdig.ask("127.0.0.1", otherPort, options, args);
        assertEquals(queries.size(), ours.size());
        assertEquals(queries.size(), theirs.size());
        return new Answers(ours, theirs);
    }

    private void compare(List<String> options) throws Exception {
        compare(isthmusPort, nsdPort, "nsd", options);
    }

    /** Every query of {@link #queries()} to both servers with kdig {@code options}: all summaries must match. */
    static void compare(int isthmusPort, int otherPort, String other, List<String> options) throws Exception {
        List<String[]> queries = queries();
        Answers answers = ask(isthmusPort, otherPort, options);
        List<Map<String, Object>> ours = answers.ours();
        List<Map<String, Object>> theirs = answers.theirs();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < queries.size(); i++) {
            String key = (queries.get(i)[0] + ". " + queries.get(i)[1]).toLowerCase(Locale.ROOT);
            String a = summary(ours.get(i));
            String b = summary(theirs.get(i));
            compared++;
            if (!a.equals(b)) {
                mismatches.add(key + "\n  isthmus: " + a + "\n  " + other + ":     " + b);
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + compared + " differ:\n" + String.join("\n", mismatches));
        assertTrue(compared > 600);
    }

    /** Header flags, RCODE and the sections as sorted sets of records (owner lower-cased). */
    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        for (String f : new String[] {"QR", "AA", "TC", "RD", "RA", "AD", "CD", "RCODE", "QDCOUNT"}) {
            sb.append(f).append('=').append(m.get(f)).append(' ');
        }
        for (String section : new String[] {"answerRRs", "authorityRRs", "additionalRRs"}) {
            Set<String> set = new TreeSet<>();
            for (Map<String, Object> rr : (Collection<Map<String, Object>>) m.getOrDefault(section, List.of())) {
                set.add(String.valueOf(rr.get("NAME")).toLowerCase(Locale.ROOT) + " " + rr.get("TYPE") + " "
                    + rr.get("CLASS") + " " + rr.get("TTL") + " " + rr.get("RDATAHEX"));
            }
            sb.append(section).append('=').append(set).append(' ');
        }
        return sb.toString();
    }
}
