package dev.isthmus.dns.tsig;

/**
 * What verifying a message found.
 *
 * @param status the outcome
 * @param record the TSIG record read, null when there was none or it could not be read
 * @param key the key that verified it (or that the record named), null when unknown
 * @param detail one line saying why, for logs and REST's last error
 */
public record TsigResult(TsigStatus status, TsigRecord record, TsigKey key, String detail) {

    public boolean ok() {
        return status == TsigStatus.OK;
    }

    /** @return the MAC received, which the answer to this request (or the next envelope of a stream) covers */
    public byte[] mac() {
        return record == null ? null : record.mac();
    }
}
