package dev.isthmus.vswitch.counters;

import java.util.LinkedHashMap;
import java.util.Map;

/** The counters of one bridge domain: {@link DomainCounter}s, then one per {@link VxlanDrop}. */
public final class DomainCounters {

    private static final DomainCounter[] EVENTS = DomainCounter.values();
    private static final VxlanDrop[] DROPS = VxlanDrop.values();

    private final StripedCounters counters = new StripedCounters(EVENTS.length + DROPS.length);

    /** @param lane the writer's lane @param counter what happened */
    public void increment(int lane, DomainCounter counter) {
        counters.increment(lane, counter.ordinal());
    }

    /** @param lane the writer's lane @param counter what happened @param delta how many times */
    public void add(int lane, DomainCounter counter, long delta) {
        counters.add(lane, counter.ordinal(), delta);
    }

    /** @param lane the writer's lane @param reason why a frame was dropped */
    public void drop(int lane, VxlanDrop reason) {
        counters.increment(lane, EVENTS.length + reason.ordinal());
    }

    /** @param counter a counter @return its total */
    public long get(DomainCounter counter) {
        return counters.get(counter.ordinal());
    }

    /** @param reason a drop reason @return frames dropped for it */
    public long drops(VxlanDrop reason) {
        return counters.get(EVENTS.length + reason.ordinal());
    }

    /**
     * @return every counter by lower-case name, then {@code drop_<reason>} for every drop reason, zero included: a
     *         reader (a test, a monitoring script) tells "none dropped" from "no such counter", so a renamed reason
     *         shows as missing instead of as zero
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DomainCounter counter : EVENTS) {
            out.put(counter.name().toLowerCase(java.util.Locale.ROOT), get(counter));
        }
        for (VxlanDrop reason : DROPS) {
            out.put("drop_" + reason.name().toLowerCase(java.util.Locale.ROOT), drops(reason));
        }
        return out;
    }
}
