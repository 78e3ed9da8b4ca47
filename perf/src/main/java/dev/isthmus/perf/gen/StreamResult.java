package dev.isthmus.perf.gen;

import dev.isthmus.perf.gen.profile.Stream;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one stream did in a run.
 *
 * @param tracked      whether the receiver can attribute its packets (a signature or DNS); if not, received, lost,
 *                     order and latency are unknown (-1, null)
 * @param offeredPps   the rate it was paced at
 * @param latency      round-trip or one-way latency in nanoseconds (null unless recorded)
 * @param jitterNanos  mean |latency(i) - latency(i-1)| of consecutive packets, NaN without latency
 * @param dnsMismatches DNS responses refused or found wrong, by kind (empty for other streams)
 */
public record StreamResult(Stream stream, boolean tracked, double offeredPps, long sent, long received,
        long outOfOrder, long duplicated, long noMbuf, Map<String, Long> dnsMismatches, Histogram latency,
        double jitterNanos) {

    public long lost() {
        return tracked ? Math.max(0, sent - received) : -1;
    }

    public double lossRatio() {
        return tracked && sent > 0 ? (double) lost() / sent : 0;
    }
}
