package dev.isthmus.perf.gen.ndr;

import java.time.Duration;

/**
 * What a trial measured.
 *
 * @param rate       offered packets per second (the target)
 * @param duration   the trial's duration
 * @param sent       packets sent
 * @param received   packets received back
 * @param p99Nanos   99th percentile latency in nanoseconds, or -1 when no stream recorded latency
 */
public record TrialResult(double rate, Duration duration, long sent, long received, long p99Nanos) {

    /** RFC 2544 §26.1 frame loss over the trial: (sent - received) / sent; 0 when nothing was sent. */
    public double lossRatio() {
        return sent == 0 ? 0 : Math.max(0, sent - received) / (double) sent;
    }
}
