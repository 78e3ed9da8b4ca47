package dev.isthmus.dataplane.packet;

/**
 * A UDP header (RFC 768).
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * Wrapped over the IP payload; {@code length} is the IP payload length (from Total/Payload Length, not the frame).
 * Received headers are validated by {@link HeaderParser}; this view reads and writes fields.
 */
public final class UdpHeader {

    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    private long address;
    private int length;

    public UdpHeader wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    /**
     * Verifies the checksum over pseudo-header, header and data. Zero means "no checksum" over IPv4 (RFC 768) and is
     * accepted there; over IPv6 it is invalid (RFC 8200 §8.1), so a caller passes {@code zeroAllowed=false}.
     */
    public boolean checksumValid(long pseudoHeaderSum, boolean zeroAllowed) {
        if (checksum() == 0) {
            return zeroAllowed;
        }
        return InternetChecksum.verifies(InternetChecksum.sum(address, length(), pseudoHeaderSum));
    }

    /**
     * Computes and stores the checksum over pseudo-header, header and {@link #length()} bytes; a computed 0 is sent
     * as 0xFFFF since 0 means "none" (RFC 768).
     */
    public UdpHeader updateChecksum(long pseudoHeaderSum) {
        checksum(0);
        int checksum = InternetChecksum.finish(InternetChecksum.sum(address, length(), pseudoHeaderSum));
        checksum(checksum == 0 ? 0xFFFF : checksum);
        return this;
    }

    public long address() {
        return address;
    }

    public int sourcePort() {
        return PacketMemory.u16(address + SOURCE_PORT_OFFSET);
    }

    public UdpHeader sourcePort(int port) {
        PacketMemory.put16(address + SOURCE_PORT_OFFSET, port);
        return this;
    }

    public int destinationPort() {
        return PacketMemory.u16(address + DESTINATION_PORT_OFFSET);
    }

    public UdpHeader destinationPort(int port) {
        PacketMemory.put16(address + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /** Swaps the ports in place (one 32-bit rotate); the checksum is unchanged. */
    public UdpHeader swapPorts() {
        int ports = PacketMemory.i32(address);
        PacketMemory.put32(address, Integer.rotateLeft(ports, 16));
        return this;
    }

    /** The UDP Length field: header plus data. */
    public int length() {
        return PacketMemory.u16(address + LENGTH_OFFSET);
    }

    public UdpHeader length(int length) {
        PacketMemory.put16(address + LENGTH_OFFSET, length);
        return this;
    }

    public int checksum() {
        return PacketMemory.u16(address + CHECKSUM_OFFSET);
    }

    public UdpHeader checksum(int checksum) {
        PacketMemory.put16(address + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public long payloadAddress() {
        return address + HEADER_LENGTH;
    }

    /** Data bytes per the Length field. */
    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }
}
