/**
 * The authoritative query engine: zones kept in wire format, each answer assembled per query without allocating.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.isthmus.dns.engine.ZoneCatalog} — the served zones. {@code replace(name, zoneText)} and
 *       {@code load(name, path)} parse, validate, build the zone's {@link dev.isthmus.dns.engine.StoredZone} and
 *       publish a new generation atomically, or throw {@link dev.isthmus.dns.zone.ZoneParseException} (its
 *       {@code errors()} are {@code file:line: message}) and change nothing; {@code put(zone)} publishes an already
 *       parsed zone; {@code remove(name)}; {@code zones()}. Writers are serialised; readers never lock.</li>
 *   <li>{@link dev.isthmus.dns.engine.QueryEngine} — one per thread (per lcore, per socket worker).
 *       {@code int answer(MemorySegment buf, long offset, int queryLength, int capacity, int transportLimit)} turns
 *       the query at {@code buf[offset..]} into the response in place and returns its length, or
 *       {@link dev.isthmus.dns.engine.QueryEngine#DROP}. {@code transportLimit} is the largest UDP payload the path
 *       can carry, or {@link dev.isthmus.dns.engine.QueryEngine#STREAM} for TCP. The segment may be a heap segment,
 *       a direct buffer or the global native segment with an mbuf's data address as offset.
 *       {@code lastZoneSlot()}/{@code lastZoneGeneration()} say which zone's generation the answer came from (the
 *       packet cache keeps them).</li>
 * </ul>
 *
 * <h2>How answers are made</h2>
 * A {@link dev.isthmus.dns.engine.StoredZone} holds a zone's RRsets in wire format in one off-heap segment, its
 * names in an open-addressed hash table over lower-cased wire names and in canonical order (for NSEC), its NSEC3
 * owners by hash. A {@link dev.isthmus.dns.engine.CatalogSnapshot} maps origins to stores (longest match). Per
 * query, {@link dev.isthmus.dns.engine.Assembler} runs RFC 1034 §4.3.2 over the stores and records which RRsets go
 * in which section; {@link dev.isthmus.dns.engine.ResponseWriter} copies them into the packet with name
 * compression and truncation at RRset boundaries. Names are handled as offsets into a scratch pool
 * ({@link dev.isthmus.dns.engine.Names}); NSEC3 hashes are computed by an allocation-free
 * {@link dev.isthmus.dns.engine.Sha1}. All scratch is owned by the engine instance: nothing is allocated per query.
 * The common answers skip the walk when no cut or DNAME lies between the zone's apex and the question's name: an
 * RRset without names in its RDATA is copied behind a pointer to the question (NODATA, NXDOMAIN under an existing
 * parent and the parent's wildcard likewise), and the few bodies that depend on the zone alone (apex SOA, NS with its
 * addresses, MX; the negative answers' SOA) are kept per zone version by {@link dev.isthmus.dns.engine.ApexAnswers},
 * copied and their compression pointers moved; a CNAME whose target in the same zone holds such an RRset is written
 * with its one compression pointer into the question.
 *
 * <p>A change builds the store of the changed zone only and publishes a snapshot sharing every other store; a
 * per-zone generation lets the packet cache drop only the changed zone's answers.
 */
package dev.isthmus.dns.engine;
