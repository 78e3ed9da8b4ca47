package dev.isthmus.dataplane.worker;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.PacketEmitter;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.MbufBurst;

/**
 * Carries out a frame's verdicts, once per burst (VPP's "enqueue to next" done in bulk): packets to transmit move
 * into one TX burst per port, sent when full or when the worker's drain timer fires; hand-offs are enqueued on
 * their ring in one call per ring; drops stay in the input burst and go back to the pool in one bulk free. Every
 * mbuf that cannot go where its verdict says (TX queue full, ring full, no punt path) is freed and counted under
 * its reason — never lost, never freed twice.
 *
 * <p>Owned by one worker thread.
 */
final class VerdictDispatcher implements PacketEmitter {

    private static final int TX_FULL = DropReasons.code(DataplaneDrop.TX_FULL);
    private static final int RING_FULL = DropReasons.code(DataplaneDrop.RING_FULL);
    private static final int PUNT_FULL = DropReasons.code(DataplaneDrop.PUNT_FULL);
    private static final int NO_PUNT_PATH = DropReasons.code(DataplaneDrop.NO_PUNT_PATH);
    private static final int BAD_PORT = DropReasons.code(DataplaneDrop.BAD_PORT);
    private static final int NO_TX_QUEUE = DropReasons.code(DataplaneDrop.NO_TX_QUEUE);

    private final EthPort[] ports;
    private final MbufBurst[] out;
    private final int txQueue;
    /** Handoff rings, then the punt ring (if any) as the last entry. */
    private final MbufRing[] rings;
    private final int handoffRings;
    private final long[][] ringMbufs;
    private final int[][] ringSlots;
    private final int[] ringCount;
    private final int puntPort;
    private final int puntRing;
    private final LcoreCounters counters;
    private final MbufBurst orphans = new MbufBurst();
    private int partialOutputs;

    VerdictDispatcher(EthPort[] ports, int txQueue, MbufRing[] handoff, PuntPath punt, LcoreCounters counters) {
        this.ports = ports.clone();
        this.txQueue = txQueue;
        this.counters = counters;
        this.out = new MbufBurst[ports.length];
        for (int p = 0; p < ports.length; p++) {
            out[p] = new MbufBurst();
        }
        this.handoffRings = handoff.length;
        boolean toRing = punt instanceof PuntPath.ToRing;
        this.rings = java.util.Arrays.copyOf(handoff, handoff.length + (toRing ? 1 : 0));
        if (punt instanceof PuntPath.ToRing(MbufRing ring)) {
            rings[handoff.length] = ring;
        }
        this.puntRing = toRing ? handoff.length : -1;
        this.puntPort = punt instanceof PuntPath.ToPort(int port) ? port : -1;
        if (puntPort >= ports.length) {
            throw new IllegalArgumentException("punt port " + puntPort + " is not a port of the dataplane");
        }
        this.ringMbufs = new long[rings.length][MbufBurst.MAX];
        this.ringSlots = new int[rings.length][MbufBurst.MAX];
        this.ringCount = new int[rings.length];
    }

    /** Carries out every verdict of the frame; afterwards its input burst is empty. */
    void dispatch(PacketFrame frame) {
        final MbufBurst in = frame.burst();
        final int n = frame.size();
        final int common = frame.commonVerdict();
        if (PacketFrame.kindOf(common) == PacketFrame.TRANSMIT) {
            int port = PacketFrame.targetOf(common);
            if (port < out.length && ports[port] != null && out[port].isEmpty()) {
                // The whole burst leaves by one port and nothing waits there: send it as it is, no per-packet moves.
                transmitWhole(in, port);
                return;
            }
        }
        boolean staged = false;
        int left = 0;
        for (int i = 0; i < n; i++) {
            switch (frame.kind(i)) {
                case PacketFrame.TRANSMIT -> left += toPort(in, i, frame.target(i)) ? 0 : 1;
                case PacketFrame.DROP -> {
                    counters.dropped(frame.target(i), 1);
                    left++;
                }
                case PacketFrame.HAND_OFF -> {
                    int r = frame.target(i);
                    if (r < handoffRings) {
                        stage(in, i, r);
                        staged = true;
                    } else {
                        counters.dropped(BAD_PORT, 1);
                    }
                    left++;
                }
                case PacketFrame.PUNT -> {
                    counters.increment(LcoreCounters.Lcore.PUNTED);
                    if (puntPort >= 0) {
                        left += toPort(in, i, puntPort) ? 0 : 1;
                    } else if (puntRing >= 0) {
                        stage(in, i, puntRing);
                        staged = true;
                        left++;
                    } else {
                        counters.dropped(NO_PUNT_PATH, 1);
                        left++;
                    }
                }
                case PacketFrame.CONSUMED -> {
                    // the stage took the mbuf; its slot is already empty
                }
                default -> {
                    counters.dropped(DropReasons.code(DataplaneDrop.NO_VERDICT), 1);
                    left++;
                }
            }
        }
        if (staged) {
            enqueueStaged(in);
        }
        if (left == 0) {
            // Every mbuf moved on and left an empty slot: compacting empties the burst without a native call.
            in.compact();
        } else {
            in.freeAll();
        }
    }

