/**
 * Zone files and the immutable zone model.
 *
 * <p>{@link dev.isthmus.dns.zone.ZoneFileParser} reads RFC 1035 §5 master files (as BIND, NSD and Knot accept
 * them) into a {@link dev.isthmus.dns.zone.Zone}: nodes by name in DNSSEC canonical order, each with its
 * {@link dev.isthmus.dns.zone.RRset}s and the RRSIGs covering them. RDATA is held in uncompressed wire form.
 * Loading either succeeds whole or throws {@link dev.isthmus.dns.zone.ZoneParseException} listing every problem as
 * {@code file:line: message}; a zone is never partly loaded. Nothing here is mutable after construction, so zones are
 * shared freely between threads.
 *
 * <p>{@link dev.isthmus.dns.zone.ZonePatcher} makes a new zone from an old one and a
 * {@link dev.isthmus.dns.zone.ZonePatch} (record-level {@link dev.isthmus.dns.zone.ZoneChange}s as RFC 2136 §2.5
 * defines them, RDATA through the zone file's RDATA parser) validated by the same rules, with the SOA serial rule of
 * RFC 2136 §3.6; its problems name the change and field ({@code changes[2].data: ...}).
 * {@link dev.isthmus.dns.zone.ZoneText} writes a zone back as master-file text.
 */
package dev.isthmus.dns.zone;
