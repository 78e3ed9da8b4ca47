package dev.isthmus.dns.tsig;

import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;

import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;

/**
 * Signs and verifies single messages (RFC 8945 §4 and §5). The MAC covers, in order (§4.3.3): the request's MAC when
 * signing an answer, the message as it was before the TSIG record was added, and the "TSIG variables" (key name and
 * algorithm name in canonical form, CLASS ANY, TTL 0, Time Signed, Fudge, Error, Other Len, Other Data).
 */
public final class Tsig {

    /** RFC 8945 §10: "a fudge value of 300 seconds is RECOMMENDED". */
    public static final int DEFAULT_FUDGE = 300;

    private Tsig() {
    }

    /** A signed message and the MAC it carries (an answer to it, or the next envelope of a stream, covers it). */
    public record Signed(byte[] message, byte[] mac) {
    }

    /**
     * Signs a request (no request MAC) or an answer (with the MAC of the request it answers).
     *
     * @param message the complete message without a TSIG record
     * @param requestMac null when signing a request
     * @param now seconds since the epoch
     */
    public static Signed sign(byte[] message, TsigKey key, byte[] requestMac, long now) {
        return sign(message, key, requestMac, now, DEFAULT_FUDGE, 0, new byte[0]);
    }

    /** Signs with an explicit fudge, Error and Other Data (a BADTIME answer carries the server's time there). */
    public static Signed sign(byte[] message, TsigKey key, byte[] requestMac, long now, int fudge, int error,
            byte[] otherData) {
        Mac mac = key.algorithm().newMac(key.secret());
        if (requestMac != null) {
            updateMacField(mac, requestMac);
        }
        mac.update(message);
        updateVariables(mac, key, now, fudge, error, otherData);
        byte[] digest = mac.doFinal();
        return new Signed(append(message, key.name().wire(), key.algorithm().wireName().wire(), now, fudge, digest,
                error, otherData), digest);
    }

    /**
     * Appends an unsigned TSIG record (MAC Size 0) carrying {@code error}: how BADKEY and BADSIG are answered
     * (RFC 8945 §5.3.2: the server "MUST NOT generate a MAC" when it cannot or must not use the key).
     */
    public static byte[] appendError(byte[] message, TsigRecord request, long now, int error) {
        // The key and algorithm names are echoed as the request gave them, which may be ones we do not know.
        return append(message, request.keyName().wire(), request.algorithmName().wire(), now, request.fudge(),
                new byte[0], error, new byte[0]);
    }

    /**
     * Verifies a request (requestMac null) or an answer to a request whose MAC was {@code requestMac}, in the order
     * of RFC 8945 §5.2: key, then MAC (with the truncation rules of §5.2.2.1), then time.
     *
     * @param minimumMacLength local policy for truncated MACs; shorter (but otherwise acceptable) ones are BADTRUNC
     */
    public static TsigResult verify(byte[] message, int length, TsigKeyring keys, byte[] requestMac, long now,
            int minimumMacLength) {
        TsigRecord record;
        try {
            record = TsigRecord.find(message, length);
        } catch (TsigFormatException e) {
            return new TsigResult(TsigStatus.FORMERR, null, null, e.getMessage());
        }
        if (record == null) {
            return new TsigResult(TsigStatus.UNSIGNED, null, null, "no TSIG record");
        }
        TsigKey key = keys.find(record.keyName());
        TsigAlgorithm algorithm = TsigAlgorithm.byWireName(record.algorithmName());
        if (key == null || algorithm != key.algorithm()) {
            // RFC 8945 §5.2.1: unknown key name or an algorithm that does not match the key's: BADKEY.
            return new TsigResult(TsigStatus.BADKEY, record, null,
                    "unknown key " + record.keyName() + " (" + record.algorithmName() + ")");
        }
        if (requestMac != null && record.error() != 0 && record.mac().length == 0) {
            // An unsigned error answer (BADKEY/BADSIG from the peer, RFC 8945 §5.3.2).
            return new TsigResult(TsigStatus.PEER_ERROR, record, key, "peer answered TSIG error "
                    + errorName(record.error()));
        }
        Mac mac = key.algorithm().newMac(key.secret());
        if (requestMac != null) {
            updateMacField(mac, requestMac);
        }
        updateStripped(mac, message, record);
        updateVariables(mac, record);
        return checkMac(mac.doFinal(), record, key, now, minimumMacLength);
    }

    /** {@link #verify(byte[], int, TsigKeyring, byte[], long, int)} accepting only untruncated MACs. */
    public static TsigResult verify(byte[] message, TsigKeyring keys, byte[] requestMac, long now) {
        return verify(message, message.length, keys, requestMac, now, Integer.MAX_VALUE);
    }

