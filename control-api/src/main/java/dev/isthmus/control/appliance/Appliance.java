package dev.isthmus.control.appliance;

import dev.isthmus.control.anycast.AnycastService;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.dns.RrlService;
import dev.isthmus.control.dns.SecondaryService;
import dev.isthmus.control.dns.ServedZone;
import dev.isthmus.control.dns.TransferService;
import dev.isthmus.control.dns.ZoneService;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.vswitch.VswitchService;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's lifecycle: created with the application context (so a bad zone or a port that does not start
 * stops the start-up with the reason), it puts the configured zones in service (with those changed over REST
 * restored from the journal, when configured), starts the data plane, sets up the configured vswitch and the bridge
 * domains changed over REST, and stops everything in reverse order when the context closes (Ctrl-C). Start and
 * stop are journalled.
 */
@Context
public class Appliance {

    /** The property that turns the data plane off. */
    public static final String DATAPLANE_ENABLED = "isthmus.dataplane.enabled";

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);

    private final ApplianceConfig config;
    private final Journal journal;
    private final ZoneService zones;
    private final TransferService transfers;
    private final RrlService rrl;
    private final VswitchService vswitch;
    private final ApplianceDataplane dataplane;
    private final AnycastService anycast;
    private final boolean dataplaneEnabled;
    private final SecondaryService secondaries;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param dataplaneEnabled {@code isthmus.dataplane.enabled}: false runs the control plane alone (no EAL, no
     *                         ports; {@code /health} answers 503), for working on configuration and zones without root
     */
    public Appliance(ApplianceConfig config, Journal journal, ZoneService zones, RrlService rrl,
                     VswitchService vswitch, ApplianceDataplane dataplane, AnycastService anycast,
                     @Value("${" + DATAPLANE_ENABLED + ":true}") boolean dataplaneEnabled,
                     SecondaryService secondaries, TransferService transfers) {
        this.transfers = transfers;
        this.config = config;
        this.journal = journal;
        this.zones = zones;
        this.rrl = rrl;
        this.vswitch = vswitch;
        this.dataplane = dataplane;
        this.anycast = anycast;
        this.dataplaneEnabled = dataplaneEnabled;
        this.secondaries = secondaries;
    }

    @PostConstruct
    void start() {
        try {
            transfers.start(config.dns().transfers(), config.dns().tsigKeys(), config.journal().restore()); // before the zones: their history
            zones.start(config.dns().zones(), config.journal().restore());
            secondaries.start(config.dns().secondaries(), config.journal().restore()); // copies on disk served now
            if (config.journal().restore()) {
                rrl.restore(); // before the data plane: its first burst already limits as journalled
            }
            if (dataplaneEnabled) {
                dataplane.start();
                dataplane.kernelDns().ifPresent(k -> k.notifyHandler(secondaries.notifyReceiver())); // RFC 1996
            }
            transfers.announce(); // NOTIFY leaves through the exception path, which exists from here on
            // After the data plane: an underlay without a MAC takes its port's. The vswitch stage reads each new
            // snapshot per burst, so the domains apply to a running data plane.
            vswitch.configure(config.vswitch());
            if (config.journal().restore()) {
                vswitch.restore();
            }
            if (dataplaneEnabled) {
                anycast.start(); // last: announced only once everything above serves
            }
        } catch (RuntimeException e) {
            try {
                anycast.close();
                dataplane.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            journal.event(Actor.APPLIANCE, "appliance", "start-failed", String.valueOf(e.getMessage()));
            throw e;
        }
        running.set(true);
        journal.event(Actor.APPLIANCE, "appliance", "start", "config " + config.source() + ", zones "
                + zones.zones().stream().map(ServedZone::name).toList() + (dataplaneEnabled ? "" : ", data plane off"));
        LOG.info("appliance started from {}", config.source());
    }

    @PreDestroy
    void stop() {
        if (running.compareAndSet(true, false)) {
            anycast.close(); // withdraw first, while the data plane still carries the BGP UPDATE
            dataplane.close();
            journal.event(Actor.APPLIANCE, "appliance", "stop", "");
            LOG.info("appliance stopped");
        }
    }

    /** @return the configuration it runs */
    public ApplianceConfig config() {
        return config;
    }

    /** @return true between a successful start and the stop */
    public boolean running() {
        return running.get();
    }
}
