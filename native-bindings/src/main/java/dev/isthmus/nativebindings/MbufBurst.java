package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A reusable, allocation-free burst of up to {@link #MAX} mbufs, with each packet's data address and length, kept in
 * native arrays that the shim fills in the same call that receives, allocates or dequeues the mbufs.
 *
 * <p>The burst owns the mbufs in its slots {@code [0, size())}: every one of them must leave through
 * {@link #transmit}, {@link #enqueue}, {@link #take} or {@link #freeAll}, which is what keeps "every mbuf freed
 * exactly once". A typical poll loop:
 * <pre>{@code
 * int n = in.receive(port, 0);
 * for (int i = 0; i < n; i++) {
 *     if (handle(in.dataAddress(i), in.dataLength(i))) out.add(in, i);  // moves the mbuf to out
 * }
 * in.freeAll();                 // what was not moved is dropped
 * out.transmit(port, 0);        // unsent packets stay in out, at the front
 * out.freeAll();                // ... and are dropped (count them first)
 * }</pre>
 *
 * <p>One thread uses a burst at a time. Data-path methods do one native call per burst at most, never allocate, and
 * throw only for caller bugs (an index out of range, a length that does not fit). Packet bytes are read and written
 * through {@link NativeMemory#ALL} at {@link #dataAddress(int)}. Mbufs are assumed single-segment, as the pools of
 * {@link Mempool#create} and ports without scatter produce them.
 */
public final class MbufBurst {

    /** Most mbufs in a burst: DPDK's customary burst size, one downcall per this many packets. */
    public static final int MAX = 32;

    private static final MemorySegment ALL = NativeMemory.ALL;

    private final MemorySegment mbufs;
    private final MemorySegment addrs;
    private final MemorySegment lens;
    // The arrays' addresses: the per-packet accessors read and write them through ALL, as the shim does, which spares
    // the liveness and bounds checks of the arrays' own (shared, automatic) segments on every access; the segments
    // above keep the memory alive as long as the burst, and every index is checked against the burst's size.
    private final long mbufsAddress;
    private final long addrsAddress;
    private final long lensAddress;
    private int count;
    /** Slots emptied by take() and not yet compacted; they hold NULL. */
    private int holes;

    static {
        Shim.ensureLoaded();
    }

    /** An empty burst; its native arrays live until the burst is garbage collected. */
    public MbufBurst() {
        Arena arena = Arena.ofAuto();
        mbufs = arena.allocate(JAVA_LONG.byteSize() * MAX, NativeMemory.STRUCT_ALIGNMENT);
        addrs = arena.allocate(JAVA_LONG.byteSize() * MAX, NativeMemory.STRUCT_ALIGNMENT);
        lens = arena.allocate(JAVA_INT.byteSize() * MAX, NativeMemory.STRUCT_ALIGNMENT);
        mbufsAddress = mbufs.address();
        addrsAddress = addrs.address();
        lensAddress = lens.address();
    }

    /** Mbufs in the burst (slots {@code [0, size())}, some possibly emptied by {@link #take}). */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Slots still free: how many the next receive/allocate/dequeue can add. */
    public int room() {
        return MAX - count;
    }

    /**
     * Receives up to {@link #room()} packets from the port's RX queue into the free slots; returns how many came.
     * They occupy slots {@code [size() before, size() after)}.
     */
    public int receive(EthPort port, int queue) {
        final int start = count;
        int got = Shim.rxBurst(port.nativeId(), (short) queue, mbufsAddress + start * 8L, (short) (MAX - start),
                addrsAddress + start * 8L, lensAddress + start * 4L);
        count = start + got;
        return got;
    }

    /**
     * Offers the burst to the port's TX queue; returns how many packets the port took. Those leave the burst; the
     * rest move to the front, to be retried or freed (and counted) by the caller.
     */
    public int transmit(EthPort port, int queue) {
        compact();
        final int n = count;
        if (n == 0) {
            return 0;
        }
        int sent = Shim.txBurst(port.nativeId(), (short) queue, mbufsAddress, (short) n);
        removeFront(sent);
        return sent;
    }

    /**
     * Enqueues the burst on a ring (handing it to another lcore); returns how many went in. Those leave the burst;
     * the rest move to the front.
     */
    public int enqueue(NativeRing ring) {
        compact();
        final int n = count;
        if (n == 0) {
            return 0;
        }
        int put = Shim.ringEnqueueBurst(ring.address(), mbufsAddress, n, 0L);
        removeFront(put);
        return put;
    }

    /** Dequeues up to {@link #room()} mbufs from a ring into the free slots; returns how many came. */
    public int dequeue(NativeRing ring) {
        final int start = count;
        int got = Shim.ringDequeueMbufs(ring.address(), mbufsAddress + start * 8L, MAX - start,
                addrsAddress + start * 8L, lensAddress + start * 4L);
        count = start + got;
        return got;
    }

    /**
     * Allocates {@code n} empty mbufs from the pool into the free slots, all or none; their data address is after the
     * headroom and their length 0 (grow them with {@link #setDataLength} or {@link #append}).
     *
     * @return false when the pool has fewer than {@code n} free mbufs
     */
    public boolean allocate(Mempool pool, int n) {
        final int start = count;
        if (n < 0 || n > MAX - start) {
            throw new IllegalArgumentException("cannot allocate " + n + " mbufs into a burst with room for "
                    + (MAX - start));
        }
        if (Shim.allocBulk(pool.address(), mbufsAddress + start * 8L, (short) n, addrsAddress + start * 8L,
                lensAddress + start * 4L) != 0) {
            return false;
        }
        count = start + n;
        return true;
    }

    /** Returns every mbuf still in the burst to its pool, in one call, and empties the burst. */
    public void freeAll() {
        final int n = count;
        if (n != 0) {
            Shim.freeBulk(mbufsAddress, (short) n); // skips the NULL slots take() left
        }
        count = 0;
        holes = 0;
    }

    /** The {@code struct rte_mbuf *} in slot {@code i}, 0 if {@link #take} emptied it. */
    public long mbuf(int i) {
        return ALL.get(JAVA_LONG, mbufsAddress + Objects.checkIndex(i, count) * 8L);
    }

    /** Address of the first data byte of packet {@code i}. */
    public long dataAddress(int i) {
        return ALL.get(JAVA_LONG, addrsAddress + Objects.checkIndex(i, count) * 8L);
    }

    /** Data length of packet {@code i}. */
    public int dataLength(int i) {
        return ALL.get(JAVA_INT, lensAddress + Objects.checkIndex(i, count) * 4L);
    }

    /**
     * The ol_flags of packet {@code i}: its RX offload results ({@code RxOffloads.MBUF_*}), or the TX offloads asked
     * for it ({@code TxOffloads.MBUF_*}).
     */
    public long olFlags(int i) {
        return ALL.get(JAVA_LONG, liveMbuf(i) + MbufLayout.OL_FLAGS);
    }

    /** The DPDK id of the port packet {@code i} was received on (the mbuf's {@code port}). */
    public int port(int i) {
        return Short.toUnsignedInt(ALL.get(JAVA_SHORT, liveMbuf(i) + MbufLayout.PORT));
    }

    /**
     * Bytes free after packet {@code i}'s data, up to the end of its buffer: how far it may grow in place
     * ({@code rte_pktmbuf_tailroom}).
     */
    public int tailroom(int i) {
        final long m = liveMbuf(i);
        return Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.BUF_LEN))
                - Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF))
                - ALL.get(JAVA_INT, lensAddress + i * 4L);
    }

    /**
     * Octets from packet {@code i}'s first data byte to the end of its buffer: its data length plus its
     * {@link #tailroom}, read in one go (what a reply written in place may fill).
     */
    public int room(int i) {
        final long m = liveMbuf(i);
        return Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.BUF_LEN))
                - Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF));
    }

    /**
     * Sets packet {@code i}'s length (data_len and pkt_len), e.g. after writing a reply in place.
     *
     * @throws IllegalArgumentException when the length does not fit between the data start and the buffer's end
     */
    public void setDataLength(int i, int length) {
        final long m = liveMbuf(i);
        int room = Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.BUF_LEN))
                - Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF));
        if (length < 0 || length > room) {
            throw new IllegalArgumentException("length " + length + " does not fit the mbuf's " + room + " bytes");
        }
        writeLength(i, m, length);
    }

    /**
     * Grows packet {@code i} by {@code length} bytes at the end; returns the address of the added bytes, or 0 when
     * the buffer has no room (the packet is unchanged). Like {@code rte_pktmbuf_append} on one segment.
     */
    public long append(int i, int length) {
        final long m = liveMbuf(i);
        int dataOff = Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF));
        int bufLen = Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.BUF_LEN));
        int old = dataLength(i);
        if (length < 0 || dataOff + old + length > bufLen) {
            return 0;
        }
        writeLength(i, m, old + length);
        return dataAddress(i) + old;
    }

    /**
     * Grows packet {@code i} by {@code length} bytes at the front (into the headroom, e.g. for an outer header);
     * returns the new data address, or 0 when the headroom is too small. Like {@code rte_pktmbuf_prepend}.
     */
    public long prepend(int i, int length) {
        final long m = liveMbuf(i);
        int dataOff = Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF));
        if (length < 0 || length > dataOff) {
            return 0;
        }
        return moveStart(i, m, dataOff - length, addrs.getAtIndex(JAVA_LONG, i) - length,
                lens.getAtIndex(JAVA_INT, i) + length);
    }

    /**
     * Removes {@code length} bytes at the front of packet {@code i} (e.g. a decapsulated outer header); returns the
     * new data address, or 0 when the packet is shorter. Like {@code rte_pktmbuf_adj}.
     */
    public long adj(int i, int length) {
        final long m = liveMbuf(i);
        int old = lens.getAtIndex(JAVA_INT, i);
        if (length < 0 || length > old) {
            return 0;
        }
        int dataOff = Short.toUnsignedInt(ALL.get(JAVA_SHORT, m + MbufLayout.DATA_OFF));
        return moveStart(i, m, dataOff + length, addrs.getAtIndex(JAVA_LONG, i) + length, old - length);
    }

    /**
     * Removes {@code length} bytes at the end of packet {@code i}; returns false when the packet is shorter.
     * Like {@code rte_pktmbuf_trim}.
     */
    public boolean trim(int i, int length) {
        final long m = liveMbuf(i);
        int old = dataLength(i);
        if (length < 0 || length > old) {
            return false;
        }
        writeLength(i, m, old - length);
        return true;
    }

    /**
     * Asks the NIC to fill checksums of packet {@code i}: sets l2_len and l3_len and the {@code TxOffloads.MBUF_*}
     * flags (other ol_flags bits are kept). The port must have been configured with the matching
     * {@code TxOffloads.PORT_*} offloads.
     */
    public void setTxOffload(int i, int l2Len, int l3Len, long txFlags) {
        final long m = liveMbuf(i);
        ALL.set(JAVA_LONG, m + MbufLayout.TX_OFFLOAD, MbufLayout.packTxOffload(l2Len, l3Len, 0));
        long flags = ALL.get(JAVA_LONG, m + MbufLayout.OL_FLAGS);
        ALL.set(JAVA_LONG, m + MbufLayout.OL_FLAGS, (flags & ~TxOffloads.MBUF_TX_MASK) | (txFlags & TxOffloads.MBUF_TX_MASK));
    }

    /**
     * Takes mbuf {@code i} out of the burst: the caller now owns it (and must free or send it). The slot stays, empty,
     * until the next {@link #compact}, transmit or enqueue, so indexes of the other packets do not move.
     */
    public long take(int i) {
        long m = liveMbuf(i);
        mbufs.setAtIndex(JAVA_LONG, i, 0L);
        holes++;
        return m;
    }

    /** Moves packet {@code i} of {@code from} into the next free slot of this burst (forwarding without a call). */
    public void add(MbufBurst from, int i) {
        long address = from.dataAddress(i);
        int length = from.dataLength(i);
        long m = from.take(i);
        put(m, address, length);
    }

    /** Adds an mbuf the caller owns (e.g. one it took earlier) into the next free slot; the burst now owns it. */
    public void add(long mbuf) {
        if (mbuf == 0) {
            throw new IllegalArgumentException("NULL mbuf");
        }
        long address = ALL.get(JAVA_LONG, mbuf + MbufLayout.BUF_ADDR)
                + Short.toUnsignedInt(ALL.get(JAVA_SHORT, mbuf + MbufLayout.DATA_OFF));
        put(mbuf, address, Short.toUnsignedInt(ALL.get(JAVA_SHORT, mbuf + MbufLayout.DATA_LEN)));
    }

    /** Closes the gaps {@link #take} left, keeping the order of the remaining packets. */
    public void compact() {
        if (holes == 0) {
            return;
        }
        int to = 0;
        final int n = count;
        for (int from = 0; from < n; from++) {
            long m = mbufs.getAtIndex(JAVA_LONG, from);
            if (m != 0) {
                if (to != from) {
                    mbufs.setAtIndex(JAVA_LONG, to, m);
                    addrs.setAtIndex(JAVA_LONG, to, addrs.getAtIndex(JAVA_LONG, from));
                    lens.setAtIndex(JAVA_INT, to, lens.getAtIndex(JAVA_INT, from));
                }
                to++;
            }
        }
        count = to;
        holes = 0;
    }

    private void put(long mbuf, long address, int length) {
        final int slot = count;
        if (slot == MAX) {
            throw new IllegalStateException("burst is full (" + MAX + " mbufs)");
        }
        mbufs.setAtIndex(JAVA_LONG, slot, mbuf);
        addrs.setAtIndex(JAVA_LONG, slot, address);
        lens.setAtIndex(JAVA_INT, slot, length);
        count = slot + 1;
    }

    private long liveMbuf(int i) {
        long m = mbuf(i);
        if (m == 0) {
            throw new IllegalStateException("slot " + i + " was taken");
        }
        return m;
    }

    private void writeLength(int i, long m, int length) {
        ALL.set(JAVA_SHORT, m + MbufLayout.DATA_LEN, (short) length);
        ALL.set(JAVA_INT, m + MbufLayout.PKT_LEN, length);
        ALL.set(JAVA_INT, lensAddress + i * 4L, length);
    }

    /**
     * Moves packet {@code i}'s start to {@code dataOff}, whose address the caller computed from the slot's: a slot's
     * address and length always mirror its mbuf's buf_addr + data_off and data_len (every method that moves or fills
     * a slot keeps them so), which spares reading them back from the mbuf.
     */
    private long moveStart(int i, long m, int dataOff, long address, int length) {
        ALL.set(JAVA_SHORT, m + MbufLayout.DATA_OFF, (short) dataOff);
        addrs.setAtIndex(JAVA_LONG, i, address);
        writeLength(i, m, length);
        return address;
    }

    /** Drops the first {@code n} slots (they were sent or enqueued) and moves the rest to the front. */
    private void removeFront(int n) {
        final int rest = count - n;
        if (n > 0 && rest > 0) {
            MemorySegment.copy(mbufs, n * 8L, mbufs, 0, rest * 8L);
            MemorySegment.copy(addrs, n * 8L, addrs, 0, rest * 8L);
            MemorySegment.copy(lens, n * 4L, lens, 0, rest * 4L);
        }
        count = rest;
    }
}
