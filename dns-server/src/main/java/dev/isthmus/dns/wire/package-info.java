/**
 * The DNS wire format (RFC 1035 §4): names, type and class codes, RDATA layouts, and the codec that reads and
 * writes whole messages with name compression (RFC 1035 §4.1.4).
 *
 * <p>Reading untrusted bytes never throws anything but {@link dev.isthmus.dns.wire.WireFormatException}: loops,
 * forward or out-of-range compression pointers, labels past the end and counts larger than the message are all
 * reported as that one exception. Byte order is network order (big-endian) everywhere.
 */
package dev.isthmus.dns.wire;
