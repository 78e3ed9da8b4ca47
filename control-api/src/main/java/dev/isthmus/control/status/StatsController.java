package dev.isthmus.control.status;

import dev.isthmus.control.appliance.ApplianceDataplane;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.AppliancePort;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dns.engine.CatalogSnapshot;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.LinkStatus;
import dev.isthmus.nativebindings.PortStats;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.control.VswitchControl;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /stats}: ports, workers, drops by reason, DNS and bridge domains, read while the data plane runs. */
@Controller("/stats")
public class StatsController {

    private final ApplianceConfig config;
    private final ApplianceDataplane dataplane;
    private final ZoneCatalog zones;
    private final VswitchControl vswitch;

    public StatsController(ApplianceConfig config, ApplianceDataplane dataplane, ZoneCatalog zones,
                           VswitchControl vswitch) {
        this.config = config;
        this.dataplane = dataplane;
        this.zones = zones;
        this.vswitch = vswitch;
    }

    @Get
    public Stats stats() {
        CatalogSnapshot catalog = zones.snapshot();
        Stats.DnsStats dns = dataplane.dnsCounters()
                .map(c -> new Stats.DnsStats(catalog.zones().size(), catalog.precomputedAnswers(), c.totals(),
                        c.rcodes(), c.qtypes(), c.perLcore(), c.rateLimitedPerLcore()))
                .orElse(new Stats.DnsStats(catalog.zones().size(), catalog.precomputedAnswers(), Map.of(), Map.of(),
                        Map.of(), Map.of(), Map.of()));
        Map<String, Map<String, Long>> domains = new LinkedHashMap<>();
        for (BridgeDomainConfig domain : vswitch.bridgeDomains()) {
            try {
                domains.put(Integer.toString(domain.vni()), vswitch.domainCounters(domain.vni()));
            } catch (VswitchConfigException e) {
                // Deleted between the list and the read: it has no counters any more.
            }
        }
        Optional<Dataplane> running = dataplane.running();
        if (running.isEmpty()) {
            return new Stats(false, List.of(), Map.of(), Map.of(), Map.of(), dns, domains);
        }
        Dataplane dp = running.get();
        List<Stats.PortStatsView> ports = new ArrayList<>();
        for (int i = 0; i < config.ports().size(); i++) {
            AppliancePort port = config.ports().get(i);
            EthPort ethPort = dp.port(i);
            LinkStatus link = ethPort.link();
            PortStats s = ethPort.stats();
            ports.add(new Stats.PortStatsView(port.name(), port.device(), ethPort.id(), ethPort.macAddressString(),
                    link.up(), link.speedMbps(), s.rxPackets(), s.txPackets(), s.rxBytes(), s.txBytes(), s.rxMissed(),
                    s.rxErrors(), s.txErrors(), s.rxNoMbuf()));
        }
        CounterSnapshot counters = dp.counters();
        Map<String, Stats.InputStats> inputs = new LinkedHashMap<>();
        counters.inputs().forEach((name, v) -> inputs.put(name, new Stats.InputStats(v[0], v[1])));
        return new Stats(true, ports, counters.lcores(), inputs, counters.drops(), dns, domains);
    }
}
