package dev.isthmus.dns.pipeline;

import dev.isthmus.dns.wire.RecordType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS counters of every lcore summed at one moment (each lcore's read without stopping it).
 *
 * @param totals  {@link DnsCounters.Counter} by lower-case name ({@code answered}, {@code truncated}, ...)
 * @param rcodes  responses by RCODE name ({@code NOERROR}, {@code NXDOMAIN}, ...; zero counts omitted)
 * @param qtypes  responses by QTYPE mnemonic ({@code A}, {@code AAAA}, {@code TYPE65280}, {@code OTHER}; zero omitted)
 * @param perLcore answered per lcore name, to see how RSS spreads the load
 * @param rateLimitedPerLcore per lcore name, responses rate limiting dropped ({@code rate_limited}) and slipped
 *                 ({@code slipped}): each lcore limits on its own table
 */
public record DnsCounterSnapshot(Map<String, Long> totals, Map<String, Long> rcodes, Map<String, Long> qtypes,
        Map<String, Long> perLcore, Map<String, Map<String, Long>> rateLimitedPerLcore) {

    private static final String[] RCODE_NAMES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", "RCODE12", "RCODE13", "RCODE14",
        "RCODE15", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"};

    public static DnsCounterSnapshot of(List<DnsCounters> lcores) {
        return of(lcores, -1);
    }

    /** @param dnstapDropped frames the dnstap output dropped (total {@code dnstap_dropped}), or -1 without dnstap */
    public static DnsCounterSnapshot of(List<DnsCounters> lcores, long dnstapDropped) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (DnsCounters.Counter c : DnsCounters.Counter.values()) {
            totals.put(c.name().toLowerCase(Locale.ROOT), lcores.stream().mapToLong(l -> l.get(c)).sum());
        }
        if (dnstapDropped >= 0) {
            totals.put("dnstap_dropped", dnstapDropped);
        }
        Map<String, Long> rcodes = new LinkedHashMap<>();
        for (int r = 0; r < DnsCounters.RCODES; r++) {
            final int rcode = r;
            long n = lcores.stream().mapToLong(l -> l.rcode(rcode)).sum();
            if (n != 0) {
                rcodes.put(RCODE_NAMES[r], n);
            }
        }
        Map<String, Long> qtypes = new LinkedHashMap<>();
        for (int s = 0; s < DnsCounters.QTYPES; s++) {
            final int slot = s;
            long n = lcores.stream().mapToLong(l -> l.qtype(slot)).sum();
            if (n != 0) {
                qtypes.put(s == DnsCounters.OTHER_QTYPE ? "OTHER" : RecordType.name(s), n);
            }
        }
        Map<String, Long> perLcore = new LinkedHashMap<>();
        for (DnsCounters l : lcores) {
            perLcore.merge(l.lcoreName(), l.get(DnsCounters.Counter.ANSWERED), Long::sum);
        }
        Map<String, Map<String, Long>> rateLimited = new LinkedHashMap<>();
        for (DnsCounters l : lcores) {
            Map<String, Long> m = rateLimited.computeIfAbsent(l.lcoreName(), k -> new LinkedHashMap<>());
            m.merge("rate_limited", l.get(DnsCounters.Counter.RATE_LIMITED), Long::sum);
            m.merge("slipped", l.get(DnsCounters.Counter.SLIPPED), Long::sum);
        }
        return new DnsCounterSnapshot(totals, rcodes, qtypes, perLcore, rateLimited);
    }

    /** One total by its {@link DnsCounters.Counter}. */
    public long total(DnsCounters.Counter counter) {
        return totals.getOrDefault(counter.name().toLowerCase(Locale.ROOT), 0L);
    }

    /** Responses with an RCODE name, 0 when none. */
    public long rcode(String name) {
        return rcodes.getOrDefault(name, 0L);
    }

    /** Responses to a QTYPE mnemonic, 0 when none. */
    public long qtype(String name) {
        return qtypes.getOrDefault(name, 0L);
    }
}