    /** Compares the computed MAC with the received one, then checks the time: shared with the stream verifier. */
    static TsigResult checkMac(byte[] computed, TsigRecord record, TsigKey key, long now, int minimumMacLength) {
        int size = record.mac().length;
        int min = key.algorithm().minimumMacLength();
        if (size > computed.length || size < min) {
            // RFC 8945 §5.2.2.1: a MAC longer than the hash, or shorter than both 10 octets and half the hash
            // output, is a format error.
            return new TsigResult(TsigStatus.FORMERR, record, key, "MAC size " + size + " outside " + min + ".."
                    + computed.length);
        }
        if (!MessageDigest.isEqual(Arrays.copyOf(computed, size), record.mac())) {
            return new TsigResult(TsigStatus.BADSIG, record, key, "MAC does not verify with key " + key.name());
        }
        if (size < Math.min(minimumMacLength, computed.length)) {
            // RFC 8945 §5.2.2.1: truncated below local policy, checked only after the MAC itself verified.
            return new TsigResult(TsigStatus.BADTRUNC, record, key, "MAC truncated to " + size + " octets");
        }
        if (Math.abs(now - record.timeSigned()) > record.fudge()) {
            // RFC 8945 §5.2.3: checked after the MAC, so an attacker cannot learn our clock from BADTIME answers.
            return new TsigResult(TsigStatus.BADTIME, record, key, "signed at " + record.timeSigned()
                    + ", our clock " + now + ", fudge " + record.fudge());
        }
        if (record.error() != 0) {
            return new TsigResult(TsigStatus.PEER_ERROR, record, key, "peer answered TSIG error "
                    + errorName(record.error()));
        }
        return new TsigResult(TsigStatus.OK, record, key, "verified with key " + key.name());
    }

    /** @return the RFC 8945 name of a TSIG error code */
    public static String errorName(int error) {
        return switch (error) {
            case 16 -> "BADSIG";
            case 17 -> "BADKEY";
            case 18 -> "BADTIME";
            case 22 -> "BADTRUNC";
            default -> Integer.toString(error);
        };
    }

    /** A MAC as a digest component: its size in two octets, then the MAC (RFC 8945 §4.3.1, §4.3.2). */
    static void updateMacField(Mac mac, byte[] value) {
        mac.update((byte) (value.length >>> 8));
        mac.update((byte) value.length);
        mac.update(value);
    }

    /**
     * The message as it was before signing: the TSIG record removed, ARCOUNT decremented and the ID restored to the
     * Original ID (RFC 8945 §4.3.2, §5.2: a forwarder may have changed the ID).
     */
    static void updateStripped(Mac mac, byte[] message, TsigRecord record) {
        byte[] header = Arrays.copyOf(message, Header.LENGTH);
        header[Header.ID_OFFSET] = (byte) (record.originalId() >>> 8);
        header[Header.ID_OFFSET + 1] = (byte) record.originalId();
        int ar = TsigRecord.u16(header, Header.ARCOUNT_OFFSET) - 1;
        header[Header.ARCOUNT_OFFSET] = (byte) (ar >>> 8);
        header[Header.ARCOUNT_OFFSET + 1] = (byte) ar;
        mac.update(header);
        mac.update(message, Header.LENGTH, record.offset() - Header.LENGTH);
    }

    private static void updateVariables(Mac mac, TsigKey key, long time, int fudge, int error, byte[] other) {
        mac.update(key.name().canonical());
        updateCommon(mac, key.algorithm().wireName().canonical(), time, fudge, error, other);
    }

    private static void updateVariables(Mac mac, TsigRecord record) {
        mac.update(record.keyName().canonical());
        updateCommon(mac, record.algorithmName().canonical(), record.timeSigned(), record.fudge(), record.error(),
                record.otherData());
    }

    /** RFC 8945 §4.3.3: CLASS, TTL, Algorithm Name, Time Signed, Fudge, Error, Other Len, Other Data. */
    private static void updateCommon(Mac mac, byte[] algorithm, long time, int fudge, int error, byte[] other) {
        mac.update(new byte[] {0, (byte) TsigRecord.CLASS_ANY, 0, 0, 0, 0});
        mac.update(algorithm);
        updateTimers(mac, time, fudge);
        mac.update(new byte[] {(byte) (error >>> 8), (byte) error, (byte) (other.length >>> 8),
                (byte) other.length});
        mac.update(other);
    }

    /** RFC 8945 §4.3.1: the "TSIG timers", Time Signed (48 bits) then Fudge. */
    static void updateTimers(Mac mac, long time, int fudge) {
        mac.update(new byte[] {(byte) (time >>> 40), (byte) (time >>> 32), (byte) (time >>> 24),
                (byte) (time >>> 16), (byte) (time >>> 8), (byte) time, (byte) (fudge >>> 8), (byte) fudge});
    }

    /** Appends the TSIG record (names uncompressed, RFC 8945 §4.2) and increments ARCOUNT. */
    static byte[] append(byte[] message, byte[] owner, byte[] algorithm, long time, int fudge, byte[] digest,
            int error, byte[] other) {
        int rdLength = algorithm.length + 10 + digest.length + 6 + other.length;
        byte[] out = Arrays.copyOf(message, message.length + owner.length + 10 + rdLength);
        int p = message.length;
        System.arraycopy(owner, 0, out, p, owner.length);
        p += owner.length;
        p = put16(out, p, RecordType.TSIG);
        p = put16(out, p, TsigRecord.CLASS_ANY);
        p = put16(out, p, 0);
        p = put16(out, p, 0);
        p = put16(out, p, rdLength);
        System.arraycopy(algorithm, 0, out, p, algorithm.length);
        p += algorithm.length;
        p = put16(out, p, (int) (time >>> 32));
        p = put16(out, p, (int) (time >>> 16));
        p = put16(out, p, (int) time);
        p = put16(out, p, fudge);
        p = put16(out, p, digest.length);
        System.arraycopy(digest, 0, out, p, digest.length);
        p += digest.length;
        p = put16(out, p, TsigRecord.u16(message, Header.ID_OFFSET));
        p = put16(out, p, error);
        p = put16(out, p, other.length);
        System.arraycopy(other, 0, out, p, other.length);
        int ar = TsigRecord.u16(out, Header.ARCOUNT_OFFSET) + 1;
        put16(out, Header.ARCOUNT_OFFSET, ar);
        return out;
    }

    static int put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }
}
