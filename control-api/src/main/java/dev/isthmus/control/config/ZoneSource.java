package dev.isthmus.control.config;

/**
 * A zone the appliance loads at start.
 *
 * @param origin the zone's apex, e.g. {@code example.test} (no trailing dot needed)
 * @param location where its master file is: a file path (relative paths resolve against the configuration
 *                 file's directory) or {@code classpath:zones/example.test.zone} for a file shipped in a jar
 */
public record ZoneSource(String origin, String location) {

    /** Prefix of a location read from the class path. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    /** @return true when the zone file is read from the class path */
    public boolean onClasspath() {
        return location.startsWith(CLASSPATH_PREFIX);
    }
}
