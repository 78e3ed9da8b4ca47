package dev.isthmus.dataplane.packet;

/**
 * An ICMPv6 message (RFC 4443 §2.1), with the fields of Echo (RFC 4443 §4) and of Neighbor Solicitation and
 * Advertisement (RFC 4861 §4.3, §4.4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Echo: Identifier | Sequence;  NS: Reserved;  NA: |R|S|O| Reserved |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  NS/NA: Target Address (128 bits)                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  NS/NA: Options (type, length in 8-octet units, value) ...
 * </pre>
 *
 * The checksum covers an IPv6 pseudo-header (RFC 4443 §2.3), so it is verified and computed with the pseudo-header
 * sum of the enclosing {@link Ipv6Header}.
 */
public final class Icmpv6Header {

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int FLAGS_OFFSET = 4;
    public static final int TARGET_OFFSET = 8;
    public static final int ND_OPTIONS_OFFSET = 24;
    public static final int HEADER_LENGTH = 8;
    /** Neighbor Solicitation/Advertisement without options. */
    public static final int ND_LENGTH = 24;

    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    /** Neighbor Advertisement flags (RFC 4861 §4.4) in the first byte of the word at offset 4. */
    public static final int NA_FLAG_ROUTER = 0x80;
    public static final int NA_FLAG_SOLICITED = 0x40;
    public static final int NA_FLAG_OVERRIDE = 0x20;

    /** ND option types (RFC 4861 §4.6.1). */
    public static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_ADDRESS = 2;

    private long address;
    private int length;

    public Icmpv6Header wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    public boolean checksumValid(long pseudoHeaderSum) {
        return InternetChecksum.verifies(InternetChecksum.sum(address, length, pseudoHeaderSum));
    }

    /** Computes and stores the checksum over the {@code length} bytes wrapped and the pseudo-header. */
    public Icmpv6Header updateChecksum(long pseudoHeaderSum) {
        checksum(0);
        checksum(InternetChecksum.finish(InternetChecksum.sum(address, length, pseudoHeaderSum)));
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

    public Icmpv6Header type(int type) {
        PacketMemory.put8(address + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return PacketMemory.u8(address + CODE_OFFSET);
    }

    public Icmpv6Header code(int code) {
        PacketMemory.put8(address + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return PacketMemory.u16(address + CHECKSUM_OFFSET);
    }

    public Icmpv6Header checksum(int checksum) {
        PacketMemory.put16(address + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int identifier() {
        return PacketMemory.u16(address + IDENTIFIER_OFFSET);
    }

    public int sequence() {
        return PacketMemory.u16(address + SEQUENCE_OFFSET);
    }

    /** The 32-bit word after the checksum: NA flags and reserved bits, or reserved in NS. */
    public int word1() {
        return PacketMemory.i32(address + FLAGS_OFFSET);
    }

    public Icmpv6Header word1(int value) {
        PacketMemory.put32(address + FLAGS_OFFSET, value);
        return this;
    }

    public long targetHigh() {
        return PacketMemory.i64(address + TARGET_OFFSET);
    }

    public long targetLow() {
        return PacketMemory.i64(address + TARGET_OFFSET + 8);
    }

    public Icmpv6Header target(long high, long low) {
        PacketMemory.put64(address + TARGET_OFFSET, high);
        PacketMemory.put64(address + TARGET_OFFSET + 8, low);
        return this;
    }

    /**
     * Finds an ND option of a type after the target address and returns its offset from the message start, or -1.
     * Returns -2 when the options are malformed: an option of length zero or one overrunning the message must make
     * the whole message be discarded (RFC 4861 §4.6 and §7.1.1).
     */
    public int findNdOption(int type) {
        int offset = ND_OPTIONS_OFFSET;
        int found = -1;
        while (offset + 2 <= length) {
            int optionLength = PacketMemory.u8(address + offset + 1) << 3;
            if (optionLength == 0 || offset + optionLength > length) {
                return -2;
            }
            if (found < 0 && PacketMemory.u8(address + offset) == type) {
                found = offset;
            }
            offset += optionLength;
        }
        return offset == length ? found : -2;
    }
}
