package dev.isthmus.dns.tsig;

import java.util.function.LongSupplier;

import javax.crypto.Mac;

/**
 * Signs the answers of a multi-message transfer (the primary's side of RFC 8945 §5.3.1): the first message as an
 * answer to the request, each later envelope over the prior MAC, the messages sent unsigned since, and the TSIG
 * timers. A server may leave up to 99 messages in a row unsigned ({@link #passUnsigned}) but must sign the first and
 * the last. One instance per transfer, used by one thread.
 */
public final class TsigStreamSigner {
    private final TsigKey key;
    private final LongSupplier clock;
    private final int fudge;
    private byte[] priorMac;
    private Mac pending;
    private int unsignedInARow;
    private boolean first = true;

    /**
     * @param requestMac the MAC of the verified request
     * @param clock seconds since the epoch
     */
    public TsigStreamSigner(TsigKey key, byte[] requestMac, LongSupplier clock) {
        this(key, requestMac, clock, Tsig.DEFAULT_FUDGE);
    }

    public TsigStreamSigner(TsigKey key, byte[] requestMac, LongSupplier clock, int fudge) {
        this.key = key;
        this.priorMac = requestMac.clone();
        this.clock = clock;
        this.fudge = fudge;
    }

    /** @return {@code message} with a TSIG record appended, covering every message since the previous one */
    public byte[] sign(byte[] message) {
        long now = clock.getAsLong();
        if (first) {
            Tsig.Signed s = Tsig.sign(message, key, priorMac, now, fudge, 0, new byte[0]);
            first = false;
            priorMac = s.mac();
            return s.message();
        }
        Mac mac = digest();
        mac.update(message);
        Tsig.updateTimers(mac, now, fudge);
        byte[] digest = mac.doFinal();
        pending = null;
        unsignedInARow = 0;
        priorMac = digest;
        return Tsig.append(message, key.name().wire(), key.algorithm().wireName().wire(), now, fudge, digest, 0,
                new byte[0]);
    }

    /**
     * Records a message sent without a TSIG record; the next {@link #sign} covers it.
     *
     * @throws IllegalStateException for the first message or the 100th unsigned in a row, which must be signed
     */
    public void passUnsigned(byte[] message) {
        if (first || unsignedInARow == TsigStreamVerifier.MAX_UNSIGNED_IN_A_ROW) {
            throw new IllegalStateException("RFC 8945 §5.3.1: this message must be signed");
        }
        unsignedInARow++;
        digest().update(message);
    }

    private Mac digest() {
        if (pending == null) {
            pending = key.algorithm().newMac(key.secret());
            Tsig.updateMacField(pending, priorMac);
        }
        return pending;
    }
}
