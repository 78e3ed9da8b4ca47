package dev.isthmus.dns.xfr;

import static dev.isthmus.dns.xfr.TransferTestSupport.answers;
import static dev.isthmus.dns.xfr.TransferTestSupport.axfrQuery;
import static dev.isthmus.dns.xfr.TransferTestSupport.ixfrQuery;
import static dev.isthmus.dns.xfr.TransferTestSupport.messages;
import static dev.isthmus.dns.xfr.TransferTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.tsig.TsigStreamVerifier;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AXFR and IXFR answered from the catalog and the history, the access rules, and IXFR over UDP in the engine. */
class TransferResponderTest {
    static final DnsName ORIGIN = DnsName.of("example.test");
    static final InetAddress ALLOWED = InetAddress.ofLiteral("198.18.0.2");
    static final InetAddress OTHER = InetAddress.ofLiteral("198.19.0.2");

    ZoneCatalog catalog;
    ZoneTransfers transfers;
    TransferResponder responder;

    @BeforeEach
    void setUp() throws Exception {
        catalog = new ZoneCatalog();
        transfers = ZoneTransfers.of(catalog);
        transfers.policies(TransferPolicies.NONE.with(ORIGIN,
            new TransferPolicy(List.of(AddressPrefix.parse("198.18.0.0/24")), List.of(), null)));
        catalog.replace("example.test", TransferTestSupport.zone(1));
        responder = transfers.responder(1024);
    }

    private List<Message> ask(byte[] query, InetAddress peer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(TransferResponder.isTransfer(query, 0, query.length));
        assertTrue(responder.serve(query, 0, query.length, peer, out));
        return messages(out.toByteArray());
    }

    private ResourceRecord soa() {
        return ZoneHistory.soa(catalog.zones().get(ORIGIN).apexRecordList());
    }

    @Test
    void axfrSendsTheZoneFramedBySoa() throws Exception {
        List<Message> m = ask(axfrQuery(7, "example.test"), ALLOWED);
        List<WireRecord> got = answers(m);
        assertEquals(catalog.zones().get(ORIGIN).records() + 1, got.size());
        assertEquals(text(soa()), text(got.get(0)));
        assertEquals(text(soa()), text(got.get(got.size() - 1)));
        assertEquals(Rcode.NOERROR, m.get(0).rcode());
        assertEquals(1, transfers.counters().snapshot().get("axfr"));
    }

    @Test
    void ixfrSendsTheStepsInRfc1995Order() throws Exception {
        ResourceRecord v1 = soa();
        catalog.replace("example.test", TransferTestSupport.zone(2, "a A 198.18.0.1"));
        ResourceRecord v2 = soa();
        catalog.replace("example.test", TransferTestSupport.zone(3, "a A 198.18.0.1")
            .replace("www A 198.18.0.80", "www A 198.18.0.81"));
        ResourceRecord v3 = soa();
        List<String> got = answers(ask(ixfrQuery(9, "example.test", v1), ALLOWED)).stream()
            .map(TransferTestSupport::text).toList();
        List<String> expected = List.of(text(v3),
            text(v1), text(v2), "a.example.test. 3600 A c6120001",
            text(v2), "www.example.test. 3600 A c6120050", text(v3), "www.example.test. 3600 A c6120051",
            text(v3));
        assertEquals(expected, got);
        List<String> fromV2 = answers(ask(ixfrQuery(10, "example.test", v2), ALLOWED)).stream()
            .map(TransferTestSupport::text).toList();
        assertEquals(List.of(text(v3), text(v2), "www.example.test. 3600 A c6120050", text(v3),
            "www.example.test. 3600 A c6120051", text(v3)), fromV2);
        assertEquals(2, transfers.counters().snapshot().get("ixfr"));
    }

    @Test
    void ixfrFromTheCurrentSerialIsTheSoaAlone() throws Exception {
        List<WireRecord> got = answers(ask(ixfrQuery(9, "example.test", soa()), ALLOWED));
        assertEquals(List.of(text(soa())), got.stream().map(TransferTestSupport::text).toList());
        assertEquals(1, transfers.counters().snapshot().get("ixfr_up_to_date"));
    }

    @Test
    void ixfrFromAnUnknownSerialGetsTheWholeZone() throws Exception {
        ResourceRecord unknown = ZoneHistoryTest.soaWithSerial(soa(), 0);
        catalog.replace("example.test", TransferTestSupport.zone(2, "a A 198.18.0.1"));
        List<WireRecord> got = answers(ask(ixfrQuery(9, "example.test", unknown), ALLOWED));
        assertEquals(catalog.zones().get(ORIGIN).records() + 1, got.size(), "AXFR form: SOA, records, SOA");
        assertEquals(RecordType.SOA, got.get(0).type());
        assertTrue(got.subList(1, got.size() - 1).stream().noneMatch(r -> r.type() == RecordType.SOA));
        assertEquals(1, transfers.counters().snapshot().get("ixfr_as_axfr"));
    }

