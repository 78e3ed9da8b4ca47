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
        return at(System.nanoTime());
    }

    /**
     * The second of an instant already read, e.g. a burst's receipt time ({@code PacketFrame.nanoTime()}), which
     * spares the stage a clock read of its own per burst.
     *
     * @param nanoTime a {@link System#nanoTime()} value
     * @return whole seconds from the clock's origin to then
     */
    public static int at(long nanoTime) {
        return (int) ((nanoTime - ORIGIN) / 1_000_000_000L);
    }
}
