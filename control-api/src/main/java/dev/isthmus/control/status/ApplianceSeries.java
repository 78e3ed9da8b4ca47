package dev.isthmus.control.status;

import dev.isthmus.control.appliance.ApplianceDataplane;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dns.pipeline.DnsCounterSnapshot;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.LearnedVtepView;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.counters.VxlanDrop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The series of the scrape whose label values come and go: drops by reason, per-lcore loop counters, DNS answers by
 * QTYPE, vswitch counters per bridge domain and per remote VTEP, FDB sizes, the journal's last entry. Before each
 * scrape ({@link PrometheusRefreshFilter}) {@link #refresh} reads every source once — one {@link CounterSnapshot}
 * for all lcores, one read per domain — registers the meters of new label values, removes those of deleted domains
 * and VTEPs, and the meters then report from that one reading: a scrape is consistent across series and costs the
 * data path nothing. {@link ApplianceMetrics} has the series with fixed labels.
 */
@Singleton
public class ApplianceSeries implements MeterBinder {

    private enum Type { COUNTER, GAUGE }

    /** One value to report: the meter's name (Micrometer's dotted form), tags, description and kind. */
    private record Sample(String name, Tags tags, String description, Type type, double value) {
        String key() {
            StringBuilder key = new StringBuilder(name);
            for (Tag tag : tags) {
                key.append('|').append(tag.getKey()).append('=').append(tag.getValue());
            }
            return key.toString();
        }
    }

    private final ApplianceDataplane dataplane;
    private final VswitchControl vswitch;
    private final Journal journal;

    private final Map<String, Meter> meters = new HashMap<>();
    private volatile Map<String, Double> values = Map.of();
    private MeterRegistry registry;

    public ApplianceSeries(ApplianceDataplane dataplane, VswitchControl vswitch, Journal journal) {
        this.dataplane = dataplane;
        this.vswitch = vswitch;
        this.journal = journal;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        refresh();
    }

    /** Reads every source once and brings the meters in line with what exists now. */
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        List<Sample> samples = collect();
        Map<String, Double> next = new HashMap<>();
        for (Sample sample : samples) {
            String key = sample.key();
            next.put(key, sample.value());
            meters.computeIfAbsent(key, k -> register(sample, k));
        }
        values = next;
        meters.keySet().removeIf(key -> {
            if (next.containsKey(key)) {
                return false;
            }
            registry.remove(meters.get(key));
            return true;
        });
    }

    private double value(String key) {
        return values.getOrDefault(key, 0.0);
    }

    private Meter register(Sample sample, String key) {
        return switch (sample.type()) {
            case COUNTER -> FunctionCounter.builder(sample.name(), this, s -> s.value(key))
                    .tags(sample.tags()).description(sample.description()).register(registry);
            case GAUGE -> Gauge.builder(sample.name(), this, s -> s.value(key))
                    .tags(sample.tags()).description(sample.description()).register(registry);
        };
    }

    private List<Sample> collect() {
        List<Sample> out = new ArrayList<>();
        dataplane.running().ifPresent(dp -> dataplaneSamples(dp, out));
        dataplane.dnsCounters().ifPresent(dns -> dnsSamples(dns, out));
        vswitchSamples(out);
        List<JournalEntry> last = journal.latest(1, e -> true);
        if (!last.isEmpty()) {
            Instant time = last.getFirst().time();
            out.add(new Sample("isthmus.journal.last.entry.timestamp.seconds", Tags.empty(),
                    "when the journal's newest entry was written (seconds since the epoch); time() minus it is how"
                            + " long the journal has been quiet", Type.GAUGE,
                    time.getEpochSecond() + time.getNano() / 1e9));
        }
        return out;
    }

    private static void dataplaneSamples(Dataplane dp, List<Sample> out) {
        CounterSnapshot counters = dp.counters();
        // Every reason the modules declare, zero or not, so that a dashboard's query has a series from the start.
        for (int code = 0; code < DropReasons.count(); code++) {
            String reason = CounterSnapshot.key(DropReasons.reason(code));
            out.add(new Sample("isthmus.dropped.packets", Tags.of("reason", reason),
                    "packets the data plane dropped, by reason", Type.COUNTER,
                    counters.drops().getOrDefault(reason, 0L)));
        }
        counters.lcores().forEach((lcore, byName) -> byName.forEach((name, value) ->
                out.add(new Sample("isthmus.lcore." + name.replace('_', '.'), Tags.of("lcore", lcore),
                        "per polling lcore: " + name.replace('_', ' ') + " (loops and idle loops give the busy"
                                + " ratio: 1 - rate(idle) / rate(loops))", Type.COUNTER, value))));
        counters.inputs().forEach((input, v) -> {
            out.add(new Sample("isthmus.input.packets", Tags.of("input", input),
                    "packets received per port RX queue (port:queue)", Type.COUNTER, v[0]));
            out.add(new Sample("isthmus.input.bytes", Tags.of("input", input),
                    "bytes received per port RX queue (port:queue)", Type.COUNTER, v[1]));
        });
    }

    private static void dnsSamples(DnsCounterSnapshot dns, List<Sample> out) {
        dns.qtypes().forEach((qtype, value) -> out.add(new Sample("isthmus.dns.qtype.responses",
                Tags.of("qtype", qtype), "data-plane responses by the question's QTYPE", Type.COUNTER, value)));
        dns.perLcore().forEach((lcore, value) -> out.add(new Sample("isthmus.dns.lcore.answered",
                Tags.of("lcore", lcore), "queries answered per polling lcore", Type.COUNTER, value)));
    }

    private void vswitchSamples(List<Sample> out) {
        for (BridgeDomainConfig domain : vswitch.bridgeDomains()) {
            Tags tags = Tags.of("vni", Integer.toString(domain.vni()));
            Map<String, Long> counters;
            try {
                counters = vswitch.domainCounters(domain.vni());
            } catch (VswitchConfigException e) {
                continue; // deleted since the list was read
            }
            // Every drop reason, zero or not (the domain's own map omits zeros), like the data plane's drops.
            for (VxlanDrop reason : VxlanDrop.values()) {
                String name = reason.name().toLowerCase(Locale.ROOT);
                out.add(new Sample("isthmus.vswitch.domain.dropped.frames", tags.and("reason", name),
                        "frames the bridge domain dropped, by reason", Type.COUNTER,
                        counters.getOrDefault("drop_" + name, 0L)));
            }
            counters.forEach((name, value) -> {
                if (name.equals("macs_learned_now")) {
                    out.add(new Sample("isthmus.vswitch.fdb.entries", tags.and("type", "learned"),
                            "FDB entries of the bridge domain, learned or static", Type.GAUGE, value));
                } else if (name.equals("macs_static")) {
                    out.add(new Sample("isthmus.vswitch.fdb.entries", tags.and("type", "static"),
                            "FDB entries of the bridge domain, learned or static", Type.GAUGE, value));
                } else if (!name.startsWith("drop_")) {
                    out.add(new Sample("isthmus.vswitch.domain." + name.replace('_', '.'), tags,
                            "bridge domain counter " + name, Type.COUNTER, value));
                }
            });
            Set<VtepAddress> vteps = new LinkedHashSet<>(domain.floodList());
            try {
                vswitch.learnedVteps(domain.vni()).stream().map(LearnedVtepView::address).forEach(vteps::add);
            } catch (VswitchConfigException e) {
                // deleted since the list was read
            }
            for (VtepAddress vtep : vteps) {
                try {
                    vswitch.vtepCounters(vtep).forEach((name, value) -> out.add(new Sample(
                            "isthmus.vswitch.vtep." + name.replace('_', '.'),
                            tags.and("vtep", vtep.toString()), "traffic to and from a remote VTEP", Type.COUNTER, value)));
                } catch (VswitchConfigException e) {
                    // removed since the domain was read
                }
            }
        }
    }
}
