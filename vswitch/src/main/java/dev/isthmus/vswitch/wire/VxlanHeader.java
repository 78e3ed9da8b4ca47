package dev.isthmus.vswitch.wire;

import dev.isthmus.dataplane.packet.PacketMemory;

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
 * <p>Access goes through {@link PacketMemory}, so {@link #wrap(long, int)} takes a raw address (an mbuf's data
 * pointer plus an offset) without creating a segment per packet; the caller owns the bounds.
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

    private long address;

    /**
     * Points this flyweight at a header at a native address (an mbuf's data plus the header's offset).
     *
     * @param address address of the first header byte
     * @param length bytes available from {@code address}; must be at least {@link #LENGTH}
     * @return this
     */
    public VxlanHeader wrap(long address, int length) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("VxLAN header needs " + LENGTH + " bytes, have " + length);
        }
        this.address = address;
        return this;
    }

    /** @return the flags byte (bit 3, value {@code 0x08}, is the I flag) */
    public int flags() {
        return PacketMemory.u8(address + FLAGS_OFFSET);
    }

    /** @return the 24-bit VNI */
    public int vni() {
        return PacketMemory.i32(address + VNI_OFFSET) >>> 8;
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
        return isWellFormed(PacketMemory.i32(address), PacketMemory.i32(address + VNI_OFFSET));
    }

    /**
     * {@link #isWellFormed()} of a header already loaded: its first 32-bit word (flags and reserved) and second (VNI
     * and reserved).
     */
    public static boolean isWellFormed(int flagsWord, int vniWord) {
        return flagsWord == WORD0_VALID && (vniWord & 0xFF) == 0;
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
        PacketMemory.put64(address, headerWord(vni));
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
