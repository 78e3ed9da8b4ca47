package dev.isthmus.vswitch.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Flyweight over the 8-byte VxLAN header (RFC 7348 section 5), carried in UDP to destination port 4789:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The header is read as two big-endian 32-bit words: {@code word0} holds the flags byte and 24 reserved bits,
 * {@code word1} the VNI in its upper 24 bits and 8 reserved bits. A header is well formed for this switch when
 * {@code word0 == 0x08000000} (only the I flag) and the low byte of {@code word1} is zero; see
 * {@link #isWellFormed()} for why reserved bits are checked although RFC 7348 says to ignore them on receipt.
 *
 * <p>Access goes through one segment spanning the address space, so {@link #wrap(long, int)} takes a raw address
 * (e.g. an mbuf's data pointer plus an offset) without creating a segment per packet.
 */
public final class VxlanHeader {

    /** Length of the VxLAN header in bytes. */
    public static final int LENGTH = 8;
    /** IANA-assigned UDP destination port for VxLAN (RFC 7348 section 5, "Outer UDP Header"). */
    public static final int IANA_UDP_PORT = 4789;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the 24-bit VNI (followed by one reserved byte). */
    public static final int VNI_OFFSET = 4;
    /** The I flag: "MUST be set to 1 for a valid VXLAN Network ID (VNI)" (RFC 7348 section 5). */
    public static final int FLAG_I = 0x08;
    /** Largest VNI that fits the 24-bit field. */
    public static final int MAX_VNI = 0xFF_FFFF;

    private static final int WORD0_VALID = FLAG_I << 24;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment = ALL;
    private long base;

    /**
     * Points this flyweight at a header at a raw native address.
     *
     * @param address address of the first header byte
     * @param length bytes available from {@code address}; must be at least {@link #LENGTH}
     * @return this
     */
    public VxlanHeader wrap(long address, int length) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("VxLAN header needs " + LENGTH + " bytes, have " + length);
        }
        this.segment = ALL;
        this.base = address;
        return this;
    }

    /**
     * Points this flyweight at a header inside a segment (tests, heap buffers).
     *
     * @param segment the segment holding the header
     * @param offset offset of the first header byte in {@code segment}
     * @param length bytes available from {@code offset}; must be at least {@link #LENGTH}
     * @return this
     */
    public VxlanHeader wrap(MemorySegment segment, long offset, int length) {
        if (length < LENGTH || offset + LENGTH > segment.byteSize()) {
            throw new IllegalArgumentException("VxLAN header needs " + LENGTH + " bytes at offset " + offset);
        }
        this.segment = segment;
        this.base = offset;
        return this;
    }

    /** @return the flags byte (bit 3, value {@code 0x08}, is the I flag) */
    public int flags() {
        return segment.get(ValueLayout.JAVA_BYTE, base + FLAGS_OFFSET) & 0xFF;
    }

    /** @return the 24-bit VNI */
    public int vni() {
        return segment.get(INT_BE, base + VNI_OFFSET) >>> 8;
    }

    /**
     * Whether the header carries a VNI this switch may accept: the I flag set, every reserved bit zero.
     *
     * <p>RFC 7348 section 5 says reserved bits "MUST be set to zero on transmission and ignored on receipt".
     * We drop instead, as Linux's vxlan driver and VPP do: a set reserved bit means an extension this switch does
     * not implement (Group Policy, VXLAN-GPE's next-protocol), and forwarding such a frame as plain Ethernet would
     * misread its payload.
     *
     * @return true when the header is exactly {@code 08 00 00 00 vv vv vv 00}
     */
    public boolean isWellFormed() {
        return segment.get(INT_BE, base) == WORD0_VALID && (segment.get(INT_BE, base + VNI_OFFSET) & 0xFF) == 0;
    }

    /** @return whether the I flag is set, whatever the reserved bits */
    public boolean hasValidVniFlag() {
        return (flags() & FLAG_I) != 0;
    }

    /**
     * Writes a complete header: the I flag, the VNI, and zeros in every reserved bit (RFC 7348 section 5).
     *
     * @param vni the 24-bit VNI
     * @return this
     */
    public VxlanHeader set(int vni) {
        segment.set(INT_BE, base, WORD0_VALID);
        segment.set(INT_BE, base + VNI_OFFSET, (vni & MAX_VNI) << 8);
        return this;
    }

    /**
     * The 64-bit big-endian value of a complete header for {@code vni}, for writing the header with one store.
     *
     * @param vni the 24-bit VNI
     * @return the header's 8 bytes as a big-endian long
     */
    public static long headerWord(int vni) {
        return ((long) WORD0_VALID << 32) | (((long) (vni & MAX_VNI) << 8) & 0xFFFF_FFFFL);
    }
}