    /** Moves packet {@code i} into the port's TX burst; false (and counted) when there is no such port. */
    private boolean toPort(MbufBurst in, int i, int port) {
        if (port < 0 || port >= out.length) {
            counters.dropped(BAD_PORT, 1);
            return false;
        }
        if (ports[port] == null) {
            counters.dropped(NO_TX_QUEUE, 1);
            return false;
        }
        MbufBurst o = out[port];
        if (o.isEmpty()) {
            partialOutputs++;
        }
        o.add(in, i);
        if (o.room() == 0) {
            flush(port);
        }
        return true;
    }

    private void transmitWhole(MbufBurst in, int port) {
        // The lengths at transmit time: stages change them (DNS answers, VxLAN encap/decap), so what was received
        // is not what is sent. Summed before tx_burst, after which the sent mbufs belong to the driver.
        final int n = in.size();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += in.dataLength(i);
        }
        int sent = in.transmit(ports[port], txQueue);
        int unsent = in.size();
        if (unsent > 0) {
            for (int i = 0; i < unsent; i++) {
                bytes -= in.dataLength(i);
            }
            counters.dropped(TX_FULL, unsent);
            in.freeAll();
        }
        counters.transmitted(port, sent, bytes);
    }

    private void stage(MbufBurst in, int i, int ring) {
        int c = ringCount[ring]++;
        ringMbufs[ring][c] = in.mbuf(i);
        ringSlots[ring][c] = i;
    }

    private void enqueueStaged(MbufBurst in) {
        for (int r = 0; r < rings.length; r++) {
            final int c = ringCount[r];
            if (c == 0) {
                continue;
            }
            ringCount[r] = 0;
            int put = rings[r].enqueueBurst(ringMbufs[r], 0, c);
            // Enqueued mbufs belong to the consumer now: take them out of the burst so freeAll skips them.
            for (int j = 0; j < put; j++) {
                in.take(ringSlots[r][j]);
            }
            if (r != puntRing) {
                counters.add(LcoreCounters.Lcore.HANDED_OFF, put);
            }
            if (put < c) {
                counters.add(LcoreCounters.Lcore.RING_FULL, c - put);
                counters.dropped(r == puntRing ? PUNT_FULL : RING_FULL, c - put);
            }
        }
    }

    @Override
    public void transmitNew(long mbuf, int port) {
        if (port < 0 || port >= out.length || ports[port] == null) {
            orphans.add(mbuf);
            orphans.freeAll();
            counters.dropped(port < 0 || port >= out.length ? BAD_PORT : NO_TX_QUEUE, 1);
            return;
        }
        MbufBurst o = out[port];
        if (o.isEmpty()) {
            partialOutputs++;
        }
        o.add(mbuf);
        if (o.room() == 0) {
            flush(port);
        }
    }

    /** True when some TX burst holds packets waiting for the drain. */
    boolean hasPartialOutputs() {
        return partialOutputs != 0;
    }

    /** Sends every partial TX burst (the timed drain, and on stop). */
    void flushAll() {
        for (int p = 0; p < out.length; p++) {
            if (!out[p].isEmpty()) {
                flush(p);
            }
        }
        partialOutputs = 0;
    }

    private void flush(int port) {
        MbufBurst o = out[port];
        final int n = o.size();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += o.dataLength(i);
        }
        int sent = o.transmit(ports[port], txQueue);
        int unsent = o.size();
        if (unsent > 0) {
            // l2fwd's policy: a TX queue that cannot take the burst now drops the rest, counted; no retry loop.
            for (int i = 0; i < unsent; i++) {
                bytes -= o.dataLength(i);
            }
            counters.dropped(TX_FULL, unsent);
            o.freeAll();
        }
        counters.transmitted(port, sent, bytes);
        if (partialOutputs > 0) {
            partialOutputs--;
        }
    }

    /** Frees what is still buffered without sending it (when the ports are already gone). */
    void discardAll() {
        for (MbufBurst o : out) {
            if (!o.isEmpty()) {
                counters.dropped(DropReasons.code(DataplaneDrop.STOPPING), o.size());
                o.freeAll();
            }
        }
        partialOutputs = 0;
    }
}
