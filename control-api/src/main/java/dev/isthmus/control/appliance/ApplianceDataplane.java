package dev.isthmus.control.appliance;

import dev.isthmus.control.anycast.DataplaneHealth;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.AppliancePort;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.DataplanePlan;
import dev.isthmus.control.config.DnsConfig;
import dev.isthmus.control.config.IpPrefix;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.exception.KernelSide;
import dev.isthmus.dataplane.worker.PollWorker;
import dev.isthmus.dns.dnstap.DnstapFile;
import dev.isthmus.dns.dnstap.DnstapSocket;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsCounterSnapshot;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.LinkStatus;
import dev.isthmus.vswitch.control.VswitchControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The appliance's data plane: built from the configuration ({@link DataplanePlan}) with the network functions'
 * stages ({@link AppliancePipelines}); the kernel side of its TAP ports addressed and brought up; with DNS, the
 * exception path's namespace ({@link KernelSide}) given the uplink's MAC and addresses and serving TCP/53 from the
 * same zones. Closed in reverse order when the appliance stops: workers and ports stopped (the TAP PMD removes its
 * interfaces), the query logger drained, the namespace deleted.
 */
public final class ApplianceDataplane implements DataplaneHealth, AutoCloseable {

    /** How long the exception path's TCP transport keeps an idle connection (RFC 7766 §6.2.3 suggests seconds). */
    private static final Duration TCP_IDLE = Duration.ofSeconds(10);

    private final ApplianceConfig config;
    private final ZoneCatalog catalog;
    private final VswitchControl vswitch;
    private final RrlControl rrl;
    private final CookieControl cookies;
    private volatile Dataplane dataplane;
    private volatile DnsDataPath dns;
    private volatile KernelSide kernelSide;
    /** DNS over TCP (and NOTIFY) inside the exception path's namespace, while it runs. */
    private volatile KernelDnsServer kernelDns;
    /** Answers AXFR/IXFR on the exception path's TCP; null: transfers refused. */
    private volatile dev.isthmus.dns.xfr.TransferResponder transfers;

    public ApplianceDataplane(ApplianceConfig config, ZoneCatalog catalog, VswitchControl vswitch, RrlControl rrl,
                              CookieControl cookies) {
        this.rrl = rrl;
        this.cookies = cookies;
        this.config = config;
        this.catalog = catalog;
        this.vswitch = vswitch;
    }

    /** Serves zone transfers (RFC 5936, RFC 1995) on the exception path's TCP with {@code responder}; before start. */
    public ApplianceDataplane transfers(dev.isthmus.dns.xfr.TransferResponder responder) {
        this.transfers = responder;
        return this;
    }

