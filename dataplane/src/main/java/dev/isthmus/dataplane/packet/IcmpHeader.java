package dev.isthmus.dataplane.packet;

/**
 * An ICMP message header (RFC 792), with the identifier and sequence number words of Echo and Echo Reply.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  (Echo, Echo Reply)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * </pre>
 *
 * The checksum covers the whole message, with no pseudo-header. Wrapped over the IPv4 payload.
 */
public final class IcmpHeader {

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    private long address;
    private int length;

    public IcmpHeader wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    public boolean checksumValid() {
        return InternetChecksum.verifies(InternetChecksum.sum(address, length, 0));
    }

    /** Computes and stores the checksum over the {@code length} bytes wrapped. */
    public IcmpHeader updateChecksum() {
        checksum(0);
        checksum(InternetChecksum.compute(address, length));
        return this;
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    public int type() {
        return PacketMemory.u8(address + TYPE_OFFSET);
    }

    /** Sets the type and incrementally fixes the checksum (the type shares a 16-bit word with the code). */
    public IcmpHeader typeUpdatingChecksum(int type) {
        int oldWord = PacketMemory.u16(address);
        PacketMemory.put8(address + TYPE_OFFSET, type);
        checksum(InternetChecksum.update16(checksum(), oldWord, PacketMemory.u16(address)));
        return this;
    }

    public IcmpHeader type(int type) {
        PacketMemory.put8(address + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return PacketMemory.u8(address + CODE_OFFSET);
    }

    public IcmpHeader code(int code) {
        PacketMemory.put8(address + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return PacketMemory.u16(address + CHECKSUM_OFFSET);
    }

    public IcmpHeader checksum(int checksum) {
        PacketMemory.put16(address + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int identifier() {
        return PacketMemory.u16(address + IDENTIFIER_OFFSET);
    }

    public int sequence() {
        return PacketMemory.u16(address + SEQUENCE_OFFSET);
    }
}
