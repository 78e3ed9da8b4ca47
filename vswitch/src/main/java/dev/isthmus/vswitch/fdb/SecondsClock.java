package dev.isthmus.vswitch.fdb;

/**
 * The coarse monotonic clock the FDB and ARP tables stamp entries with: whole seconds since this class loaded.
 * Stages read it once per burst, never per packet.
 */
public final class SecondsClock {

    private static final long ORIGIN = System.nanoTime();

    private SecondsClock() {
    }

    /** @return whole seconds since the clock's origin */
    public static int now() {
        return (int) ((System.nanoTime() - ORIGIN) / 1_000_000_000L);
    }
}
