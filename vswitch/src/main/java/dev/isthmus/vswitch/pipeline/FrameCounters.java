package dev.isthmus.vswitch.pipeline;

import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;

/**
 * The counters one frame touches, summed locally and added to the shared striped counters once per frame (VPP
 * counts per node and frame the same way): a frame's packets mostly share one domain, one access port and few
 * VTEPs, so this turns several counter writes per packet into a few per frame. Owned by one lcore;
 * {@link #flush} at the end of every frame.
 */
final class FrameCounters {

    private static final DomainCounter[] EVENTS = DomainCounter.values();

    private final int lane;
    private DomainCounters domain;
    private final long[] events = new long[EVENTS.length];
    /** Two traffic accumulators, since a packet touches an access port and a VTEP; the older one is flushed. */
    private final TrafficCounters[] traffic = new TrafficCounters[2];
    private final long[][] amounts = new long[2][4];
    private int older;

    FrameCounters(int lane) {
        this.lane = lane;
    }

    void count(DomainCounters counters, DomainCounter event) {
        if (counters != domain) {
            flushDomain();
            domain = counters;
        }
        events[event.ordinal()]++;
    }

    void received(TrafficCounters counters, int bytes) {
        final long[] a = amounts[slot(counters)];
        a[0]++;
        a[1] += bytes;
    }

    void sent(TrafficCounters counters, int bytes) {
        final long[] a = amounts[slot(counters)];
        a[2]++;
        a[3] += bytes;
    }

    private int slot(TrafficCounters counters) {
        if (traffic[0] == counters) {
            return 0;
        }
        if (traffic[1] == counters) {
            return 1;
        }
        final int s = older;
        flushTraffic(s);
        traffic[s] = counters;
        older = 1 - s;
        return s;
    }

    void flush() {
        flushDomain();
        flushTraffic(0);
        flushTraffic(1);
    }

    private void flushDomain() {
        if (domain == null) {
            return;
        }
        final long[] e = events;
        for (int k = 0; k < e.length; k++) {
            if (e[k] != 0) {
                domain.add(lane, EVENTS[k], e[k]);
                e[k] = 0;
            }
        }
        domain = null;
    }

    private void flushTraffic(int s) {
        final TrafficCounters counters = traffic[s];
        if (counters == null) {
            return;
        }
        final long[] a = amounts[s];
        counters.add(lane, a[0], a[1], a[2], a[3]);
        a[0] = 0;
        a[1] = 0;
        a[2] = 0;
        a[3] = 0;
        traffic[s] = null;
    }
}
