package dev.isthmus.vswitch.counters;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Frames and bytes in and out of one access port or one remote VTEP. */
public final class TrafficCounters {

    private static final TrafficCounter[] ALL = TrafficCounter.values();

    private final StripedCounters counters = new StripedCounters(ALL.length);

    /** @param lane the writer's lane @param bytes the frame's length */
    public void received(int lane, int bytes) {
        counters.increment(lane, TrafficCounter.RX_FRAMES.ordinal());
        counters.add(lane, TrafficCounter.RX_BYTES.ordinal(), bytes);
    }

    /** @param lane the writer's lane @param bytes the frame's length */
    public void sent(int lane, int bytes) {
        counters.increment(lane, TrafficCounter.TX_FRAMES.ordinal());
        counters.add(lane, TrafficCounter.TX_BYTES.ordinal(), bytes);
    }

    /**
     * Adds a frame's worth of traffic at once (the data path batches per frame).
     *
     * @param lane the writer's lane
     * @param rxFrames frames received
     * @param rxBytes bytes received
     * @param txFrames frames sent
     * @param txBytes bytes sent
     */
    public void add(int lane, long rxFrames, long rxBytes, long txFrames, long txBytes) {
        if (rxFrames != 0) {
            counters.add(lane, TrafficCounter.RX_FRAMES.ordinal(), rxFrames);
            counters.add(lane, TrafficCounter.RX_BYTES.ordinal(), rxBytes);
        }
        if (txFrames != 0) {
            counters.add(lane, TrafficCounter.TX_FRAMES.ordinal(), txFrames);
            counters.add(lane, TrafficCounter.TX_BYTES.ordinal(), txBytes);
        }
    }

    /** @param lane the writer's lane */
    public void dropped(int lane) {
        counters.increment(lane, TrafficCounter.DROPS.ordinal());
    }

    /** @param counter a counter @return its total */
    public long get(TrafficCounter counter) {
        return counters.get(counter.ordinal());
    }

    /** @return every counter by lower-case name */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TrafficCounter counter : ALL) {
            out.put(counter.name().toLowerCase(Locale.ROOT), get(counter));
        }
        return out;
    }
}
