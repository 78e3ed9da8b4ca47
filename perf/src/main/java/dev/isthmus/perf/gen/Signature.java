package dev.isthmus.perf.gen;

import dev.isthmus.dataplane.packet.PacketMemory;

/**
 * The 18 bytes a generated UDP stream carries at the start of its (innermost) UDP payload, so that the receiver
 * can tell its packets apart from everything else, count them per stream, find lost, reordered and duplicated ones,
 * and measure latency:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic 0x49534D47 "ISMG"                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           stream id           |        sequence (high)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        sequence (low)         |   send time (ns, 64 bits) ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * All fields big-endian. The sequence is the packet's index in its stream modulo 2^32 (the receiver extends it
 * against the highest it has seen); the send time is {@code System.nanoTime()} of the TX burst (CLOCK_MONOTONIC, so
 * two generator processes on one host agree), 0 in {@code --dump-pcap} output.
 */
public final class Signature {

    public static final int LENGTH = 18;
    public static final int MAGIC = 0x49534D47;
    public static final int MAGIC_OFFSET = 0;
    public static final int STREAM_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int TIME_OFFSET = 10;

    private Signature() {
    }

    public static void write(long address, int stream, long sequence, long nanoTime) {
        PacketMemory.put32(address + MAGIC_OFFSET, MAGIC);
        PacketMemory.put16(address + STREAM_OFFSET, stream);
        PacketMemory.put32(address + SEQUENCE_OFFSET, (int) sequence);
        PacketMemory.put64(address + TIME_OFFSET, nanoTime);
    }

    public static boolean matches(long address, int length) {
        return length >= LENGTH && PacketMemory.i32(address + MAGIC_OFFSET) == MAGIC;
    }

    public static int stream(long address) {
        return PacketMemory.u16(address + STREAM_OFFSET);
    }

    public static int sequence(long address) {
        return PacketMemory.i32(address + SEQUENCE_OFFSET);
    }

    public static long time(long address) {
        return PacketMemory.i64(address + TIME_OFFSET);
    }
}