    @Test
    void refusedAndNotAuthoritative() throws Exception {
        Message refused = ask(axfrQuery(3, "example.test"), OTHER).get(0);
        assertEquals(Rcode.REFUSED, refused.rcode());
        assertEquals(1, refused.questions().size(), "RFC 5936 §2.2.1: the question copied");
        assertEquals(0, refused.answers().size());
        assertEquals(TransferResponder.NOTAUTH, ask(axfrQuery(4, "example.net"), ALLOWED).get(0).rcode());
        transfers.policies(TransferPolicies.NONE);
        assertEquals(Rcode.REFUSED, ask(axfrQuery(5, "example.test"), ALLOWED).get(0).rcode(),
            "no allow-transfer: refused");
        transfers.policies(new TransferPolicies(java.util.Map.of(),
            new TransferPolicy(List.of(AddressPrefix.parse("198.18.0.2")), List.of(), null)));
        assertEquals(Rcode.NOERROR, ask(axfrQuery(6, "example.test"), ALLOWED).get(0).rcode(), "the global list");
        assertEquals(Rcode.REFUSED, ask(axfrQuery(6, "example.test"),
            InetAddress.ofLiteral("::ffff:198.18.0.3")).get(0).rcode());
        assertEquals(Rcode.NOERROR, ask(axfrQuery(6, "example.test"),
            InetAddress.ofLiteral("::ffff:198.18.0.2")).get(0).rcode(), "IPv4-mapped peers match as IPv4");
        var c = transfers.counters().snapshot();
        assertEquals(3, c.get("refused"));
        assertEquals(1, c.get("notauth"));
    }

