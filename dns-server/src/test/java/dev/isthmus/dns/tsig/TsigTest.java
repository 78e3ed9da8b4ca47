package dev.isthmus.dns.tsig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * TSIG against real peers: requests signed by BIND's {@code dig -y}, answers and a multi-message AXFR signed by Knot
 * (src/test/resources/tsig/make-vectors.sh regenerates them), then our own signer checked by the same verifier.
 */
class TsigTest {

    private static final TsigKey KEY = TsigKey.parse("xfr", "hmac-sha256", resource("secret.b64"));
    private static final TsigKeyring KEYS = TsigKeyring.of(KEY);

    @Test
    void verifiesDigsRequestAndKnotsAnswer() throws Exception {
        List<byte[]> soa = frames("soa-query.bin");
        byte[] query = soa.get(0);
        byte[] answer = soa.get(1);
        long signed = TsigRecord.find(query, query.length).timeSigned();

        TsigResult q = Tsig.verify(query, KEYS, null, signed);
        assertEquals(TsigStatus.OK, q.status(), q.detail());
        assertEquals(32, q.mac().length);

        TsigResult a = Tsig.verify(answer, KEYS, q.mac(), signed);
        assertEquals(TsigStatus.OK, a.status(), a.detail());
        // The answer's MAC covers the request's: a different request MAC must not verify it.
        byte[] otherMac = q.mac().clone();
        otherMac[0] ^= 1;
        assertEquals(TsigStatus.BADSIG, Tsig.verify(answer, KEYS, otherMac, signed).status());
    }

    @Test
    void aChangedByteIsBadsig() throws Exception {
        byte[] query = frames("soa-query.bin").get(0);
        long signed = TsigRecord.find(query, query.length).timeSigned();
        for (int at : new int[] {2, Header.LENGTH + 3}) {
            byte[] bad = query.clone();
            bad[at] ^= 0x20;
            assertEquals(TsigStatus.BADSIG, Tsig.verify(bad, KEYS, null, signed).status(), "byte " + at);
        }
        // The ID is not covered as sent but as the Original ID (RFC 8945 §4.3.2): a forwarder may rewrite it.
        byte[] newId = query.clone();
        newId[0] ^= 0x55;
        assertEquals(TsigStatus.OK, Tsig.verify(newId, KEYS, null, signed).status());
    }

    @Test
    void unknownKeyWrongSecretAndClockSkew() throws Exception {
        byte[] query = frames("soa-query.bin").get(0);
        long signed = TsigRecord.find(query, query.length).timeSigned();
        TsigKey otherName = TsigKey.parse("other", "hmac-sha256", resource("secret.b64"));
        assertEquals(TsigStatus.BADKEY, Tsig.verify(query, TsigKeyring.of(otherName), null, signed).status());
        TsigKey otherAlgorithm = TsigKey.parse("xfr", "hmac-sha512", resource("secret.b64"));
        assertEquals(TsigStatus.BADKEY, Tsig.verify(query, TsigKeyring.of(otherAlgorithm), null, signed).status());
        TsigKey otherSecret = TsigKey.parse("xfr", "hmac-sha256", "c2VjcmV0");
        assertEquals(TsigStatus.BADSIG, Tsig.verify(query, TsigKeyring.of(otherSecret), null, signed).status());
        assertEquals(TsigStatus.BADKEY, Tsig.verify(query, TsigKeyring.EMPTY, null, signed).status());
        int fudge = TsigRecord.find(query, query.length).fudge();
        assertEquals(TsigStatus.OK, Tsig.verify(query, KEYS, null, signed + fudge).status());
        assertEquals(TsigStatus.BADTIME, Tsig.verify(query, KEYS, null, signed + fudge + 1).status());
        assertEquals(TsigStatus.BADTIME, Tsig.verify(query, KEYS, null, signed - fudge - 1).status());
    }

    @Test
    void truncatedMacRules() throws Exception {
        byte[] query = frames("soa-query.bin").get(0);
        TsigRecord r = TsigRecord.find(query, query.length);
        long t = r.timeSigned();
        // RFC 8945 §5.2.2.1: 16 of 32 octets is acceptable to the protocol; our default policy wants the whole MAC.
        byte[] truncated16 = withMac(query, r, Arrays.copyOf(r.mac(), 16));
        assertEquals(TsigStatus.BADTRUNC, Tsig.verify(truncated16, KEYS, null, t).status());
        assertEquals(TsigStatus.OK, Tsig.verify(truncated16, truncated16.length, KEYS, null, t, 16).status());
        // Below half the hash (or below 10 octets) and longer than the hash are format errors.
        byte[] truncated15 = withMac(query, r, Arrays.copyOf(r.mac(), 15));
        assertEquals(TsigStatus.FORMERR, Tsig.verify(truncated15, truncated15.length, KEYS, null, t, 1).status());
        byte[] tooLong = withMac(query, r, Arrays.copyOf(r.mac(), 33));
        assertEquals(TsigStatus.FORMERR, Tsig.verify(tooLong, KEYS, null, t).status());
        // A truncated MAC that is wrong is BADSIG, not BADTRUNC: the MAC is checked first.
        byte[] wrong = Arrays.copyOf(r.mac(), 16);
        wrong[15] ^= 1;
        assertEquals(TsigStatus.BADSIG, Tsig.verify(withMac(query, r, wrong), KEYS, null, t).status());
    }

