/**
 * TSIG, secret-key transaction authentication (RFC 8945): the keys an operator configures, signing a message,
 * verifying one, and the multi-message rule for zone transfers (RFC 8945 §5.3.1).
 *
 * <p>Everything here works on whole messages as byte arrays, on the control plane (zone transfers, NOTIFY): nothing
 * in this package runs on a poll thread. A signed message is the unsigned message with one TSIG record appended as
 * the last record of the additional section and ARCOUNT incremented (RFC 8945 §4.2); verifying strips it again,
 * restores the original ID and recomputes the MAC over the digest components of RFC 8945 §4.3.
 *
 * <p>Conventions: times are seconds since the epoch (the 48-bit "Time Signed" field); a verification never throws
 * for a bad message, it returns a {@link dev.isthmus.dns.tsig.TsigResult} naming the RFC 8945 error, so a caller
 * can answer with the right RCODE and TSIG error (§5.3.2) and report the reason.
 */
package dev.isthmus.dns.tsig;
