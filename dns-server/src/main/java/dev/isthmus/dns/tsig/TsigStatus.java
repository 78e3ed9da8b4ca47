package dev.isthmus.dns.tsig;

/**
 * The outcome of verifying one message, with the TSIG error code of RFC 8945 §3 that an answer carries when the
 * outcome is one of the TSIG errors.
 */
public enum TsigStatus {
    /** The MAC and the time check passed. */
    OK(0),
    /** The message carries no TSIG record (a caller that requires one refuses it). */
    UNSIGNED(0),
    /** RFC 8945 §5.1 / §5.2.2.1: the TSIG record is misplaced or malformed, or the MAC size is impossible. */
    FORMERR(0),
    /** RFC 8945 §5.2.1: the key name or algorithm is not one we know. */
    BADKEY(17),
    /** RFC 8945 §5.2.2: the MAC does not verify. */
    BADSIG(16),
    /** RFC 8945 §5.2.3: the signing time is further from our clock than the fudge allows. */
    BADTIME(18),
    /** RFC 8945 §5.2.2.1: the MAC verifies but is truncated below our local policy. */
    BADTRUNC(22),
    /** The peer's signed answer reports a TSIG error of its own (its Error field is not zero). */
    PEER_ERROR(0);

    /** RCODE 9, NOTAUTH: the RCODE of an answer carrying a TSIG error (RFC 8945 §5.3.2). */
    public static final int RCODE_NOTAUTH = 9;

    private final int errorCode;

    TsigStatus(int errorCode) {
        this.errorCode = errorCode;
    }

    /** @return the TSIG Error field value an answer to such a message carries (RFC 8945 §3), 0 for none */
    public int errorCode() {
        return errorCode;
    }
}
