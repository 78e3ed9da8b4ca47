/**
 * Zero-copy packet views: reusable flyweights over packet bytes in native memory (mbuf data), one instance per lcore,
 * re-pointed with {@code wrap(address, length)} for every packet so the data path creates no object per packet.
 *
 * <p>Conventions: every multi-byte field is read and written big-endian (network order) through
 * {@link dev.isthmus.dataplane.packet.PacketMemory}, whatever the host's order; {@code *_OFFSET} constants give field
 * positions, the header is drawn in each class's Javadoc as in its RFC; setters return {@code this}. A flyweight
 * trusts nothing: {@code validate()} checks lengths against the bytes actually there before any field beyond the
 * fixed header is read, and returns {@link dev.isthmus.dataplane.counters.DropReasons#VALID} or the code of the
 * {@link dev.isthmus.dataplane.counters.DataplaneDrop} reason to count. Checksums (full and RFC 1624 incremental)
 * are in {@link dev.isthmus.dataplane.packet.InternetChecksum}.
 */
package dev.isthmus.dataplane.packet;
