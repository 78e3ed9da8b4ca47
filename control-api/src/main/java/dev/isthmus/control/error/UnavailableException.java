package dev.isthmus.control.error;

/** The appliance cannot do this now (the data plane is not running): 503. */
public final class UnavailableException extends RuntimeException {

    public UnavailableException(String message) {
        super(message);
    }
}
