/**
 * Zero-copy packet views: reusable flyweights over packet bytes in native memory (mbuf data), one instance per lcore,
 * re-pointed with {@code wrap(address, length)} for every packet so the data path creates no object per packet.
 *
 * <p>Conventions: every multi-byte field is read and written big-endian (network order) through
 * {@link dev.isthmus.dataplane.packet.PacketMemory}, whatever the host's order; {@code *_OFFSET} constants give field
 * positions, the header is drawn in each class's Javadoc as in its RFC; setters return {@code this}.
 *
 * <p>Received headers are validated once, by {@link dev.isthmus.dataplane.packet.HeaderParser}, the one validator:
 * it checks lengths against the bytes actually there before reading any field beyond them, and records per packet
 * in {@link dev.isthmus.dataplane.packet.PacketHeaders} the offsets, protocol, ports, flags and either
 * {@link dev.isthmus.dataplane.counters.DropReasons#VALID} or the {@link dev.isthmus.dataplane.counters.DataplaneDrop}
 * reason to count; stages read that and wrap flyweights at the offsets it gives. ({@link
 * dev.isthmus.dataplane.packet.ArpPacket#validate()} remains for ARP inside decapsulated frames.) Checksums (full
 * and RFC 1624 incremental) are in {@link dev.isthmus.dataplane.packet.InternetChecksum}.
 */
package dev.isthmus.dataplane.packet;
