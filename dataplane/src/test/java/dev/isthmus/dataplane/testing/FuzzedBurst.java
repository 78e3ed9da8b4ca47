package dev.isthmus.dataplane.testing;

import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.MbufLayout;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.NativeMemory;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Fuzz input for a data-plane stage: the fuzzer's bytes become one burst of frames in real mbufs of a real mempool,
 * the stage processes it as a worker would, and then the harness checks what the stage left behind: every packet
 * holds exactly one final verdict and it is a valid one (a known kind, a port of the dataplane, a registered drop
 * reason), a consumed mbuf is out of the burst and every other one still in it, every packet the stage made went to
 * a port of the dataplane; after the harness frees everything (as the worker would), the mempool's free count is
 * back where it started, so a leak or a double free fails the input.
 *
 * <p>Input layout, chosen so that mutations stay meaningful: byte 0 selects the input port (its value modulo the
 * port count) and, in its top bit, whether the frame carries that port per mbuf (as from a ring) instead of per
 * burst; bytes 1-2 (big-endian) are the low 16 bits of every mbuf's {@code ol_flags}, where the NIC's RX checksum
 * verdicts live; then
 * frames, each a big-endian 16-bit length and that many bytes (the last one cut short where the input ends), at
 * most {@link MbufBurst#MAX} of them and each at most {@link #MAX_FRAME} bytes. {@link #encode} writes the layout
 * for seeds.
 */
public final class FuzzedBurst implements AutoCloseable {
    /** Largest frame copied into an mbuf: an Ethernet jumbo-free MTU plus VLAN tags and VxLAN's overhead. */
    public static final int MAX_FRAME = 1600;

    private final Mempool pool;
    private final int ports;
    private final int[] portOfDpdkId;
    private final MbufBurst burst = new MbufBurst();
    private final MbufBurst sink = new MbufBurst();
    /** Held for the harness's life: DPDK caps a pool's free count at its size, which would hide a double free. */
    private final MbufBurst reserve = new MbufBurst();
    private final PacketFrame frame;
    private final long nanoTime;
    private int emitted;
    private String emitError;

    /**
     * @param name  prefix of the mempool's name
     * @param ports ports of the dataplane: numbers 0..ports-1, DPDK ids the same
     */
    public FuzzedBurst(String name, int ports) {
        Eal.shared();
        this.pool = Mempool.create(TestDataplanes.uniqueName(name), 1023);
        if (!reserve.allocate(pool, MbufBurst.MAX)) {
            throw new IllegalStateException("new mempool " + pool + " has fewer than " + MbufBurst.MAX + " mbufs");
        }
        this.ports = ports;
        this.portOfDpdkId = new int[ports];
        for (int p = 0; p < ports; p++) {
            portOfDpdkId[p] = p;
        }
        this.frame = new PacketFrame(portOfDpdkId, (mbuf, port) -> {
            if (mbuf == 0 || port < 0 || port >= this.ports) {
                emitError = "sent a new packet (mbuf 0x" + Long.toHexString(mbuf) + ") to port " + port;
            }
            emitted++;
            if (mbuf != 0) {
                sink.add(mbuf);
                sink.freeAll();
            }
        });
        // One fixed receipt time: what a stage does with time (aging, rate limits) must not differ between runs.
        this.nanoTime = System.nanoTime();
    }

    /** The mempool the frames come from (for stages that allocate new packets). */
    public Mempool pool() {
        return pool;
    }

    /** The receipt time every burst carries ({@link PacketFrame#nanoTime()}), fixed for the harness's life. */
    public long nanoTime() {
        return nanoTime;
    }

    /** Packets the stage made with {@link PacketFrame#transmitNew} since the last {@link #run}. */
    public int emitted() {
        return emitted;
    }

    /**
     * Loads {@code data} into a burst, runs {@code stage} over it and checks the outcome.
     *
     * @return the frame after the stage (its verdicts stay readable until the next run), its mbufs already freed
     * @throws AssertionError when a property does not hold; any exception from the stage escapes as it is
     */
    public PacketFrame run(byte[] data, PacketStage stage) {
        final int free = pool.available();
        emitted = 0;
        emitError = null;
        if (data.length < 3) {
            return null;
        }
        final boolean perMbufPort = (data[0] & 0x80) != 0;
        final int inputPort = (data[0] & 0x7F) % ports;
        final long olFlags = ((data[1] & 0xFF) << 8) | (data[2] & 0xFF);
        int p = 3;
        int n = 0;
        while (p + 2 <= data.length && n < MbufBurst.MAX) {
            int length = Math.min(((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF), MAX_FRAME);
            p += 2;
            length = Math.min(length, data.length - p);
            if (!burst.allocate(pool, 1)) {
                throw new AssertionError("mempool exhausted: " + pool.available() + " free");
            }
            MemorySegment.copy(data, p, NativeMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(n), length);
            burst.setDataLength(n, length);
            long mbuf = burst.mbuf(n);
            NativeMemory.ALL.set(ValueLayout.JAVA_SHORT, mbuf + MbufLayout.PORT, (short) inputPort);
            NativeMemory.ALL.set(ValueLayout.JAVA_LONG, mbuf + MbufLayout.OL_FLAGS, olFlags);
            p += length;
            n++;
        }
        frame.reset(burst, perMbufPort ? -1 : inputPort, 0, nanoTime);
        try {
            stage.process(frame);
            check(n);
        } finally {
            burst.freeAll();
        }
        if (pool.available() != free) {
            throw new AssertionError("mempool has " + pool.available() + " free mbufs after the burst, " + free
                + " before: " + (pool.available() < free ? "a leak" : "a double free"));
        }
        return frame;
    }

    private void check(int n) {
        if (emitError != null) {
            throw new AssertionError(emitError);
        }
        if (frame.size() != n) {
            throw new AssertionError("frame has " + frame.size() + " packets, " + n + " went in");
        }
        int undecided = 0;
        for (int i = 0; i < n; i++) {
            final int kind = frame.kind(i);
            final int target = frame.target(i);
            final boolean inBurst = burst.mbuf(i) != 0;
            final String what = "packet " + i + " (verdict kind " + kind + ", target " + target + ")";
            switch (kind) {
                case PacketFrame.PENDING -> undecided++;
                case PacketFrame.TRANSMIT -> {
                    if (target >= ports) {
                        throw new AssertionError(what + ": transmit to a port the dataplane does not have");
                    }
                }
                case PacketFrame.DROP -> {
                    if (DropReasons.reason(target) == null) {
                        throw new AssertionError(what + ": drop with no registered reason");
                    }
                }
                case PacketFrame.HAND_OFF, PacketFrame.PUNT, PacketFrame.CONSUMED -> {
                }
                default -> throw new AssertionError(what + ": no such verdict");
            }
            if (inBurst == (kind == PacketFrame.CONSUMED)) {
                throw new AssertionError(what + (inBurst ? ": consumed but still in the burst"
                    : ": taken out of the burst without the CONSUMED verdict"));
            }
            if (inBurst && (burst.dataLength(i) < 0 || burst.dataLength(i) > Mempool.DEFAULT_DATA_ROOM)) {
                throw new AssertionError(what + ": data length " + burst.dataLength(i));
            }
        }
        if (undecided != frame.pendingCount()) {
            throw new AssertionError(frame.pendingCount() + " pending by the frame's count, " + undecided + " by the"
                + " verdicts");
        }
    }

    /** The input layout for {@code frames} arriving on {@code inputPort} with these RX {@code ol_flags} (seeds). */
    public static byte[] encode(int inputPort, int olFlags, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(inputPort);
        out.write(olFlags >>> 8);
        out.write(olFlags);
        for (byte[] f : frames) {
            out.write(f.length >>> 8);
            out.write(f.length);
            out.write(f, 0, f.length);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        reserve.freeAll();
        pool.close();
    }
}
