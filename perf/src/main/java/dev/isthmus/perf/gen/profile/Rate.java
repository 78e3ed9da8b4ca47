package dev.isthmus.perf.gen.profile;

import java.util.Locale;

/**
 * A stream's rate: packets per second, or a share of the port's line rate (resolved against the link speed when
 * the port is up, {@link #packetsPerSecond(int, int)}).
 *
 * @param pps     packets per second, when {@code percent} is 0
 * @param percent share of the line rate in percent (0 &lt; p &lt;= 100), or 0
 */
public record Rate(double pps, double percent) {

    /** Bytes each frame takes on the wire beyond its bytes: preamble and start delimiter (8), inter-frame gap (12). */
    public static final int WIRE_OVERHEAD = 20;

    public static Rate pps(double pps) {
        return new Rate(pps, 0);
    }

    public static Rate percent(double percent) {
        return new Rate(0, percent);
    }

    public boolean isShareOfLine() {
        return percent > 0;
    }

    public Rate scaled(double factor) {
        return new Rate(pps * factor, percent * factor);
    }

    /**
     * Packets per second for frames of {@code frameSize} bytes (with the FCS) on a link of {@code speedMbps}.
     *
     * @throws IllegalStateException when the rate is a share of a line rate the port does not report
     */
    public double packetsPerSecond(int speedMbps, int frameSize) {
        if (!isShareOfLine()) {
            return pps;
        }
        if (speedMbps <= 0) {
            throw new IllegalStateException("the port reports no link speed: give the rate in pps, not "
                    + percent + "%");
        }
        return speedMbps * 1e6 * percent / 100 / ((frameSize + WIRE_OVERHEAD) * 8.0);
    }

    @Override
    public String toString() {
        return isShareOfLine() ? String.format(Locale.ROOT, "%.3g%%", percent) : String.format(Locale.ROOT, "%.0f pps", pps);
    }
}
