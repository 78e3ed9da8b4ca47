package dev.isthmus.dns.xfr;

/** A refresh or transfer that failed; the message says why, for GET's last error and the journal. */
public class TransferException extends Exception {
    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
