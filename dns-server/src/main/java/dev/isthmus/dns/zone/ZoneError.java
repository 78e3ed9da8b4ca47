package dev.isthmus.dns.zone;

/** One problem found in a zone file, located by file and line (1-based). */
public record ZoneError(String file, int line, String message) {
    /** @return {@code file:line: message}, the form compilers and NSD's zone checker use */
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
