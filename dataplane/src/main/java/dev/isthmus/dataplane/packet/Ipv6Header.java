package dev.isthmus.dataplane.packet;

/**
 * An IPv6 header (RFC 8200 §3) and its chain of extension headers (RFC 8200 §4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (128 bits)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Destination Address (128 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * {@link HeaderParser} validates a received header and walks its extension headers ({@link PacketHeaders#protocol},
 * {@link PacketHeaders#l4Offset}); this view reads and writes the fixed header.
 */
public final class Ipv6Header {

    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;

    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_TCP = 6;
    public static final int NEXT_UDP = 17;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ESP = 50;
    public static final int NEXT_AH = 51;
    public static final int NEXT_ICMPV6 = 58;
    public static final int NEXT_NONE = 59;
    public static final int NEXT_DESTINATION_OPTIONS = 60;

    /** Extension headers walked before the chain counts as malformed (RFC 8200 has at most ~6 in practice). */
    public static final int MAX_EXTENSION_HEADERS = 8;

    private long address;
    private int length;

    public Ipv6Header wrap(long address, int length) {
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

    public int trafficClass() {
        return (PacketMemory.u16(address) >>> 4) & 0xFF;
    }

    public int flowLabel() {
        return PacketMemory.i32(address) & 0xF_FFFF;
    }

    /** Writes version 6, a traffic class and a flow label. */
    public Ipv6Header versionClassFlow(int trafficClass, int flowLabel) {
        PacketMemory.put32(address, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
        return this;
    }

    public int payloadLength() {
        return PacketMemory.u16(address + PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6Header payloadLength(int payloadLength) {
        PacketMemory.put16(address + PAYLOAD_LENGTH_OFFSET, payloadLength);
        return this;
    }

    public int nextHeader() {
        return PacketMemory.u8(address + NEXT_HEADER_OFFSET);
    }

    public Ipv6Header nextHeader(int nextHeader) {
        PacketMemory.put8(address + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public int hopLimit() {
        return PacketMemory.u8(address + HOP_LIMIT_OFFSET);
    }

    public Ipv6Header hopLimit(int hopLimit) {
        PacketMemory.put8(address + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    public long sourceHigh() {
        return PacketMemory.i64(address + SOURCE_OFFSET);
    }

    public long sourceLow() {
        return PacketMemory.i64(address + SOURCE_OFFSET + 8);
    }

    public long destinationHigh() {
        return PacketMemory.i64(address + DESTINATION_OFFSET);
    }

    public long destinationLow() {
        return PacketMemory.i64(address + DESTINATION_OFFSET + 8);
    }

    public Ipv6Header source(long high, long low) {
        PacketMemory.put64(address + SOURCE_OFFSET, high);
        PacketMemory.put64(address + SOURCE_OFFSET + 8, low);
        return this;
    }

    public Ipv6Header destination(long high, long low) {
        PacketMemory.put64(address + DESTINATION_OFFSET, high);
        PacketMemory.put64(address + DESTINATION_OFFSET + 8, low);
        return this;
    }

    /** Swaps source and destination addresses; upper-layer checksums are unchanged (the sum is commutative). */
    public Ipv6Header swapAddresses() {
        long sh = sourceHigh();
        long sl = sourceLow();
        source(destinationHigh(), destinationLow());
        destination(sh, sl);
        return this;
    }

    /** The pseudo-header sum for an upper layer of {@code length} bytes of protocol {@code nextHeader} (RFC 8200 §8.1). */
    public long pseudoHeaderSum(int length, int nextHeader) {
        return InternetChecksum.ipv6PseudoHeader(address + SOURCE_OFFSET, length, nextHeader);
    }
}
