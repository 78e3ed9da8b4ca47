package dev.isthmus.control.anycast;

import dev.isthmus.control.config.AnycastConfig;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.IpPrefix;
import dev.isthmus.control.dns.ZoneService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Announces the anycast service prefixes while the appliance is healthy — its ports up, its lcores polling, a zone
 * loaded: {@code /health}'s conditions and one more, since a box with no zone would answer every anycast query with
 * REFUSED — and withdraws them as soon as it is not, on a clean stop (before the data plane stops, so the withdrawal
 * still reaches the routers), and when the JVM dies (the daemon dies with it: {@link BirdDaemon}).
 *
 * <p>A control thread compares health with what is announced every {@value #CHECK_MILLIS} ms and tells the daemon
 * when they differ ({@code birdc enable/disable}); failover time is that period plus the BGP UPDATE's way to the
 * router on a health change or a clean stop, and the hold time after a kill -9.
 */
@Singleton
public class AnycastService implements AutoCloseable {

    static final long CHECK_MILLIS = 250;
    private static final System.Logger LOG = System.getLogger(AnycastService.class.getName());

    private final ApplianceConfig config;
    private final DataplaneHealth dataplane;
    private final ZoneService zones;
    private volatile BirdDaemon daemon;
    private volatile boolean announcing;
    private volatile List<String> withheld = List.of("not started");
    private ScheduledExecutorService monitor;

    public AnycastService(ApplianceConfig config, DataplaneHealth dataplane, ZoneService zones) {
        this.config = config;
        this.dataplane = dataplane;
        this.zones = zones;
    }

    /** True when the configuration has an {@code anycast} section. */
    public boolean configured() {
        return config.anycast().isPresent();
    }

    /**
     * Starts the routing daemon in the exception path's namespace and the health loop; nothing without an
     * {@code anycast} section.
     *
     * @throws UncheckedIOException when the daemon does not start (its log is quoted)
     */
    public synchronized void start() {
        Optional<AnycastConfig> anycast = config.anycast();
        if (anycast.isEmpty() || daemon != null) {
            return;
        }
        String namespace = dataplane.exceptionNamespace().orElseThrow(() -> new IllegalStateException(
                "anycast needs the DNS exception path's namespace, which is not running"));
        Path directory = Path.of("/run/isthmus", config.eal().filePrefix() + "-anycast");
        try {
            daemon = BirdDaemon.start(namespace, directory, BirdConfig.render(anycast.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("anycast: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "anycast: BIRD runs in namespace " + namespace + " (" + directory
                + "); announcing " + anycast.get().announce() + " while healthy");
        monitor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("isthmus-anycast")
                .daemon(true).unstarted(r));
        monitor.scheduleWithFixedDelay(this::check, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Why the service prefixes must not be announced now; empty when the appliance is healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(dataplane.problems());
        if (zones.zones().isEmpty()) {
            problems.add("no zone is loaded");
        }
        return problems;
    }

    private void check() {
        try {
            List<String> problems = problems();
            boolean healthy = problems.isEmpty();
            withheld = List.copyOf(problems);
            if (healthy != announcing && announce(healthy)) {
                announcing = healthy;
                LOG.log(System.Logger.Level.INFO, "anycast: " + (healthy ? "announcing " + prefixes()
                        : "withdrew " + prefixes() + " (" + String.join("; ", problems) + ")"));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "anycast: health check failed", e);
        }
    }

    /** Enables or disables the static protocols of the families that have service prefixes. */
    private boolean announce(boolean on) {
        BirdDaemon d = daemon;
        if (d == null) {
            return false;
        }
        boolean ok = true;
        List<IpPrefix> prefixes = config.anycast().orElseThrow().announce();
        if (prefixes.stream().anyMatch(p -> !p.isIpv6())) {
            ok &= d.setEnabled(BirdConfig.ANNOUNCE4, on);
        }
        if (prefixes.stream().anyMatch(IpPrefix::isIpv6)) {
            ok &= d.setEnabled(BirdConfig.ANNOUNCE6, on);
        }
        return ok;
    }

    private List<String> prefixes() {
        return config.anycast().map(a -> a.announce().stream().map(IpPrefix::toString).toList()).orElse(List.of());
    }

    /** The current state, asking the daemon for its sessions; empty without an {@code anycast} section. */
    public Optional<AnycastStatus> status() {
        Optional<AnycastConfig> anycast = config.anycast();
        if (anycast.isEmpty()) {
            return Optional.empty();
        }
        BirdDaemon d = daemon;
        Map<String, String> sessions = new LinkedHashMap<>();
        Map<String, String> protocols = d == null ? Map.of() : d.protocols();
        for (int i = 0; i < anycast.get().peers().size(); i++) {
            AnycastConfig.Peer peer = anycast.get().peers().get(i);
            sessions.put(peer.address().getHostAddress() + " AS" + peer.as(),
                    protocols.getOrDefault(BirdConfig.peerProtocol(i), "unknown"));
        }
        boolean alive = d != null && d.isAlive();
        return Optional.of(new AnycastStatus("bird " + (alive ? "running" : "stopped"), announcing && alive,
                prefixes(), sessions, announcing ? List.of() : withheld));
    }

    /**
     * Withdraws the service prefixes, gives the UPDATE a moment to leave, and stops the daemon (its sessions close
     * with a Cease). Called before the data plane stops, which the withdrawal still needs.
     */
    @Override
    public synchronized void close() {
        if (monitor != null) {
            monitor.shutdownNow();
            try {
                monitor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            monitor = null;
        }
        BirdDaemon d = daemon;
        if (d == null) {
            return;
        }
        if (announcing && announce(false)) {
            announcing = false;
            try {
                Thread.sleep(500); // the withdrawal leaves through the exception path and the data plane
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        d.close();
        daemon = null;
        withheld = List.of("stopped");
        LOG.log(System.Logger.Level.INFO, "anycast: withdrawn and BIRD stopped");
    }
}
