package dev.isthmus.control.status;

import dev.isthmus.control.appliance.ApplianceDataplane;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.nativebindings.PortStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The appliance's own series in the Prometheus scrape ({@code GET /prometheus}), read at scrape time from the same
 * sources as {@code /stats}: per port packets and drops as DPDK counts them, health, zones served, DNS answers by
 * RCODE. Nothing is counted twice and the data path is not touched: the port counters are the NIC's, the DNS ones
 * the lcores' own, read without stopping them.
 */
@Singleton
public class ApplianceMetrics implements MeterBinder {

    /** The RCODEs an authoritative server answers with (RFC 1035 §4.1.1, RFC 6891 §9 for BADVERS). */
    private static final List<String> RCODES = List.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
            "REFUSED", "BADVERS");

    private final ApplianceConfig config;
    private final ApplianceDataplane dataplane;
    private final ZoneCatalog zones;

    public ApplianceMetrics(ApplianceConfig config, ApplianceDataplane dataplane, ZoneCatalog zones) {
        this.config = config;
        this.dataplane = dataplane;
        this.zones = zones;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("isthmus.up", dataplane, d -> d.problems().isEmpty() ? 1 : 0)
                .description("1 when every port's link is up and every worker polls").register(registry);
        Gauge.builder("isthmus.dns.zones", zones, z -> z.snapshot().zones().size())
                .description("zones served").register(registry);
        dnsCounter(registry, "isthmus.dns.answered", "answered", "queries answered by the data plane");
        dnsCounter(registry, "isthmus.dns.truncated", "truncated", "answers sent truncated (TC), for a TCP retry");
        dnsCounter(registry, "isthmus.dns.answered.from.cache", "answered_from_cache",
                "answers the lcores' packet caches gave (counted in isthmus.dns.answered too)");
        dnsCounter(registry, "isthmus.dns.rate.limited", "rate_limited",
                "responses response-rate limiting dropped");
        dnsCounter(registry, "isthmus.dns.slipped", "slipped",
                "responses response-rate limiting sent truncated (TC) instead of dropping them");
        dnsCounter(registry, "isthmus.dns.cookie.valid", "cookie_valid",
                "queries with a valid DNS server cookie (exempt from rate limiting)");
        for (int w = 0; w < config.lcores().workers().size(); w++) {
            String lcore = "lcore" + w;
            lcoreRrlCounter(registry, "isthmus.dns.rate.limited.lcore", lcore, "rate_limited",
                    "responses response-rate limiting dropped, per worker");
            lcoreRrlCounter(registry, "isthmus.dns.slipped.lcore", lcore, "slipped",
                    "responses response-rate limiting sent truncated, per worker");
        }
        for (String rcode : RCODES) {
            FunctionCounter.builder("isthmus.dns.responses", dataplane, d -> d.dnsCounters()
                            .map(c -> (double) c.rcodes().getOrDefault(rcode, 0L)).orElse(0.0))
                    .tag("rcode", rcode).description("data-plane responses by RCODE").register(registry);
        }
        for (int i = 0; i < config.ports().size(); i++) {
            String port = config.ports().get(i).name();
            int index = i;
            portCounter(registry, "isthmus.port.rx.packets", port, index, PortStats::rxPackets, "packets received");
            portCounter(registry, "isthmus.port.tx.packets", port, index, PortStats::txPackets, "packets sent");
            portCounter(registry, "isthmus.port.rx.bytes", port, index, PortStats::rxBytes, "bytes received");
            portCounter(registry, "isthmus.port.tx.bytes", port, index, PortStats::txBytes, "bytes sent");
            portCounter(registry, "isthmus.port.rx.missed", port, index, PortStats::rxMissed,
                    "packets the device dropped because an RX queue was full");
            portCounter(registry, "isthmus.port.rx.nombuf", port, index, PortStats::rxNoMbuf,
                    "receive buffer allocation failures");
        }
    }

    private void dnsCounter(MeterRegistry registry, String name, String counter, String description) {
        FunctionCounter.builder(name, dataplane, d -> d.dnsCounters()
                        .map(c -> (double) c.totals().getOrDefault(counter, 0L)).orElse(0.0))
                .description(description).register(registry);
    }

    private void lcoreRrlCounter(MeterRegistry registry, String name, String lcore, String counter,
                                 String description) {
        FunctionCounter.builder(name, dataplane, d -> d.dnsCounters()
                        .map(c -> (double) c.rateLimitedPerLcore().getOrDefault(lcore, Map.of())
                                .getOrDefault(counter, 0L)).orElse(0.0))
                .tag("lcore", lcore).description(description).register(registry);
    }

    private void portCounter(MeterRegistry registry, String name, String port, int index,
                             ToLongFunction<PortStats> field, String description) {
        FunctionCounter.builder(name, dataplane, d -> d.running()
                        .map((Dataplane dp) -> (double) field.applyAsLong(dp.port(index).stats())).orElse(0.0))
                .tag("port", port).description(description).register(registry);
    }
}
