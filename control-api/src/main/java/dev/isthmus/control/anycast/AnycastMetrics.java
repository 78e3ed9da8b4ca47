package dev.isthmus.control.anycast;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * Prometheus gauges of the anycast side, read at scrape time: {@code isthmus_anycast_announcing} (1 while the service
 * prefixes are announced) and {@code isthmus_anycast_bgp_sessions_established} (how many BGP sessions are up).
 */
@Singleton
public class AnycastMetrics implements MeterBinder {

    private final AnycastService anycast;

    public AnycastMetrics(AnycastService anycast) {
        this.anycast = anycast;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!anycast.configured()) {
            return;
        }
        Gauge.builder("isthmus.anycast.announcing", anycast,
                a -> a.status().map(s -> s.announcing() ? 1 : 0).orElse(0))
                .description("1 while the anycast service prefixes are announced by BGP").register(registry);
        Gauge.builder("isthmus.anycast.bgp.sessions.established", anycast,
                a -> a.status().map(s -> s.sessions().keySet().stream().filter(s::established).count()).orElse(0L))
                .description("BGP sessions of the anycast routing daemon that are established").register(registry);
    }
}
