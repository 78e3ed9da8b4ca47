/**
 * Zone distribution between servers, both sides, all of it control-plane work on ordinary kernel sockets in the JVM
 * (never on a poll thread).
 *
 * <p>The primary's side: zones given to secondaries by AXFR (RFC 5936) and IXFR (RFC 1995) and announced by NOTIFY
 * (RFC 1996). A transfer arrives over TCP through the exception path, where the kernel-socket transport hands it to
 * {@link dev.isthmus.dns.xfr.TransferResponder}; NOTIFY leaves from {@link dev.isthmus.dns.xfr.Notifier}'s own UDP
 * socket. {@link dev.isthmus.dns.xfr.ZoneTransfers} listens to the {@link dev.isthmus.dns.engine.ZoneCatalog}: for
 * every change to a zone that may be transferred it records the difference in a bounded
 * {@link dev.isthmus.dns.xfr.ZoneHistory} (from which IXFR answers) and sends NOTIFY. Who may transfer what is an
 * immutable {@link dev.isthmus.dns.xfr.TransferPolicies} snapshot, replaced with one volatile write. Messages are
 * built by {@link dev.isthmus.dns.xfr.TransferWriter}; serial numbers compare by RFC 1982
 * ({@link dev.isthmus.dns.xfr.Serial}). The data plane's only part in it is the answer to IXFR over UDP, which the
 * engine gives without allocating.
 *
 * <p>The secondary's side: an SOA query to learn a primary's serial, IXFR (RFC 1995) with fallback to AXFR
 * (RFC 5936) over TCP, TSIG-signed (RFC 8945, {@link dev.isthmus.dns.tsig}), and the reading of the transferred
 * record stream into a whole zone or a net change. Everything that arrives is untrusted: a transfer that is
 * truncated, larger than the limits, malformed, wrongly signed or whose serial does not move forward is a
 * {@link dev.isthmus.dns.xfr.TransferException} naming the reason, and the caller changes nothing. Validation of the
 * zone itself (one SOA, CNAME rules, owners inside the zone) is the zone package's, applied by the caller to the
 * whole result.
 */
package dev.isthmus.dns.xfr;
