package dev.isthmus.dns.wire;

/** Bytes that are not a well-formed DNS message; the message says what is wrong and at which offset. */
public final class WireFormatException extends Exception {
    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
