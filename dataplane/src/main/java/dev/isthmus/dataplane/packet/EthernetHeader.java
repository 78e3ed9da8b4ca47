package dev.isthmus.dataplane.packet;

/**
 * An Ethernet II header (IEEE 802.3 clause 3.2.6) with up to {@link #MAX_VLAN_TAGS} IEEE 802.1Q / 802.1ad tags.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Destination MAC (6 octets)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+       Source MAC (6 octets)   +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TPID 0x8100 / 0x88A8 (opt.) |  PCP|D|    VLAN ID (opt.)     |  (repeated per tag)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |   payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * {@link HeaderParser} walks the tags of a received frame ({@link PacketHeaders#etherType},
 * {@link PacketHeaders#l3Offset}); this view reads and writes the addresses and the outer tag.
 */
public final class EthernetHeader {

    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    public static final int VLAN_TAG_LENGTH = 4;
    /** Tags parsed before the frame counts as malformed (QinQ is two). */
    public static final int MAX_VLAN_TAGS = 2;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int TYPE_VLAN = 0x8100;
    /** IEEE 802.1ad service VLAN tag (QinQ outer tag). */
    public static final int TYPE_QINQ = 0x88A8;

    private long address;
    private int length;

    /** Points this view at a frame (whose tags {@link HeaderParser} has walked: {@link PacketHeaders#l3Offset}). */
    public EthernetHeader wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    public long destination() {
        return PacketMemory.u48(address + DESTINATION_OFFSET);
    }

    public long source() {
        return PacketMemory.u48(address + SOURCE_OFFSET);
    }

    public EthernetHeader destination(long mac) {
        PacketMemory.put48(address + DESTINATION_OFFSET, mac);
        return this;
    }

    public EthernetHeader source(long mac) {
        PacketMemory.put48(address + SOURCE_OFFSET, mac);
        return this;
    }

    /** Swaps source and destination MAC in place (12 bytes, two loads and two stores). */
    public EthernetHeader swapMacs() {
        swapMacs(address);
        return this;
    }

    /**
     * Swaps the MAC addresses of the frame at {@code frame} without wrapping it: the 12 bytes are one 64-bit and one
     * 32-bit load and store (destination = bytes 0-5, source = bytes 6-11).
     */
    public static void swapMacs(long frame) {
        long head = PacketMemory.i64(frame);
        long tail = PacketMemory.i32(frame + 8) & 0xFFFF_FFFFL;
        long dst = head >>> 16;
        long src = ((head & 0xFFFF) << 32) | tail;
        PacketMemory.put64(frame, (src << 16) | (dst >>> 32));
        PacketMemory.put32(frame + 8, (int) dst);
    }

    /** The type field right after the MAC addresses: a TPID when the frame is tagged. */
    public int outerType() {
        return PacketMemory.u16(address + TYPE_OFFSET);
    }

    /** Sets the type field right after the MAC addresses (untagged frames). */
    public EthernetHeader outerType(int type) {
        PacketMemory.put16(address + TYPE_OFFSET, type);
        return this;
    }

    private boolean tagged() {
        final int type = outerType();
        return type == TYPE_VLAN || type == TYPE_QINQ;
    }

    /** The VLAN ID of the outer tag, or -1 when the frame is untagged. */
    public int vlanId() {
        return !tagged() ? -1 : PacketMemory.u16(address + TYPE_OFFSET + 2) & 0x0FFF;
    }

    /** The priority code point of the outer tag, or -1 when untagged. */
    public int vlanPriority() {
        return !tagged() ? -1 : PacketMemory.u16(address + TYPE_OFFSET + 2) >>> 13;
    }
}
