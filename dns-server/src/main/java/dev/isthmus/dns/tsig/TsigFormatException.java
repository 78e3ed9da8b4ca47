package dev.isthmus.dns.tsig;

/** A message whose TSIG record cannot be read or is misplaced: RFC 8945 §5.1 answers it with FORMERR. */
public final class TsigFormatException extends Exception {
    public TsigFormatException(String message) {
        super(message);
    }
}
