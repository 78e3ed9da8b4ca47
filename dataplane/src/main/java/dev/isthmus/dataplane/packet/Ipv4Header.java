package dev.isthmus.dataplane.packet;

/**
 * An IPv4 header with options (RFC 791 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The view is wrapped over the bytes after the Ethernet header; {@code length} is what the frame holds from there,
 * which may exceed Total Length (Ethernet pads short frames to 60 bytes). Received headers are validated by
 * {@link HeaderParser}, once per packet; this view reads and writes fields.
 */
public final class Ipv4Header {

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    /** Don't Fragment in the flags/fragment-offset word. */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments in the flags/fragment-offset word. */
    public static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private long address;
    private int length;

    public Ipv4Header wrap(long address, int length) {
        this.address = address;
        this.length = length;
        return this;
    }

    public long address() {
        return address;
    }

    public int version() {
        return PacketMemory.u8(address) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (PacketMemory.u8(address) & 0x0F) << 2;
    }

    /** Writes version 4 and the IHL for a header of {@code headerLength} bytes (a multiple of 4, 20..60). */
    public Ipv4Header versionAndHeaderLength(int headerLength) {
        PacketMemory.put8(address, 0x40 | (headerLength >>> 2));
        return this;
    }

    public int tos() {
        return PacketMemory.u8(address + TOS_OFFSET);
    }

    public Ipv4Header tos(int tos) {
        PacketMemory.put8(address + TOS_OFFSET, tos);
        return this;
    }

    public int totalLength() {
        return PacketMemory.u16(address + TOTAL_LENGTH_OFFSET);
    }

    public Ipv4Header totalLength(int totalLength) {
        PacketMemory.put16(address + TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    public int identification() {
        return PacketMemory.u16(address + IDENTIFICATION_OFFSET);
    }

    public Ipv4Header identification(int identification) {
        PacketMemory.put16(address + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The flags and fragment offset word (flags in the top 3 bits). */
    public int flagsAndFragmentOffset() {
        return PacketMemory.u16(address + FLAGS_FRAGMENT_OFFSET);
    }

    public Ipv4Header flagsAndFragmentOffset(int value) {
        PacketMemory.put16(address + FLAGS_FRAGMENT_OFFSET, value);
        return this;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return (flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK) << 3;
    }

    /** True for any fragment of a fragmented datagram: MF set or a non-zero offset (RFC 791 §3.2). */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return PacketMemory.u8(address + TTL_OFFSET);
    }

    public Ipv4Header ttl(int ttl) {
        PacketMemory.put8(address + TTL_OFFSET, ttl);
        return this;
    }

    public int protocol() {
        return PacketMemory.u8(address + PROTOCOL_OFFSET);
    }

    public Ipv4Header protocol(int protocol) {
        PacketMemory.put8(address + PROTOCOL_OFFSET, protocol);
        return this;
    }

    public int checksum() {
        return PacketMemory.u16(address + CHECKSUM_OFFSET);
    }

    public Ipv4Header checksum(int checksum) {
        PacketMemory.put16(address + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int source() {
        return PacketMemory.i32(address + SOURCE_OFFSET);
    }

    public Ipv4Header source(int source) {
        PacketMemory.put32(address + SOURCE_OFFSET, source);
        return this;
    }

    public int destination() {
        return PacketMemory.i32(address + DESTINATION_OFFSET);
    }

    public Ipv4Header destination(int destination) {
        PacketMemory.put32(address + DESTINATION_OFFSET, destination);
        return this;
    }

    /** Swaps source and destination addresses; the header checksum is unchanged (the sum is commutative). */
    public Ipv4Header swapAddresses() {
        int source = source();
        source(destination());
        destination(source);
        return this;
    }

    public long optionsAddress() {
        return address + MIN_HEADER_LENGTH;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    public long payloadAddress() {
        return address + headerLength();
    }

    /** Upper-layer length from Total Length (not from the frame, which may be padded). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** True when the header checksum verifies. */
    public boolean checksumValid() {
        return InternetChecksum.verifies(InternetChecksum.sum(address, headerLength(), 0));
    }

    /** Computes and stores the header checksum over the whole header, options included. */
    public Ipv4Header updateChecksum() {
        checksum(0);
        checksum(InternetChecksum.compute(address, headerLength()));
        return this;
    }

    /** The sum of this packet's pseudo-header for an upper-layer checksum (RFC 768). */
    public long pseudoHeaderSum() {
        return InternetChecksum.ipv4PseudoHeader(source(), destination(), protocol(), payloadLength());
    }

    /** True when the source is one no host may use: multicast, limited broadcast, 0/8 or loopback (RFC 1122 §3.2.1.3). */
    public static boolean isBogusSource(int source) {
        int first = source >>> 24;
        return first == 0 || first == 127 || (first & 0xF0) == 0xE0 || source == -1;
    }
}