    static final TsigKey KEY = TsigKey.parse("xfr.key", "hmac-sha256", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0ISE=");
    static final TsigKey OTHER_KEY = TsigKey.parse("other.key", "hmac-sha256", "b3RoZXItb3RoZXItb3RoZXItb3RoZXIhIQ==");

    private void requireKey() {
        transfers.policies(new TransferPolicies(java.util.Map.of(ORIGIN, new TransferPolicy(List.of(), List.of(),
            "xfr.key")), TransferPolicy.NONE, TsigKeyring.of(KEY, OTHER_KEY)));
    }

    private static byte[] frames(ByteArrayOutputStream out, int index) {
        byte[] b = out.toByteArray();
        int p = 0;
        for (int i = 0; ; i++) {
            int n = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            if (i == index) {
                return java.util.Arrays.copyOfRange(b, p + 2, p + 2 + n);
            }
            p += 2 + n;
        }
    }

    @Test
    void aSignedAxfrIsSignedMessageByMessage() throws Exception {
        requireKey();
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            extra.append("h").append(i).append(" TXT \"").append("x".repeat(60)).append("\"\n");
        }
        catalog.replace("example.test", TransferTestSupport.zone(5, extra.toString()));
        Tsig.Signed request = Tsig.sign(axfrQuery(11, "example.test"), KEY, null, System.currentTimeMillis() / 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        responder.serve(request.message(), 0, request.message().length, OTHER, out);
        List<Message> messages = messages(out.toByteArray());
        assertTrue(messages.size() > 3, "several messages of at most 1024 octets: " + messages.size());
        TsigStreamVerifier verifier = new TsigStreamVerifier(KEY, request.mac(),
            () -> System.currentTimeMillis() / 1000);
        for (int i = 0; i < messages.size(); i++) {
            byte[] m = frames(out, i);
            assertTrue(m.length <= 1024, "message of " + m.length + " octets, TSIG included");
            TsigResult r = verifier.next(m, m.length);
            assertTrue(r.ok(), "message " + i + ": " + r.detail());
        }
        assertTrue(verifier.complete());
        assertEquals(catalog.zones().get(ORIGIN).records() + 1, answers(messages).size(), "the key alone admits");
    }

    @Test
    void aZoneThatRequiresAKeyRefusesUnsignedAndOtherKeysAndAnswersBadKeysNotAuth() throws Exception {
        requireKey();
        assertEquals(Rcode.REFUSED, ask(axfrQuery(1, "example.test"), ALLOWED).get(0).rcode(), "unsigned");
        Tsig.Signed other = Tsig.sign(axfrQuery(2, "example.test"), OTHER_KEY, null,
            System.currentTimeMillis() / 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        responder.serve(other.message(), 0, other.message().length, ALLOWED, out);
        Message refused = messages(out.toByteArray()).get(0);
        assertEquals(Rcode.REFUSED, refused.rcode(), "a known key, but not the zone's");
        byte[] signedRefusal = frames(out, 0);
        assertTrue(Tsig.verify(signedRefusal, TsigKeyring.of(OTHER_KEY), other.mac(),
            System.currentTimeMillis() / 1000).ok(), "the refusal is signed with the request's key");
        TsigKey unknown = TsigKey.parse("xfr.key", "hmac-sha256", "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmch");
        Tsig.Signed forged = Tsig.sign(axfrQuery(3, "example.test"), unknown, null, System.currentTimeMillis() / 1000);
        out.reset();
        responder.serve(forged.message(), 0, forged.message().length, ALLOWED, out);
        Message badSig = messages(out.toByteArray()).get(0);
        assertEquals(TransferResponder.NOTAUTH, badSig.rcode(), "RFC 8945 §5.2.2: BADSIG is NOTAUTH");
        assertEquals(RecordType.TSIG, badSig.additional().get(badSig.additional().size() - 1).type());
        Tsig.Signed stale = Tsig.sign(axfrQuery(4, "example.test"), KEY, null, System.currentTimeMillis() / 1000
            - 3600);
        out.reset();
        responder.serve(stale.message(), 0, stale.message().length, ALLOWED, out);
        assertEquals(TransferResponder.NOTAUTH, messages(out.toByteArray()).get(0).rcode(), "BADTIME");
        assertEquals(2, transfers.counters().snapshot().get("notauth"));
        assertEquals(2, transfers.counters().snapshot().get("refused"));
    }

    @Test
    void ixfrWithoutItsSoaIsFormErr() throws Exception {
        byte[] q = new MessageWriter(1, 0).question(ORIGIN, RecordType.IXFR, 1).toByteArray();
        assertEquals(Rcode.FORMERR, ask(q, ALLOWED).get(0).rcode());
    }

    @Test
    void otherQueriesAreNotTransfers() {
        byte[] a = new MessageWriter(1, 0).question(ORIGIN, RecordType.A, 1).toByteArray();
        assertFalse(TransferResponder.isTransfer(a, 0, a.length));
        byte[] response = new MessageWriter(1, Header.FLAG_QR).question(ORIGIN, RecordType.AXFR, 1).toByteArray();
        assertFalse(TransferResponder.isTransfer(response, 0, response.length));
    }

    private Message udp(byte[] query) throws Exception {
        byte[] buf = java.util.Arrays.copyOf(query, 1232);
        int n = new QueryEngine(catalog).answer(MemorySegment.ofArray(buf), 0, query.length, buf.length, 1232);
        return MessageReader.read(buf, 0, n);
    }

    @Test
    void ixfrOverUdpIsTheSoaAloneAndTcWhenBehind() throws Exception {
        ResourceRecord v1 = soa();
        Message upToDate = udp(ixfrQuery(1, "example.test", v1));
        assertEquals(Rcode.NOERROR, upToDate.rcode());
        assertFalse(upToDate.flag(Header.FLAG_TC));
        assertEquals(List.of(text(v1)), upToDate.answers().stream().map(TransferTestSupport::text).toList());
        assertEquals(0, upToDate.authority().size() + upToDate.additional().size());
        catalog.replace("example.test", TransferTestSupport.zone(2, "a A 198.18.0.1"));
        Message behind = udp(ixfrQuery(2, "example.test", v1));
        assertTrue(behind.flag(Header.FLAG_TC), "RFC 1995 §2: retry over TCP");
        assertEquals(List.of(text(soa())), behind.answers().stream().map(TransferTestSupport::text).toList());
        assertEquals(Rcode.REFUSED, udp(axfrQuery(3, "example.test")).rcode(), "no AXFR over UDP");
        ResourceRecord wrongOwner = new ResourceRecord(DnsName.of("www.example.test"), RecordType.SOA, 1, 1,
            v1.rdata());
        assertEquals(9, udp(ixfrQuery(4, "www.example.test", wrongOwner)).rcode(), "not a zone apex: NOTAUTH");
        byte[] aWithAuthority = new MessageWriter(5, 0).question(ORIGIN, RecordType.A, 1)
            .record(2, ORIGIN, RecordType.SOA, 1, 1, v1.rdata()).toByteArray();
        assertEquals(Rcode.FORMERR, udp(aWithAuthority).rcode());
    }
}
