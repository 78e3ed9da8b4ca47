package dev.isthmus.vswitch.pipeline;

import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.runtime.Vtep;

/**
 * The counters one frame touches, summed in plain fields and arrays of this lcore and added to the shared striped
 * counters once per frame (VPP counts per node and frame the same way): a frame's packets mostly share one domain
 * and one access port, and spread over VTEPs, which are summed per VTEP id. Owned by one lcore; {@link #flush} at
 * the end of every frame.
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

    /** Per VTEP id: the VTEP and its frame's rx frames, rx bytes, tx frames, tx bytes; ids touched listed. */
    private Vtep[] vteps = new Vtep[128];
    private long[] vtepAmounts = new long[128 * 4];
    private int[] touched = new int[64];
    private int touchedCount;

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
        final int at = vtepSlot(vtep) * 4;
        vtepAmounts[at]++;
        vtepAmounts[at + 1] += bytes;
    }

    void vtepSent(Vtep vtep, int bytes) {
        final int at = vtepSlot(vtep) * 4;
        vtepAmounts[at + 2]++;
        vtepAmounts[at + 3] += bytes;
    }

    private int vtepSlot(Vtep vtep) {
        final int id = vtep.id();
        if (id >= vteps.length) {
            // More VTEPs than ever before on this lcore: grow once (configuration-sized, not per packet).
            flushVteps();
            vteps = new Vtep[Integer.highestOneBit(id) << 1];
            vtepAmounts = new long[vteps.length * 4];
        }
        if (vteps[id] != vtep) {
            if (vteps[id] != null) {
                flushVtep(id); // the id now names another VTEP (a new snapshot)
            }
            vteps[id] = vtep;
            if (touchedCount == touched.length) {
                touched = java.util.Arrays.copyOf(touched, touched.length * 2);
            }
            touched[touchedCount++] = id;
        }
        return id;
    }

    void flush() {
        flushDomain();
        flushPort();
        flushVteps();
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

    private void flushVteps() {
        for (int k = 0; k < touchedCount; k++) {
            flushVtep(touched[k]);
        }
        touchedCount = 0;
    }

    private void flushVtep(int id) {
        final Vtep vtep = vteps[id];
        if (vtep == null) {
            return;
        }
        final int at = id * 4;
        final long[] a = vtepAmounts;
        vtep.counters().add(lane, a[at], a[at + 1], a[at + 2], a[at + 3]);
        a[at] = 0;
        a[at + 1] = 0;
        a[at + 2] = 0;
        a[at + 3] = 0;
        vteps[id] = null;
    }
}