    @Test
    void misplacedOrMalformedTsigIsFormerr() throws Exception {
        byte[] query = frames("soa-query.bin").get(0);
        long t = TsigRecord.find(query, query.length).timeSigned();
        byte[] shortened = Arrays.copyOf(query, query.length - 3);
        assertEquals(TsigStatus.FORMERR, Tsig.verify(shortened, KEYS, null, t).status());
        // ARCOUNT raised so that the TSIG record is no longer last: a FORMERR, not a signature to check.
        byte[] trailing = Tsig.append(query, DnsName.of("x").wire(), DnsName.of("y").wire(), t, 300, new byte[0], 0,
                new byte[0]);
        assertEquals(TsigStatus.FORMERR, Tsig.verify(trailing, KEYS, null, t).status());
        byte[] unsigned = new MessageWriter(7, 0).question(DnsName.of("example.org"), RecordType.SOA, DnsClass.IN)
                .toByteArray();
        assertEquals(TsigStatus.UNSIGNED, Tsig.verify(unsigned, KEYS, null, t).status());
    }

    @Test
    void knotsAxfrStreamVerifies() throws Exception {
        List<byte[]> axfr = frames("axfr.bin");
        assertTrue(axfr.size() >= 4, "the vector holds a multi-message transfer");
        TsigResult q = Tsig.verify(axfr.get(0), KEYS, null, TsigRecord.find(axfr.get(0), axfr.get(0).length)
                .timeSigned());
        assertEquals(TsigStatus.OK, q.status(), q.detail());
        long t = q.record().timeSigned();
        TsigStreamVerifier v = new TsigStreamVerifier(KEY, q.mac(), () -> t);
        for (int i = 1; i < axfr.size(); i++) {
            TsigResult r = v.next(axfr.get(i), axfr.get(i).length);
            assertEquals(TsigStatus.OK, r.status(), "message " + i + ": " + r.detail());
            assertNotNull(r.record(), "Knot signs every message");
        }
        assertTrue(v.complete());
    }

    @Test
    void strippingAnEnvelopeOrChangingAMessageBreaksTheStream() throws Exception {
        List<byte[]> axfr = frames("axfr.bin");
        byte[] requestMac = TsigRecord.find(axfr.get(0), axfr.get(0).length).mac();
        long t = TsigRecord.find(axfr.get(0), axfr.get(0).length).timeSigned();

        TsigStreamVerifier stripped = new TsigStreamVerifier(KEY, requestMac, () -> t);
        assertTrue(stripped.next(axfr.get(1), axfr.get(1).length).ok());
        byte[] middle = strip(axfr.get(2));
        assertTrue(stripped.next(middle, middle.length).ok(), "an unsigned intermediate is allowed");
        assertFalse(stripped.complete());
        assertEquals(TsigStatus.BADSIG, stripped.next(axfr.get(3), axfr.get(3).length).status(),
                "but the next envelope no longer covers what was really sent");

        TsigStreamVerifier changed = new TsigStreamVerifier(KEY, requestMac, () -> t);
        assertTrue(changed.next(axfr.get(1), axfr.get(1).length).ok());
        byte[] bad = axfr.get(2).clone();
        bad[100] ^= 1;
        assertEquals(TsigStatus.BADSIG, changed.next(bad, bad.length).status());

        TsigStreamVerifier unsignedFirst = new TsigStreamVerifier(KEY, requestMac, () -> t);
        byte[] first = strip(axfr.get(1));
        assertEquals(TsigStatus.UNSIGNED, unsignedFirst.next(first, first.length).status());
    }

