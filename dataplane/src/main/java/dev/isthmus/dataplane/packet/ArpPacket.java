package dev.isthmus.dataplane.packet;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (1 = Ethernet) |  Protocol type (0x0800)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HLEN (6)     |  PLEN (4)     |   Operation (1 req, 2 reply)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Sender hardware address (6) | Sender protocol address (4)    |
 * |  Target hardware address (6) | Target protocol address (4)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpPacket {

    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    public static final int LENGTH = 28;

    public static final int HARDWARE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private long address;
    private int length;

    public ArpPacket wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    /**
     * Checks the packet is whole and is Ethernet/IPv4 ARP with 6- and 4-byte addresses (RFC 826, "Packet
     * Reception": anything else is not ours to answer).
     */
    public int validate() {
        return malformed(address, length) ? DropReasons.code(DataplaneDrop.ARP_MALFORMED) : DropReasons.VALID;
    }

    /** Whether the {@code length} bytes at {@code address} are not a whole Ethernet/IPv4 ARP packet (RFC 826). */
    public static boolean malformed(long address, int length) {
        return length < LENGTH
                || PacketMemory.u16(address + HARDWARE_TYPE_OFFSET) != HARDWARE_ETHERNET
                || PacketMemory.u16(address + PROTOCOL_TYPE_OFFSET) != EthernetHeader.TYPE_IPV4
                || PacketMemory.u8(address + HARDWARE_LENGTH_OFFSET) != 6
                || PacketMemory.u8(address + PROTOCOL_LENGTH_OFFSET) != 4;
    }

    public int operation() {
        return PacketMemory.u16(address + OPERATION_OFFSET);
    }

    public ArpPacket operation(int operation) {
        PacketMemory.put16(address + OPERATION_OFFSET, operation);
        return this;
    }

    public long senderMac() {
        return PacketMemory.u48(address + SENDER_MAC_OFFSET);
    }

    public ArpPacket senderMac(long mac) {
        PacketMemory.put48(address + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public int senderIp() {
        return PacketMemory.i32(address + SENDER_IP_OFFSET);
    }

    public ArpPacket senderIp(int ip) {
        PacketMemory.put32(address + SENDER_IP_OFFSET, ip);
        return this;
    }

    public long targetMac() {
        return PacketMemory.u48(address + TARGET_MAC_OFFSET);
    }

    public ArpPacket targetMac(long mac) {
        PacketMemory.put48(address + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public int targetIp() {
        return PacketMemory.i32(address + TARGET_IP_OFFSET);
    }

    public ArpPacket targetIp(int ip) {
        PacketMemory.put32(address + TARGET_IP_OFFSET, ip);
        return this;
    }

    /** Writes the fixed part of an Ethernet/IPv4 ARP packet: types, lengths and operation. */
    public ArpPacket writeEthernetIpv4(int operation) {
        PacketMemory.put16(address + HARDWARE_TYPE_OFFSET, HARDWARE_ETHERNET);
        PacketMemory.put16(address + PROTOCOL_TYPE_OFFSET, EthernetHeader.TYPE_IPV4);
        PacketMemory.put8(address + HARDWARE_LENGTH_OFFSET, 6);
        PacketMemory.put8(address + PROTOCOL_LENGTH_OFFSET, 4);
        return operation(operation);
    }
}
