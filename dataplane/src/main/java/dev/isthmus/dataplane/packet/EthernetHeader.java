package dev.isthmus.dataplane.packet;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;

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
 * {@link #validate()} walks the tags; {@link #etherType()} is then the type after the last tag, {@link #vlanId()} the
 * VLAN of the first (outer) tag, and {@link #payloadOffset()} where the network header starts.
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
    private int etherType;
    private int payloadOffset;
    private int vlanTags;

    /** Points this view at a frame; call {@link #validate()} before reading beyond the fixed 14 bytes. */
    public EthernetHeader wrap(long address, int length) {
        this.address = address;
        this.length = length;
        this.etherType = 0;
        this.payloadOffset = HEADER_LENGTH;
        this.vlanTags = 0;
        return this;
    }

    /**
     * Checks the frame holds the header and its tags and resolves the inner EtherType.
     *
     * @return {@link DropReasons#VALID} or the code of {@link DataplaneDrop#ETHERNET_TRUNCATED}
     */
    public int validate() {
        if (length < HEADER_LENGTH) {
            return DropReasons.code(DataplaneDrop.ETHERNET_TRUNCATED);
        }
        int offset = TYPE_OFFSET;
        int type = PacketMemory.u16(address + offset);
        int tags = 0;
        while ((type == TYPE_VLAN || type == TYPE_QINQ) && tags < MAX_VLAN_TAGS) {
            offset += VLAN_TAG_LENGTH;
            if (offset + 2 > length) {
                return DropReasons.code(DataplaneDrop.ETHERNET_TRUNCATED);
            }
            type = PacketMemory.u16(address + offset);
            tags++;
        }
        etherType = type;
        vlanTags = tags;
        payloadOffset = offset + 2;
        return DropReasons.VALID;
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

    /** The EtherType after any VLAN tags (valid after {@link #validate()}). */
    public int etherType() {
        return etherType;
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

    /** How many VLAN tags precede the EtherType (valid after {@link #validate()}). */
    public int vlanTags() {
        return vlanTags;
    }

    /** The VLAN ID of the outer tag, or -1 when the frame is untagged. */
    public int vlanId() {
        return vlanTags == 0 ? -1 : PacketMemory.u16(address + TYPE_OFFSET + 2) & 0x0FFF;
    }

    /** The priority code point of the outer tag, or -1 when untagged. */
    public int vlanPriority() {
        return vlanTags == 0 ? -1 : PacketMemory.u16(address + TYPE_OFFSET + 2) >>> 13;
    }

    /** Offset of the network-layer header from the start of the frame. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public long payloadAddress() {
        return address + payloadOffset;
    }

    public int payloadLength() {
        return length - payloadOffset;
    }
}