    @Test
    void ourStreamSignerSignsWhatTheVerifierAccepts() {
        for (TsigAlgorithm algorithm : TsigAlgorithm.values()) {
            TsigKey key = new TsigKey(DnsName.of("k.example"), algorithm,
                    "0123456789".getBytes(StandardCharsets.UTF_8));
            byte[] request = new MessageWriter(99, 0).question(DnsName.of("example.org"), RecordType.AXFR, DnsClass.IN)
                    .toByteArray();
            Tsig.Signed signedRequest = Tsig.sign(request, key, null, 1_000_000);
            TsigResult verified = Tsig.verify(signedRequest.message(), TsigKeyring.of(key), null, 1_000_010);
            assertEquals(TsigStatus.OK, verified.status(), algorithm + ": " + verified.detail());
            assertArrayEquals(signedRequest.mac(), verified.mac());

            TsigStreamSigner signer = new TsigStreamSigner(key, verified.mac(), () -> 1_000_020);
            TsigStreamVerifier verifier = new TsigStreamVerifier(key, verified.mac(), () -> 1_000_030);
            List<byte[]> sent = new ArrayList<>();
            sent.add(signer.sign(answer(99, 0)));
            for (int i = 1; i <= TsigStreamVerifier.MAX_UNSIGNED_IN_A_ROW; i++) {
                byte[] m = answer(99, i);
                signer.passUnsigned(m);
                sent.add(m);
            }
            assertThrows(IllegalStateException.class, () -> signer.passUnsigned(answer(99, 100)));
            sent.add(signer.sign(answer(99, 100)));
            sent.add(signer.sign(answer(99, 101)));
            for (byte[] m : sent) {
                TsigResult r = verifier.next(m, m.length);
                assertEquals(TsigStatus.OK, r.status(), algorithm + ": " + r.detail());
            }
            assertTrue(verifier.complete());

            // One unsigned message too many is refused by the verifier.
            TsigStreamVerifier strict = new TsigStreamVerifier(key, verified.mac(), () -> 1_000_030);
            assertTrue(strict.next(sent.get(0), sent.get(0).length).ok());
            for (int i = 1; i <= TsigStreamVerifier.MAX_UNSIGNED_IN_A_ROW; i++) {
                assertTrue(strict.next(sent.get(i), sent.get(i).length).ok());
            }
            byte[] extra = answer(99, 555);
            assertEquals(TsigStatus.UNSIGNED, strict.next(extra, extra.length).status());
        }
    }

    @Test
    void errorAnswersEchoTheKeyUnsigned() throws Exception {
        byte[] query = frames("soa-query.bin").get(0);
        TsigRecord r = TsigRecord.find(query, query.length);
        byte[] answer = new MessageWriter(r.originalId(), Header.FLAG_QR | TsigStatus.RCODE_NOTAUTH).toByteArray();
        byte[] error = Tsig.appendError(answer, r, r.timeSigned(), TsigStatus.BADKEY.errorCode());
        TsigRecord e = TsigRecord.find(error, error.length);
        assertEquals(r.keyName(), e.keyName());
        assertEquals(r.algorithmName(), e.algorithmName());
        assertEquals(0, e.mac().length);
        assertEquals(17, e.error());
        TsigResult seen = Tsig.verify(error, KEYS, r.mac(), r.timeSigned());
        assertEquals(TsigStatus.PEER_ERROR, seen.status(), seen.detail());
    }

    @Test
    void keyConfigurationNamesTheBadField() {
        assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("k", "hmac-md5", "c2VjcmV0"), "algorithm");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TsigKey.parse("k", "hmac-sha256", "not base64!"));
        assertTrue(e.getMessage().startsWith("secret:"), e.getMessage());
        assertEquals(TsigAlgorithm.HMAC_SHA512, TsigKey.parse("k", "HMAC-SHA512.", "c2VjcmV0").algorithm());
        assertFalse(TsigKey.parse("k", "hmac-sha1", "c2VjcmV0").toString().contains("c2Vj"));
    }

    private static byte[] answer(int id, int serial) {
        byte[] rdata = new byte[4];
        rdata[3] = (byte) serial;
        rdata[2] = (byte) (serial >>> 8);
        return new MessageWriter(id, Header.FLAG_QR | Header.FLAG_AA)
                .record(1, DnsName.of("a" + serial + ".example.org"), RecordType.A, DnsClass.IN, 60, rdata)
                .toByteArray();
    }

    /** The message with its TSIG record removed and ARCOUNT decremented. */
    private static byte[] strip(byte[] signed) throws TsigFormatException {
        TsigRecord r = TsigRecord.find(signed, signed.length);
        byte[] out = Arrays.copyOf(signed, r.offset());
        Tsig.put16(out, Header.ARCOUNT_OFFSET, TsigRecord.u16(out, Header.ARCOUNT_OFFSET) - 1);
        return out;
    }

    private static byte[] withMac(byte[] signed, TsigRecord r, byte[] mac) throws TsigFormatException {
        return Tsig.append(strip(signed), r.keyName().wire(), r.algorithmName().wire(), r.timeSigned(), r.fudge(),
                mac, r.error(), r.otherData());
    }

    private static List<byte[]> frames(String name) throws IOException {
        byte[] all;
        try (InputStream in = TsigTest.class.getResourceAsStream("/tsig/" + name)) {
            all = in.readAllBytes();
        }
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < all.length;) {
            int n = ((all[p] & 0xFF) << 8) | (all[p + 1] & 0xFF);
            out.add(Arrays.copyOfRange(all, p + 2, p + 2 + n));
            p += 2 + n;
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = TsigTest.class.getResourceAsStream("/tsig/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
