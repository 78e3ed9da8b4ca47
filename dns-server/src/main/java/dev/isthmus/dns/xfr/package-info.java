/**
 * Zones given to secondaries: outgoing zone transfers (AXFR, RFC 5936; IXFR, RFC 1995) and NOTIFY (RFC 1996).
 *
 * <p>All of it is control-plane work on kernel sockets in the JVM, never on the poll loops: a transfer arrives over
 * TCP through the exception path, where the kernel-socket transport hands it to {@link
 * dev.isthmus.dns.xfr.TransferResponder}; NOTIFY leaves from {@link dev.isthmus.dns.xfr.Notifier}'s own UDP socket.
 * {@link dev.isthmus.dns.xfr.ZoneTransfers} listens to the {@link dev.isthmus.dns.engine.ZoneCatalog}: for every
 * change to a zone that may be transferred it records the difference in a bounded {@link
 * dev.isthmus.dns.xfr.ZoneHistory} (from which IXFR answers) and sends NOTIFY. Who may transfer what is an immutable
 * {@link dev.isthmus.dns.xfr.TransferPolicies} snapshot, replaced with one volatile write. Messages are built by
 * {@link dev.isthmus.dns.xfr.TransferWriter}; serial numbers compare by RFC 1982 ({@link dev.isthmus.dns.xfr.Serial}).
 * Allocation is fine here (one transfer is a few objects per record); the data plane's only part in it is the
 * answer to IXFR over UDP, which the engine gives without allocating.
 */
package dev.isthmus.dns.xfr;
