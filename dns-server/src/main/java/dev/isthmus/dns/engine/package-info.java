/**
 * The authoritative query engine: answers computed ahead of time, served by a hash lookup and a copy.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.isthmus.dns.engine.ZoneCatalog} — the served zones. {@code replace(name, zoneText)} and
 *       {@code load(name, path)} parse, validate, precompute and publish a new generation atomically, or throw
 *       {@link dev.isthmus.dns.zone.ZoneParseException} (its {@code errors()} are {@code file:line: message}) and
 *       change nothing; {@code remove(name)}; {@code zones()}. Writers are serialised; readers never lock.</li>
 *   <li>{@link dev.isthmus.dns.engine.QueryEngine} — one per thread (per lcore, per socket worker).
 *       {@code int answer(MemorySegment buf, long offset, int queryLength, int capacity, int transportLimit)} turns
 *       the query at {@code buf[offset..]} into the response in place and returns its length, or
 *       {@link dev.isthmus.dns.engine.QueryEngine#DROP}. {@code transportLimit} is the largest UDP payload the path
 *       can carry, or {@link dev.isthmus.dns.engine.QueryEngine#STREAM} for TCP. The segment may be a heap segment,
 *       a direct buffer or the global native segment with an mbuf's data address as offset.</li>
 * </ul>
 *
 * <h2>How answers are precomputed</h2>
 * For every name of every zone, {@link dev.isthmus.dns.engine.CatalogSnapshot} runs the RFC 1034 §4.3.2 algorithm
 * ({@link dev.isthmus.dns.engine.Resolver}) for each interesting QTYPE, with and without DO, and for "a name that
 * does not exist below this one" (NXDOMAIN, wildcard expansion, referral), and compiles each outcome into a
 * {@link dev.isthmus.dns.engine.ResponseTemplate}: section bytes whose compression pointers are patched from the
 * question length. All templates of a generation are encoded side by side in one byte array
 * ({@link dev.isthmus.dns.engine.EncodedTemplate}) that the hash table's slots point into. Answering is: parse the
 * header and question (lower-casing the name into scratch space), look up (name, QTYPE, DO) — walking up to the closest encloser when the name does not exist — copy the body, patch
 * pointers, write the header and OPT. Only answers that depend on the query name beyond a pointer to it — DNAME
 * synthesis, and with DO in a signed zone the NSEC/NSEC3 proofs (RFC 4035 §3.1.3, RFC 5155 §7.2) for names that do
 * not exist — are resolved per query, which allocates.
 *
 * <p>Because CNAME chains may cross zones, every change recomputes the whole catalog; fine for the zone sizes
 * of an appliance, and readers keep answering from the previous generation meanwhile.
 */
package dev.isthmus.dns.engine;
