package dev.isthmus.control.error;

/** The request names something the appliance does not have (a zone, a bridge domain, an FDB entry): 404. */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
