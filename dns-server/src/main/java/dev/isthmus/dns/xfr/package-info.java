/**
 * The secondary's side of zone transfers, on ordinary kernel sockets in the control plane (never on a poll
 * thread): an SOA query to learn a primary's serial, IXFR (RFC 1995) with fallback to AXFR (RFC 5936) over TCP,
 * TSIG-signed (RFC 8945, {@link dev.isthmus.dns.tsig}), and the reading of the transferred record stream into a whole
 * zone or a net change.
 *
 * <p>Everything that arrives is untrusted: a transfer that is truncated, larger than the limits, malformed, wrongly
 * signed or whose serial does not move forward is a {@link dev.isthmus.dns.xfr.TransferException} naming the
 * reason, and the caller changes nothing. Validation of the zone itself (one SOA, CNAME rules, owners inside the
 * zone) is the zone package's, applied by the caller to the whole result.
 */
package dev.isthmus.dns.xfr;
