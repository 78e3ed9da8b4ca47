package dev.isthmus.control.appliance;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.AppliancePort;
import dev.isthmus.control.config.ConfigException;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.TransferConfig;
import dev.isthmus.control.dns.RrlService;
import dev.isthmus.control.dns.SecondaryService;
import dev.isthmus.control.dns.TransferService;
import dev.isthmus.control.dns.ZoneService;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.vswitch.PortDirectory;
import dev.isthmus.control.vswitch.VswitchService;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.xfr.Notifier;
import dev.isthmus.dns.xfr.TransferCounters;
import dev.isthmus.dns.xfr.TransferLimits;
import dev.isthmus.dns.xfr.ZoneHistory;
import dev.isthmus.dns.xfr.ZoneTransfers;
import dev.isthmus.nativebindings.NetworkNamespace;
import dev.isthmus.vswitch.control.VswitchControl;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the beans the appliance is made of from its configuration file, named by the property
 * {@code isthmus.config} ({@code IsthmusMain} sets it from {@code --config}; the default is the embedded
 * {@code config/isthmus.yml}).
 */
@Factory
public class ApplianceFactory {

    /** The property naming the configuration file. */
    public static final String CONFIG_PROPERTY = "isthmus.config";

    @Singleton
    ApplianceConfig applianceConfig(@Value("${" + CONFIG_PROPERTY + ":" + ConfigLoader.EMBEDDED_DEFAULT + "}") String location)
            throws ConfigException {
        return ConfigLoader.load(location);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Journal journal(ApplianceConfig config) {
        return new Journal(config.journal().directory());
    }

    /** The served zones as the DNS engine reads them; shared by the data-plane DNS stage and the zone API. */
    @Singleton
    ZoneCatalog zoneCatalog() {
        return new ZoneCatalog();
    }

    /**
     * The primary side of zone transfers, listening to the catalog: history for IXFR, NOTIFY sent from the exception
     * path's namespace while it exists (so it leaves from the appliance's address through the data plane), else from
     * an ordinary socket.
     */
    @Singleton
    @Bean(preDestroy = "close")
    ZoneTransfers zoneTransfers(ApplianceConfig config, ZoneCatalog catalog,
                                jakarta.inject.Provider<ApplianceDataplane> dataplane) {
        TransferCounters counters = new TransferCounters();
        Notifier notifier = new Notifier(() -> {
            java.util.Optional<String> namespace = dataplane.get().exceptionNamespace();
            return namespace.isPresent()
                    ? NetworkNamespace.call(namespace.get(), java.net.DatagramSocket::new)
                    : new java.net.DatagramSocket();
        }, java.time.Duration.ofSeconds(1), 5, counters);
        TransferConfig t = config.dns().transfers();
        return new ZoneTransfers(catalog, new ZoneHistory(t.historyVersions(), t.historyRecords()), notifier, counters);
    }

    @Singleton
    TransferService transferService(ZoneTransfers transfers, Journal journal) {
        return new TransferService(transfers, journal);
    }

    @Singleton
    ZoneService zoneService(ZoneCatalog catalog, Journal journal) {
        return new ZoneService(catalog, journal, Clock.systemUTC());
    }

    /** Response-rate limiting as the lcores read it, starting from the configuration file's {@code dns.rrl}. */
    @Singleton
    RrlControl rrlControl(ApplianceConfig config) {
        return new RrlControl(config.dns().rrl());
    }

    /** The server-cookie secrets as the lcores read them, from the configuration file's {@code dns.cookies}. */
    @Singleton
    CookieControl cookieControl(ApplianceConfig config) {
        return new CookieControl(config.dns().cookies());
    }

    @Singleton
    RrlService rrlService(RrlControl control, Journal journal, ObjectMapper json) {
        return new RrlService(control, journal, json);
    }

    /** Ports are numbered in the order the configuration lists them, the order EAL probes them in. */
    @Singleton
    PortDirectory portDirectory(ApplianceConfig config) {
        return new PortDirectory(config.ports().stream().map(AppliancePort::name).toList());
    }

    @Singleton
    @Bean(preDestroy = "close")
    VswitchControl vswitchControl() {
        VswitchControl control = new VswitchControl();
        control.startMaintenance();
        return control;
    }

    @Singleton
    @Bean(preDestroy = "close")
    ApplianceDataplane dataplane(ApplianceConfig config, ZoneCatalog catalog, VswitchControl vswitch,
                                 RrlControl rrl, CookieControl cookies, ZoneTransfers transfers) {
        return new ApplianceDataplane(config, catalog, vswitch, rrl, cookies).transfers(transfers.responder());
    }

    /** The secondary zones: transfers on kernel sockets in the exception path's namespace, copies beside the journal. */
    @Singleton
    @Bean(preDestroy = "close")
    SecondaryService secondaryService(ApplianceConfig config, ZoneService zones, ZoneCatalog catalog, Journal journal,
                                      ApplianceDataplane dataplane) {
        return new SecondaryService(zones, catalog, journal, Clock.systemUTC(),
                config.journal().directory().resolve("secondary"), config.dns().tsigKeys(),
                new NamespaceDialer(dataplane::exceptionNamespace), TransferLimits.DEFAULT);
    }

    @Singleton
    VswitchService vswitchService(VswitchControl control, PortDirectory ports, Journal journal, ObjectMapper json,
                                  ApplianceDataplane dataplane) {
        return new VswitchService(control, ports, journal, json,
                port -> dataplane.running().map(dp -> dp.port(port).macAddressString()));
    }
}
