package dev.isthmus.perf.gen;

/**
 * How many packets a stream should have sent by a moment: {@code (now - start) * rate}, rounded down. The TX loop
 * sends the difference to what it did send, at most a burst at a time, so the offered rate is exact over any window
 * however the loop's turns fall (a late turn sends a fuller burst) and never runs ahead of the clock.
 *
 * <p>The product is computed in double: over an hour at 100 Mpps it stays below 2^53, where doubles hold integers
 * exactly.
 */
public final class Pacer {

    private final long start;
    private final double perNano;

    /** @param packetsPerSecond the rate; {@code Double.POSITIVE_INFINITY} or above 1e12 for as fast as possible */
    public Pacer(double packetsPerSecond, long startNanos) {
        if (!(packetsPerSecond > 0)) {
            throw new IllegalArgumentException("a rate must be above 0, got " + packetsPerSecond);
        }
        this.start = startNanos;
        this.perNano = packetsPerSecond / 1e9;
    }

    /** Packets due since the start, at {@code nowNanos} (same clock as the start). */
    public long due(long nowNanos) {
        long elapsed = nowNanos - start;
        if (elapsed <= 0) {
            return 0;
        }
        double d = elapsed * perNano;
        return d >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) d;
    }

    public double packetsPerSecond() {
        return perNano * 1e9;
    }
}
