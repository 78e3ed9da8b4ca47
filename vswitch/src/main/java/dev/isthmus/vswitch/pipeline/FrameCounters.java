package dev.isthmus.vswitch.pipeline;

import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.runtime.Vtep;

/**
 * The counters one frame touches. A frame's packets mostly share one domain and one access port, so those are
 * summed in plain fields and arrays of this lcore and added to the shared striped counters once per frame (VPP
 * counts per node and frame the same way). VTEP traffic goes straight to this lcore's lane of the VTEP's counters:
 * packets spread over VTEPs, and summing them per VTEP first cost more (a slot per VTEP id to find, fill, flush and
 * clear) than the two plain adds to a lane no other thread writes. Owned by one lcore; {@link #flush} at the end of
 * every frame.
 */
final class FrameCounters {

    private static final DomainCounter[] EVENTS = DomainCounter.values();

    private final int lane;
    private DomainCounters domain;
    private final long[] events = new long[EVENTS.length];

    private TrafficCounters port;
    private long portRxFrames;
    private long portRxBytes;
    private long portTxFrames;
    private long portTxBytes;

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

    void portReceived(TrafficCounters counters, int bytes) {
        if (counters != port) {
            flushPort();
            port = counters;
        }
        portRxFrames++;
        portRxBytes += bytes;
    }

    void portSent(TrafficCounters counters, int bytes) {
        if (counters != port) {
            flushPort();
            port = counters;
        }
        portTxFrames++;
        portTxBytes += bytes;
    }

    void vtepReceived(Vtep vtep, int bytes) {
        vtep.counters().received(lane, bytes);
    }

    void vtepSent(Vtep vtep, int bytes) {
        vtep.counters().sent(lane, bytes);
    }

    void flush() {
        flushDomain();
        flushPort();
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

    private void flushPort() {
        if (port != null) {
            port.add(lane, portRxFrames, portRxBytes, portTxFrames, portTxBytes);
            port = null;
            portRxFrames = 0;
            portRxBytes = 0;
            portTxFrames = 0;
            portTxBytes = 0;
        }
    }

}