    /**
     * Starts EAL (once per process), the mempool, the ports and the workers, then the TAP ports' kernel side and
     * the DNS exception path.
     *
     * @throws RuntimeException naming the DPDK call and port, or the command, that failed; nothing is left running
     */
    public synchronized void start() {
        if (dataplane != null) {
            return;
        }
        boolean dnsOn = config.dns().enabled();
        boolean exceptionPath = dnsOn && config.dns().exceptionPath();
        try {
            if (dnsOn) {
                dns = new DnsDataPath(catalog, dnsSettings(config.dns()), QueryLogSink.systemLogger(), rrl,
                        cookies).identity(config.dns().identity());
                String id = config.dns().identity().nsid() == null ? "isthmus"
                        : new String(config.dns().identity().nsid(), java.nio.charset.StandardCharsets.UTF_8);
                if (!config.dns().dnstapFile().isEmpty()) {
                    try {
                        dns.dnstap(new DnstapFile(Path.of(config.dns().dnstapFile()), id));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("dns.dnstap-file " + config.dns().dnstapFile() + ": " + e, e);
                    }
                } else if (!config.dns().dnstapSocket().isEmpty()) {
                    // Connects now if the collector listens, else retries once a second (frames dropped meanwhile).
                    dns.dnstap(new DnstapSocket(Path.of(config.dns().dnstapSocket()), id));
                }
            }
            if (exceptionPath) {
                String prefix = config.eal().filePrefix();
                String short10 = prefix.length() > 10 ? prefix.substring(0, 10) : prefix;
                kernelSide = KernelSide.create(prefix + "-exc", short10 + "-exc0", short10 + "-exc1");
            }
            AppliancePipelines pipelines = new AppliancePipelines(dns, vswitch,
                    exceptionPath ? ConfigLoader.EXCEPTION_PORT : null, config.dns().uplink(),
                    config.lcores().io().size(), config.lcores().workers().size());
            dataplane = Dataplane.start(DataplanePlan.of(config,
                    exceptionPath ? kernelSide.dataplaneInterface() : null), pipelines);
            for (AppliancePort port : config.ports()) {
                if (port.isTap() && port.kernelInterface().isPresent()) {
                    KernelInterface.configure(port.kernelInterface().get(), port.kernelAddresses());
                }
            }
            if (exceptionPath) {
                int uplink = portIndex(config.dns().uplink());
                AppliancePort uplinkPort = config.ports().get(uplink);
                // The anycast service addresses too: TCP/53 to them goes through the exception path like the rest.
                kernelSide.configure(dataplane.port(uplink).macAddressString(), java.util.stream.Stream.concat(
                        uplinkPort.addresses().stream(), config.serviceAddresses().stream())
                        .map(IpPrefix::toString).toList());
                kernelDns = KernelDnsServer.inNamespace(kernelSide.namespace(), kernelSide.addresses(), catalog, 1,
                        TCP_IDLE, config.dns().minimalResponses(), transfers);
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The data plane's DNS settings from {@code dns:} (each lcore's stage builds its engine and cache from them). */
    static DnsSettings dnsSettings(DnsConfig dns) {
        return new DnsSettings(dns.mtu(), dns.queryLogEvery(), 4096, dns.answerCacheEntries(), dns.minimalResponses());
    }

    private int portIndex(String name) {
        for (int i = 0; i < config.ports().size(); i++) {
            if (config.ports().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no port named '" + name + "'");
    }

    /** @return the network namespace of the exception path's kernel while it exists (DNS with an exception path) */
    @Override
    public Optional<String> exceptionNamespace() {
        KernelSide side = kernelSide;
        return side == null ? Optional.empty() : Optional.of(side.namespace());
    }

    /** @return the kernel-socket DNS transport of the exception path while it runs (it receives NOTIFY) */
    public Optional<KernelDnsServer> kernelDns() {
        return Optional.ofNullable(kernelDns);
    }

    /** @return the running dataplane, if started */
    public Optional<Dataplane> running() {
        return Optional.ofNullable(dataplane);
    }

    /** @return the data-plane DNS counters summed over the lcores, when DNS runs */
    public Optional<DnsCounterSnapshot> dnsCounters() {
        DnsDataPath d = dns;
        return dataplane == null || d == null ? Optional.empty() : Optional.of(d.counters());
    }

    /**
     * @return why the data plane is not healthy: not running, a port whose link is down, a worker that is not
     *         polling; empty when every port is up and every worker polls
     */
    @Override
    public List<String> problems() {
        Dataplane dp = dataplane;
        if (dp == null) {
            return List.of("the data plane is not running");
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.ports().size(); i++) {
            AppliancePort port = config.ports().get(i);
            EthPort ethPort = dp.port(i);
            if (!ethPort.isStarted()) {
                problems.add("port " + port.name() + " (" + port.device() + ") is stopped");
                continue;
            }
            LinkStatus link = ethPort.link();
            if (!link.up()) {
                problems.add("port " + port.name() + " (" + port.device() + ") link is down");
            }
        }
        for (PollWorker worker : dp.workers()) {
            if (!worker.isPolling()) {
                problems.add("worker " + worker.name() + " is not polling");
            }
        }
        return problems;
    }

    /** Stops the workers and ports and releases them (TAP interfaces disappear), then the DNS path. Idempotent. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        Dataplane dp = dataplane;
        dataplane = null;
        if (dp != null) {
            try {
                dp.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (dns != null) {
            dns.close();
            dns = null;
        }
        if (kernelDns != null) {
            kernelDns.close();
            kernelDns = null;
        }
        if (kernelSide != null) {
            kernelSide.close();
            kernelSide = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
