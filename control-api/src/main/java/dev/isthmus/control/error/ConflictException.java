package dev.isthmus.control.error;

/** The request conflicts with the current configuration (creating what exists, a port already in use): 409. */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
