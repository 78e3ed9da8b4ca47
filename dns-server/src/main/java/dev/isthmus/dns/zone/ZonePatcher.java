package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.wire.RecordType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link ZonePatch} to a zone: the new {@link Zone} is the old zone's records with the changes made in
 * order, validated whole by the same {@link ZoneValidator} a zone file goes through (one SOA at the apex, NS there,
 * CNAME and DNAME rules, owners in the zone), with the SOA serial set by the patch's rule. Either every change
 * applies or {@link ZonePatchException} lists every problem, each naming its change and field
 * ({@code changes[2].data: A: bad IPv4 address '1.2.3'}), and nothing is returned.
 *
 * <p>The old zone is never modified. {@link #apply} builds the whole new zone; {@link #delta} reads only the owners
 * the changes touch (through a {@link Source}, e.g. the served store) and gives the records to delete and add, for
 * a store that publishes only the changed path. Both give the patch as applied (absolute names, TTLs, the serial),
 * which replays to the same zone.
 */
public final class ZonePatcher {

    /** Stop collecting after this many problems: past it they are usually one mistake echoed. */
    private static final int MAX_PROBLEMS = 50;
    /** What {@link ZoneValidator} calls an unchanged record's file, to tell them from the changes' records. */
    private static final String UNCHANGED = "zone";

    /**
     * The outcome of a patch.
     *
     * @param zone    the new zone
     * @param applied the patch as applied: absolute owner names, type mnemonics, every added record's TTL, and the
     *                resulting serial as {@link ZonePatch.Serial#exactly}; replaying it on the old zone gives {@code zone}
     */
    public record Result(Zone zone, ZonePatch applied) {
    }

    /**
     * A patch resolved against a zone as records, for a store that applies record-level changes
     * ({@code ZoneCatalog.apply}): what to delete and add, each with the index of the change it comes from (-1 when
     * no single change does), and the patch as applied. The new zone is not built nor validated here: the store
     * validates the records where they go.
     */
    public record Delta(List<ResourceRecord> deletions, List<ResourceRecord> additions, List<Integer> changeOf,
                        ZonePatch applied) {
        /** @return a store's {@code change:N} error (N the 1-based position in deletions, then additions) as a problem */
        public String problem(ZoneError error) {
            int change = "change".equals(error.file()) && error.line() >= 1 && error.line() <= changeOf.size()
                ? changeOf.get(error.line() - 1) : -1;
            return (change < 0 ? "changes" : "changes[" + change + "]") + ": " + error.message();
        }
    }

    /** What a patch reads of the zone it applies to: the records of one owner (data, signatures, NSEC3 owners). */
    public interface Source {
        DnsName origin();

        long serial();

        /** @return the owner's records (empty when the name holds none) */
        List<ResourceRecord> records(DnsName owner);
    }

    /** A record of the working set and where it comes from: the index of the change that added it, or -1. */
    private record Entry(ResourceRecord record, int change) {
    }

    private final Source zone;
    /** The zone as a whole, for {@link #apply}; null for {@link #delta}. */
    private final Zone whole;
    private final DnsName origin;
    /** Each record of the zone the changes removed, with the change that removed it (for {@link Delta}). */
    private final Map<ResourceRecord, Integer> removedBy = new HashMap<>();
    /** The owners the changes touch, with their records as the changes so far leave them. */
    private final Map<DnsName, List<Entry>> touched = new LinkedHashMap<>();
    private final Map<DnsName, Node> nsec3ByName = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<ZoneChange> applied = new ArrayList<>();
    private int lastSoaRemoval = -1;
    private int lastNsRemoval = -1;
    private int soaAddedBy = -1;

    private ZonePatcher(Zone zone) {
        this.origin = zone.origin();
        for (Node n : zone.nsec3Nodes()) {
            nsec3ByName.put(n.name(), n);
        }
        this.whole = zone;
        this.zone = new Source() {
            @Override
            public DnsName origin() {
                return zone.origin();
            }

            @Override
            public long serial() {
                return zone.serial();
            }

            @Override
            public List<ResourceRecord> records(DnsName owner) {
                Node node = zone.node(owner);
                if (node == null) {
                    node = nsec3ByName.get(owner);
                }
                return node == null ? List.of() : recordsOf(node);
            }
        };
    }

    private ZonePatcher(Source source) {
        this.origin = source.origin();
        this.whole = null;
        this.zone = source;
    }

    /**
     * Resolves a patch against a zone read through {@code source}: the same checks as {@link #apply} up to the
     * zone's own rules, which the store applying the result checks (CNAME, DNAME, glue), reading only the owners
     * the changes name.
     *
     * @throws ZonePatchException listing every problem
     */
    public static Delta delta(Source source, ZonePatch patch) throws ZonePatchException {
        ZonePatcher p = new ZonePatcher(source);
        ZonePatch applied = p.resolve(patch);
        List<ResourceRecord> deletions = new ArrayList<>();
        List<ResourceRecord> additions = new ArrayList<>();
        List<Integer> additionChanges = new ArrayList<>();
        List<Integer> changeOf = new ArrayList<>();
        for (var e : p.touched.entrySet()) {
            List<ResourceRecord> before = source.records(e.getKey());
            List<Entry> after = e.getValue();
            for (ResourceRecord r : before) {
                Entry now = after.stream().filter(x -> x.record().equals(r)).findFirst().orElse(null);
                if (now == null || now.record().ttl() != r.ttl()) {
                    deletions.add(r); // removed, or its TTL changed (RFC 2181 §5.2): deleted, then added anew
                    changeOf.add(now == null ? p.removedBy.getOrDefault(r, -1) : now.change());
                }
            }
            for (Entry x : after) {
                ResourceRecord was = before.stream().filter(r -> r.equals(x.record())).findFirst().orElse(null);
                if (was == null || was.ttl() != x.record().ttl()) {
                    additions.add(x.record());
                    additionChanges.add(x.change());
                }
            }
        }
        changeOf.addAll(additionChanges);
        return new Delta(deletions, additions, changeOf, applied);
    }

    /**
     * @return the zone with the patch applied, and the patch as applied
     * @throws ZonePatchException listing every problem; {@code zone} is unchanged (it always is)
     */
    public static Result apply(Zone zone, ZonePatch patch) throws ZonePatchException {
        return new ZonePatcher(zone).run(patch);
    }

    private Result run(ZonePatch patch) throws ZonePatchException {
        ZonePatch applied = resolve(patch);
        return new Result(build(), applied);
    }

    /** Makes the changes in the working set and sets the serial; @return the patch as applied */
    private ZonePatch resolve(ZonePatch patch) throws ZonePatchException {
        List<ZoneChange> changes = patch.changes();
        for (int i = 0; i < changes.size() && problems.size() < MAX_PROBLEMS; i++) {
            change(i, changes.get(i));
        }
        if (problems.isEmpty()) {
            checkApex();
        }
        long serial = problems.isEmpty() ? serial(patch.serial()) : 0;
        if (!problems.isEmpty()) {
            throw new ZonePatchException(problems);
        }
        return new ZonePatch(applied, ZonePatch.Serial.exactly(serial));
    }

    // ---- one change -------------------------------------------------------------------------------------------

    private void change(int i, ZoneChange c) {
        String at = "changes[" + i + "]";
        boolean ok = true;
        if (c.op() == null) {
            problems.add(at + ".op: required: add or remove");
            return;
        }
        DnsName owner = null;
        if (c.name() == null || c.name().isBlank()) {
            problems.add(at + ".name: required (relative to the zone, absolute with a trailing dot, or @)");
            ok = false;
        } else {
            try {
                owner = DnsName.parse(c.name().strip(), origin);
                if (!owner.isSubdomainOf(origin)) {
                    problems.add(at + ".name: " + owner + " is outside the zone " + origin);
                    ok = false;
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + ".name: " + e.getMessage());
                ok = false;
            }
        }
        int type = -1;
        if (c.type() != null) {
            type = RecordType.fromName(c.type().strip());
            if (type < 0) {
                problems.add(at + ".type: unknown type '" + c.type() + "'");
                ok = false;
            } else if (RecordType.isMetaOrQueryOnly(type)) {
                problems.add(at + ".type: type " + RecordType.name(type) + " cannot appear in a zone");
                ok = false;
            }
        } else if (c.op() == ZoneChange.Op.ADD || c.data() != null) {
            problems.add(at + ".type: required " + (c.op() == ZoneChange.Op.ADD ? "to add" : "with data"));
            ok = false;
        }
        Long ttl = null;
        if (c.ttl() != null) {
            if (c.op() == ZoneChange.Op.REMOVE) {
                problems.add(at + ".ttl: a remove takes no TTL (RFC 2136 §2.5.4: records match by their data)");
                ok = false;
            } else {
                try {
                    ttl = TtlParser.parse(c.ttl().strip());
                    if (ttl > TtlParser.MAX_TTL) {
                        problems.add(at + ".ttl: TTL " + ttl + " above 2147483647 (RFC 2181 §8)");
                        ok = false;
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".ttl: " + e.getMessage());
                    ok = false;
                }
            }
        }
        byte[] rdata = null;
        if (c.data() == null) {
            if (c.op() == ZoneChange.Op.ADD) {
                problems.add(at + ".data: required to add: the RDATA in presentation form, e.g. 198.18.0.9 for A");
                ok = false;
            }
        } else if (type >= 0 && ok) {
            try {
                rdata = rdata(type, c.data());
            } catch (IllegalArgumentException e) {
                problems.add(at + ".data: " + RecordType.name(type) + ": " + e.getMessage());
                ok = false;
            }
        }
        // A change whose fields are wrong is not applied, and once one is refused the later changes are only
        // checked field by field: what they would find in the zone depends on the refused one.
        if (!ok || !problems.isEmpty()) {
            return;
        }
        if (c.op() == ZoneChange.Op.ADD) {
            add(i, at, owner, type, ttl, rdata, c.data());
        } else {
            remove(i, at, owner, type, rdata, c);
        }
    }

    private byte[] rdata(int type, String text) {
        ZoneLexer lexer = new ZoneLexer(text);
        ZoneLexer.Entry entry;
        try {
            entry = lexer.next();
            if (entry == null) {
                throw new IllegalArgumentException("empty");
            }
            if (lexer.next() != null) {
                throw new IllegalArgumentException("the data of one record on one line (parentheses may span lines)");
            }
        } catch (ZoneLexer.LexException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return RdataParser.parse(type, entry.tokens(), origin);
    }

    private void add(int i, String at, DnsName owner, int type, Long ttl, byte[] rdata, String data) {
        if (type == RecordType.SOA && !owner.equals(origin)) {
            problems.add(at + ".name: an SOA belongs at the zone apex " + origin + " (RFC 1035 §5.2)");
            return;
        }
        List<Entry> records = working(owner);
        ResourceRecord candidate = new ResourceRecord(owner, type, DnsClass.IN, 0, rdata);
        if (type == RecordType.SOA) {
            for (Entry e : records) {
                if (e.record().type() == RecordType.SOA) {
                    problems.add(at + ".type: the zone has an SOA already; remove it in an earlier change to put another"
                            + " (RFC 1035 §5.2: one SOA per zone)");
                    return;
                }
            }
            soaAddedBy = i;
        }
        long resolvedTtl;
        if (ttl != null) {
            resolvedTtl = ttl;
        } else {
            Entry sibling = records.stream().filter(e -> sameRRset(e.record(), candidate)).findFirst().orElse(null);
            if (sibling == null) {
                problems.add(at + ".ttl: required: " + owner + " has no " + RecordType.name(type)
                        + " RRset whose TTL the record could take");
                return;
            }
            resolvedTtl = sibling.record().ttl();
        }
        // RFC 2181 §5.2: the records of an RRset have one TTL; like BIND's dynamic update, the new one applies to all.
        records.replaceAll(e -> sameRRset(e.record(), candidate) && e.record().ttl() != resolvedTtl
                ? new Entry(e.record().withTtl(resolvedTtl), e.change()) : e);
        ResourceRecord record = candidate.withTtl(resolvedTtl);
        // RFC 2136 §3.4.2.2 (and RFC 2181 §5): a record already present is not added twice.
        if (records.stream().noneMatch(e -> e.record().equals(record))) {
            records.add(new Entry(record, i));
        }
        applied.add(ZoneChange.add(owner.toString(), RecordType.name(type), Long.toString(resolvedTtl), data.strip()));
    }

    private void remove(int i, String at, DnsName owner, int type, byte[] rdata, ZoneChange c) {
        List<Entry> records = working(owner);
        int before = records.size();
        if (rdata != null) {
            ResourceRecord target = new ResourceRecord(owner, type, DnsClass.IN, 0, rdata);
            removeEntries(records, i, e -> e.record().equals(target));
            if (records.size() == before) {
                problems.add(at + ".data: " + owner + " has no " + RecordType.name(type) + " record '" + c.data().strip()
                        + "'");
                return;
            }
        } else if (type >= 0) {
            removeEntries(records, i, e -> e.record().type() == type);
            if (records.size() == before) {
                problems.add(at + ".type: " + owner + " has no " + RecordType.name(type) + " RRset");
                return;
            }
        } else {
            removeEntries(records, i, e -> true);
            if (before == 0) {
                problems.add(at + ".name: " + owner + " has no records");
                return;
            }
        }
        if (owner.equals(origin)) {
            if (type < 0 || type == RecordType.SOA) {
                lastSoaRemoval = i;
            }
            if (type < 0 || type == RecordType.NS) {
                lastNsRemoval = i;
            }
        }
        applied.add(ZoneChange.remove(owner.toString(), type < 0 ? null : RecordType.name(type),
                c.data() == null ? null : c.data().strip()));
    }

    /** The records of {@code owner} as the changes so far leave them, copied from the zone on first use. */
    private List<Entry> working(DnsName owner) {
        return touched.computeIfAbsent(owner, o -> {
            List<Entry> list = new ArrayList<>();
            zone.records(o).forEach(r -> list.add(new Entry(r, -1)));
            return list;
        });
    }

    /** Removes the entries {@code which} selects, noting the zone's own records as removed by change {@code i}. */
    private void removeEntries(List<Entry> records, int i, java.util.function.Predicate<Entry> which) {
        for (Entry e : records) {
            if (e.change() < 0 && which.test(e)) {
                removedBy.put(e.record(), i);
            }
        }
        records.removeIf(which);
    }

    private static List<ResourceRecord> recordsOf(Node node) {
        List<ResourceRecord> records = new ArrayList<>();
        node.rrsets().forEach(s -> records.addAll(s.records()));
        node.allSignatures().forEach(s -> records.addAll(s.records()));
        return records;
    }

    /** Same owner, type and (for RRSIG) type covered: records of one RRset (RFC 2181 §5, RFC 4035 §2.2). */
    private static boolean sameRRset(ResourceRecord a, ResourceRecord b) {
        return a.type() == b.type() && a.coveredType() == b.coveredType() && a.owner().equals(b.owner());
    }

    // ---- the zone as a whole ----------------------------------------------------------------------------------

    /** RFC 1035 §5.2 and RFC 1034 §4.2.1: the changes leave one SOA and some NS at the apex. */
    private void checkApex() {
        List<Entry> apex = touched.get(origin);
        if (apex == null) {
            return;
        }
        if (apex.stream().noneMatch(e -> e.record().type() == RecordType.SOA)) {
            problems.add("changes[" + lastSoaRemoval + "]: leaves the zone without its SOA (RFC 1035 §5.2); to replace"
                    + " it, add the new SOA in a later change");
        }
        if (apex.stream().noneMatch(e -> e.record().type() == RecordType.NS)) {
            problems.add("changes[" + lastNsRemoval + "]: leaves the zone apex without NS records (RFC 1034 §4.2.1)");
        }
    }

    /** @return the serial of the new zone, its SOA in the working set rewritten when it differs from the changes' */
    private long serial(ZonePatch.Serial rule) {
        long old = zone.serial();
        List<Entry> apex = working(origin);
        int soaAt = -1;
        for (int k = 0; k < apex.size(); k++) {
            if (apex.get(k).record().type() == RecordType.SOA) {
                soaAt = k;
            }
        }
        Entry soa = apex.get(soaAt);
        long given = serialOf(soa.record().rdata());
        long serial = switch (rule) {
            case ZonePatch.Keep k -> given;
            case ZonePatch.Exactly e -> e.value();
            case ZonePatch.Increment inc -> {
                if (given == old) {
                    // RFC 1982 §3.1: serial addition wraps at 2^32; like BIND, never 0, which some secondaries
                    // treat as "no serial".
                    long next = (old + 1) & 0xFFFFFFFFL;
                    yield next == 0 ? 1 : next;
                }
                if (!greater(given, old)) {
                    problems.add("changes[" + soaAddedBy + "].data: SOA serial " + given + " is not greater than the"
                            + " zone's " + old + " (RFC 1982 §3.2); keep the serial as it is to have it incremented,"
                            + " or ask for \"serial\": \"keep\"");
                }
                yield given;
            }
        };
        if (serial != given) {
            byte[] rdata = soa.record().rdata().clone();
            int p = serialOffset(rdata);
            rdata[p] = (byte) (serial >>> 24);
            rdata[p + 1] = (byte) (serial >>> 16);
            rdata[p + 2] = (byte) (serial >>> 8);
            rdata[p + 3] = (byte) serial;
            ResourceRecord r = soa.record();
            apex.set(soaAt, new Entry(new ResourceRecord(r.owner(), r.type(), r.rrClass(), r.ttl(), rdata), soa.change()));
        }
        return serial;
    }

    private static int serialOffset(byte[] soaRdata) {
        return RdataLayout.nameEnd(soaRdata, RdataLayout.nameEnd(soaRdata, 0));
    }

    private static long serialOf(byte[] soaRdata) {
        int p = serialOffset(soaRdata);
        return ((soaRdata[p] & 0xFFL) << 24) | ((soaRdata[p + 1] & 0xFFL) << 16) | ((soaRdata[p + 2] & 0xFFL) << 8)
                | (soaRdata[p + 3] & 0xFFL);
    }

    /** RFC 1982 §3.2: s1 is greater than s2 when it is ahead by less than 2^31 in 32-bit serial arithmetic. */
    static boolean greater(long s1, long s2) {
        long d = (s1 - s2) & 0xFFFFFFFFL;
        return d != 0 && d < 0x80000000L;
    }

    /** Every record of the new zone (unchanged owners first) through the zone-file validator. */
    private Zone build() throws ZonePatchException {
        List<ResourceRecord> records = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Iterable<Node> nodes : List.of(whole.nodes(), whole.nsec3Nodes())) {
            for (Node node : nodes) {
                if (touched.containsKey(node.name())) {
                    continue;
                }
                for (ResourceRecord r : recordsOf(node)) {
                    records.add(r);
                    files.add(UNCHANGED);
                    lines.add(0);
                }
            }
        }
        for (List<Entry> entries : touched.values()) {
            for (Entry e : entries) {
                records.add(e.record());
                files.add(e.change() < 0 ? UNCHANGED : "changes[" + e.change() + "]");
                lines.add(e.change());
            }
        }
        ZoneValidator validator = new ZoneValidator(origin, records, files, lines);
        Zone next = validator.build();
        if (next == null) {
            // An unchanged record can only be refused because of what a change put beside it (a DNAME above it):
            // the patch as a whole is named then.
            throw new ZonePatchException(validator.errors().stream()
                    .map(err -> (err.file().equals(UNCHANGED) ? "changes" : err.file()) + ": " + err.message())
                    .distinct().limit(MAX_PROBLEMS).toList());
        }
        return next;
    }
}
