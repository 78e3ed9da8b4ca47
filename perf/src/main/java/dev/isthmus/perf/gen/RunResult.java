package dev.isthmus.perf.gen;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One run of the generator: per stream, and for all tracked streams together.
 *
 * @param seconds       how long the TX lcore sent (its pacers' clock)
 * @param rxFrames      frames the RX lcore received on all ports
 * @param rxOther       of those, frames that belonged to no stream
 * @param txAllocated   bytes the TX lcore allocated inside its loop (0 is the goal: nothing per packet)
 * @param rxAllocated   bytes the RX lcore allocated inside its loop
 * @param txCpuSeconds  CPU time the TX lcore's thread got (on a shared machine less than {@code seconds})
 */
public record RunResult(double seconds, List<StreamResult> streams, long rxFrames, long rxOther, long txAllocated,
        long rxAllocated, double txCpuSeconds) {

    public long sent() {
        return streams.stream().mapToLong(StreamResult::sent).sum();
    }

    /** Packets of streams the receiver can attribute (signature or DNS). */
    public long trackedSent() {
        return streams.stream().filter(StreamResult::tracked).mapToLong(StreamResult::sent).sum();
    }

    public long received() {
        return streams.stream().filter(StreamResult::tracked).mapToLong(StreamResult::received).sum();
    }

    public long lost() {
        return streams.stream().filter(StreamResult::tracked).mapToLong(StreamResult::lost).sum();
    }

    /** Lost / sent over the tracked streams. */
    public double lossRatio() {
        long s = trackedSent();
        return s == 0 ? 0 : (double) lost() / s;
    }

    public double offeredPps() {
        return streams.stream().mapToDouble(StreamResult::offeredPps).sum();
    }

    public double sentPps() {
        return seconds > 0 ? sent() / seconds : 0;
    }

    /** Latencies of every stream that recorded them, together; null if none did. */
    public Histogram latency() {
        Histogram all = null;
        for (StreamResult s : streams) {
            if (s.latency() != null && s.latency().getTotalCount() > 0) {
                if (all == null) {
                    all = new Histogram(1, RxStream.MAX_LATENCY, 3);
                }
                all.add(s.latency());
            }
        }
        return all;
    }
}
