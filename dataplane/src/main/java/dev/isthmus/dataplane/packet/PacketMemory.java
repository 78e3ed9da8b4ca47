package dev.isthmus.dataplane.packet;

import dev.isthmus.nativebindings.NativeMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian, unaligned access to native memory by absolute address, through one segment spanning the address space
 * (so a packet view needs no {@link MemorySegment} of its own). Callers own the bounds: a flyweight reads only below
 * the length it was wrapped with.
 */
public final class PacketMemory {

    /** Every address of the process; offsets into it are absolute addresses ({@link NativeMemory#ALL}). */
    public static final MemorySegment ALL = NativeMemory.ALL;

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PacketMemory() {
    }

    /** The unsigned byte at {@code address}. */
    public static int u8(long address) {
        return ALL.get(U8, address) & 0xFF;
    }

    /** The unsigned big-endian 16-bit value at {@code address}. */
    public static int u16(long address) {
        return ALL.get(BE16, address) & 0xFFFF;
    }

    /** The big-endian 32-bit value at {@code address}. */
    public static int i32(long address) {
        return ALL.get(BE32, address);
    }

    /** The big-endian 64-bit value at {@code address}. */
    public static long i64(long address) {
        return ALL.get(BE64, address);
    }

    /** The big-endian 48-bit value (a MAC address) at {@code address}, in the low bits. */
    public static long u48(long address) {
        return ((long) u16(address) << 32) | (i32(address + 2) & 0xFFFF_FFFFL);
    }

    public static void put8(long address, int value) {
        ALL.set(U8, address, (byte) value);
    }

    public static void put16(long address, int value) {
        ALL.set(BE16, address, (short) value);
    }

    public static void put32(long address, int value) {
        ALL.set(BE32, address, value);
    }

    public static void put64(long address, long value) {
        ALL.set(BE64, address, value);
    }

    /** Writes the low 48 bits of {@code value} big-endian (a MAC address). */
    public static void put48(long address, long value) {
        put16(address, (int) (value >>> 32));
        put32(address + 2, (int) value);
    }

    /** Copies {@code length} bytes; the ranges may overlap. */
    public static void copy(long from, long to, long length) {
        MemorySegment.copy(ALL, from, ALL, to, length);
    }
}
