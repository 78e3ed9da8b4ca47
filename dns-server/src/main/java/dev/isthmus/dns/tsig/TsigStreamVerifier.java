package dev.isthmus.dns.tsig;

import java.util.function.LongSupplier;

import javax.crypto.Mac;

/**
 * Verifies the answers of a multi-message transfer (AXFR, IXFR over TCP) under RFC 8945 §5.3.1: the first message is
 * signed as an answer to the request; each later TSIG covers the prior MAC, every message since the previous TSIG
 * (whole, as received) and the TSIG timers only; up to 99 messages in a row may come unsigned, and the last message
 * of the transfer must be signed. One instance per transfer, used by one thread.
 */
public final class TsigStreamVerifier {

    /** RFC 8945 §5.3.1: a client "MUST accept up to 99 intermediary messages without a TSIG" and no more. */
    public static final int MAX_UNSIGNED_IN_A_ROW = 99;

    private final TsigKey key;
    private final LongSupplier clock;
    private final int minimumMacLength;
    private byte[] priorMac;
    private Mac pending;
    private int unsignedInARow;
    private boolean first = true;

    /**
     * @param requestMac the MAC of the signed request this stream answers
     * @param clock seconds since the epoch
     */
    public TsigStreamVerifier(TsigKey key, byte[] requestMac, LongSupplier clock) {
        this(key, requestMac, clock, Integer.MAX_VALUE);
    }

    public TsigStreamVerifier(TsigKey key, byte[] requestMac, LongSupplier clock, int minimumMacLength) {
        this.key = key;
        this.priorMac = requestMac.clone();
        this.clock = clock;
        this.minimumMacLength = minimumMacLength;
    }

    /**
     * Takes the next message of the stream.
     *
     * @return OK for a verified envelope or an unsigned message still within the allowance (then
     *     {@link TsigResult#record()} is null); any other status ends the transfer
     */
    public TsigResult next(byte[] message, int length) {
        TsigRecord record;
        try {
            record = TsigRecord.find(message, length);
        } catch (TsigFormatException e) {
            return new TsigResult(TsigStatus.FORMERR, null, key, e.getMessage());
        }
        if (record == null) {
            if (first) {
                return new TsigResult(TsigStatus.UNSIGNED, null, key, "first message of the transfer unsigned");
            }
            if (++unsignedInARow > MAX_UNSIGNED_IN_A_ROW) {
                return new TsigResult(TsigStatus.UNSIGNED, null, key,
                        "more than " + MAX_UNSIGNED_IN_A_ROW + " unsigned messages in a row");
            }
            digest().update(message, 0, length);
            return new TsigResult(TsigStatus.OK, null, key, "unsigned intermediate message");
        }
        if (!record.keyName().equals(key.name())
                || TsigAlgorithm.byWireName(record.algorithmName()) != key.algorithm()) {
            return new TsigResult(TsigStatus.BADKEY, record, null, "transfer signed with key " + record.keyName()
                    + ", expected " + key.name());
        }
        if (first && record.error() != 0 && record.mac().length == 0) {
            return new TsigResult(TsigStatus.PEER_ERROR, record, key, "peer answered TSIG error "
                    + Tsig.errorName(record.error()));
        }
        Mac mac = digest();
        Tsig.updateStripped(mac, message, record);
        if (first) {
            // RFC 8945 §5.3.1: the first envelope is an ordinary answer: all the TSIG variables.
            updateFullVariables(mac, record);
        } else {
            Tsig.updateTimers(mac, record.timeSigned(), record.fudge());
        }
        TsigResult result = Tsig.checkMac(mac.doFinal(), record, key, clock.getAsLong(), minimumMacLength);
        pending = null;
        if (result.ok()) {
            priorMac = record.mac();
            unsignedInARow = 0;
            first = false;
        }
        return result;
    }

    /** @return true when the last message taken was signed and verified (RFC 8945 §5.3.1: the last MUST be) */
    public boolean complete() {
        return !first && unsignedInARow == 0 && pending == null;
    }

    private Mac digest() {
        if (pending == null) {
            pending = key.algorithm().newMac(key.secret());
            Tsig.updateMacField(pending, priorMac);
        }
        return pending;
    }

    private static void updateFullVariables(Mac mac, TsigRecord record) {
        mac.update(record.keyName().canonical());
        mac.update(new byte[] {0, (byte) TsigRecord.CLASS_ANY, 0, 0, 0, 0});
        mac.update(record.algorithmName().canonical());
        Tsig.updateTimers(mac, record.timeSigned(), record.fudge());
        byte[] other = record.otherData();
        mac.update(new byte[] {(byte) (record.error() >>> 8), (byte) record.error(), (byte) (other.length >>> 8),
                (byte) other.length});
        mac.update(other);
    }
}
