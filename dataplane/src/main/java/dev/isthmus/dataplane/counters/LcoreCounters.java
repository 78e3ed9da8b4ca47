package dev.isthmus.dataplane.counters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The counters of one lcore, written by that lcore only and readable by any thread at any time.
 *
 * <p>All counters live in one {@code long[]} with a cache line and a half of padding at each end, so that no other
 * lcore's counters (or any other object) share a line with them. The writer does a plain read and an opaque write
 * (no atomic read-modify-write: it is the only writer), which costs a plain store on x86 yet guarantees a reader
 * sees each value whole and eventually; readers use opaque loads. Counters only grow, so a reader's sums are exact
 * totals of what was counted by the time of each read.
 *
 * <p>Layout: the {@link Lcore} counters, then per input (an RX queue or a ring the lcore polls) packets and bytes,
 * then per port transmitted packets and bytes, then one counter per {@link DropReasons drop reason code}.
 */
public final class LcoreCounters {

    /** Counters of the lcore as a whole. */
    public enum Lcore {
        /** Turns of the poll loop. */
        LOOPS,
        /** Turns in which no input had a packet. */
        IDLE_LOOPS,
        /** Packets received from all inputs. */
        RX_PACKETS,
        /** Packets handed to ports (accepted by tx_burst). */
        TX_PACKETS,
        /** Packets punted to the exception path. */
        PUNTED,
        /** Packets handed to other lcores through rings. */
        HANDED_OFF,
        /** Packets dropped, whatever the reason (the sum of the drop counters). */
        DROPPED,
        /** mbuf allocations that failed (the pool ran dry). */
        NO_MBUF,
        /** Enqueues refused by a full handoff ring (packets also counted as drops RING_FULL). */
        RING_FULL,
        /** Bursts in which a stage threw. */
        STAGE_FAILURES,
        /** Bursts sent because the drain timer expired rather than because they were full. */
        TIMED_DRAINS,
        /** Sleeps of an idle lcore under the adaptive idle policy. */
        IDLE_SLEEPS
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 12 longs = 96 bytes on each side: more than a cache line wherever the array starts. */
    private static final int PAD = 12;

    private final String lcoreName;
    private final List<String> inputNames;
    private final int ports;
    private final long[] values;
    private final int inputBase;
    private final int portBase;
    private final int dropBase;

    /**
     * @param lcoreName  names the lcore in snapshots
     * @param inputNames what the lcore polls, in order (e.g. {@code uplink:0}, {@code ring:dns0})
     * @param ports      number of ports of the dataplane
     */
    public LcoreCounters(String lcoreName, List<String> inputNames, int ports) {
        this.lcoreName = lcoreName;
        this.inputNames = List.copyOf(inputNames);
        this.ports = ports;
        this.inputBase = PAD + Lcore.values().length;
        this.portBase = inputBase + 2 * inputNames.size();
        this.dropBase = portBase + 2 * ports;
        this.values = new long[dropBase + DropReasons.CAPACITY + PAD];
    }

    public String lcoreName() {
        return lcoreName;
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public int ports() {
        return ports;
    }

    // ---- writer side: the owning lcore only ----

    private void add(int index, long delta) {
        SLOT.setOpaque(values, index, values[index] + delta);
    }

    public void add(Lcore counter, long delta) {
        add(PAD + counter.ordinal(), delta);
    }

    public void increment(Lcore counter) {
        add(PAD + counter.ordinal(), 1);
    }

    /** Counts a received burst on input {@code input}. */
    public void received(int input, int packets, long bytes) {
        add(inputBase + 2 * input, packets);
        add(inputBase + 2 * input + 1, bytes);
        add(PAD + Lcore.RX_PACKETS.ordinal(), packets);
    }

    /** Counts packets a port accepted for transmission. */
    public void transmitted(int port, int packets, long bytes) {
        add(portBase + 2 * port, packets);
        add(portBase + 2 * port + 1, bytes);
        add(PAD + Lcore.TX_PACKETS.ordinal(), packets);
    }

    /** Counts {@code packets} drops with one reason code. */
    public void dropped(int reasonCode, int packets) {
        add(dropBase + reasonCode, packets);
        add(PAD + Lcore.DROPPED.ordinal(), packets);
    }

    // ---- reader side: any thread ----

    private long read(int index) {
        return (long) SLOT.getOpaque(values, index);
    }

    public long get(Lcore counter) {
        return read(PAD + counter.ordinal());
    }

    public long inputPackets(int input) {
        return read(inputBase + 2 * input);
    }

    public long inputBytes(int input) {
        return read(inputBase + 2 * input + 1);
    }

    public long txPackets(int port) {
        return read(portBase + 2 * port);
    }

    public long txBytes(int port) {
        return read(portBase + 2 * port + 1);
    }

    public long drops(int reasonCode) {
        return read(dropBase + reasonCode);
    }

    public <E extends Enum<E> & DropReason> long drops(E reason) {
        return drops(DropReasons.code(reason));
    }
}
