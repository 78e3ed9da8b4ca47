package dev.isthmus.dataplane.packet;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;

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
 * {@link #validate()} walks the extension headers, bounded in number and by Payload Length, and leaves
 * {@link #upperLayerProtocol()} and {@link #upperLayerOffset()} pointing at the first header that is not an extension.
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
    private int upperLayerProtocol;
    private int upperLayerOffset;

    public Ipv6Header wrap(long address, int length) {
        this.address = address;
        this.length = length;
        this.upperLayerProtocol = -1;
        this.upperLayerOffset = HEADER_LENGTH;
        return this;
    }

    /**
     * Checks version 6 and that Payload Length fits in the bytes present, then walks the extension headers:
     * Hop-by-Hop, Routing, Destination Options ((Hdr Ext Len + 1) × 8 bytes, RFC 8200 §4.3-4.6) and AH
     * ((Payload Len + 2) × 4 bytes, RFC 4302 §2.2) are skipped; a Fragment header (RFC 8200 §4.5) means a fragment,
     * dropped since there is no reassembly — except an atomic fragment (offset 0, M clear, RFC 6946) which is skipped.
     * The walk stops at the first other protocol (ESP and No Next Header included) and never reads past Payload Length.
     *
     * @return {@link DropReasons#VALID} or the code of the failed check's {@link DataplaneDrop}
     */
    public int validate() {
        if (length < HEADER_LENGTH) {
            return DropReasons.code(DataplaneDrop.IPV6_TRUNCATED);
        }
        if ((PacketMemory.u8(address) >>> 4) != 6) {
            return DropReasons.code(DataplaneDrop.IPV6_BAD_VERSION);
        }
        int end = HEADER_LENGTH + payloadLength();
        if (end > length) {
            return DropReasons.code(DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH);
        }
        int next = PacketMemory.u8(address + NEXT_HEADER_OFFSET);
        int offset = HEADER_LENGTH;
        for (int walked = 0; ; walked++) {
            int extensionLength;
            switch (next) {
                case NEXT_HOP_BY_HOP, NEXT_ROUTING, NEXT_DESTINATION_OPTIONS -> {
                    if (offset + 2 > end) {
                        return DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
                    }
                    // RFC 8200 §4.3: a Hop-by-Hop header may only follow the IPv6 header itself.
                    if (next == NEXT_HOP_BY_HOP && offset != HEADER_LENGTH) {
                        return DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
                    }
                    extensionLength = (PacketMemory.u8(address + offset + 1) + 1) << 3;
                }
                case NEXT_AH -> {
                    if (offset + 2 > end) {
                        return DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
                    }
                    extensionLength = (PacketMemory.u8(address + offset + 1) + 2) << 2;
                }
                case NEXT_FRAGMENT -> {
                    if (offset + 8 > end) {
                        return DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
                    }
                    int offsetAndFlags = PacketMemory.u16(address + offset + 2);
                    if ((offsetAndFlags & 0xFFF9) != 0) {
                        return DropReasons.code(DataplaneDrop.IPV6_FRAGMENT);
                    }
                    extensionLength = 8;
                }
                default -> {
                    upperLayerProtocol = next;
                    upperLayerOffset = offset;
                    return DropReasons.VALID;
                }
            }
            if (walked >= MAX_EXTENSION_HEADERS || offset + extensionLength > end) {
                return DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
            }
            next = PacketMemory.u8(address + offset);
            offset += extensionLength;
        }
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

    /** The first header that is not an IPv6 extension (valid after {@link #validate()}). */
    public int upperLayerProtocol() {
        return upperLayerProtocol;
    }

    /** Offset of the upper-layer header from the IPv6 header (valid after {@link #validate()}). */
    public int upperLayerOffset() {
        return upperLayerOffset;
    }

    public long upperLayerAddress() {
        return address + upperLayerOffset;
    }

    /** Bytes of the upper layer: Payload Length less the extension headers. */
    public int upperLayerLength() {
        return HEADER_LENGTH + payloadLength() - upperLayerOffset;
    }

    /** The pseudo-header sum for an upper layer of {@code length} bytes of protocol {@code nextHeader} (RFC 8200 §8.1). */
    public long pseudoHeaderSum(int length, int nextHeader) {
        return InternetChecksum.ipv6PseudoHeader(address + SOURCE_OFFSET, length, nextHeader);
    }
}
