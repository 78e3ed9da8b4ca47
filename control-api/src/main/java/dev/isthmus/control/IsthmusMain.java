package dev.isthmus.control;

import dev.isthmus.control.appliance.Appliance;
import dev.isthmus.control.appliance.ApplianceFactory;
import dev.isthmus.control.appliance.NumaPlacement;
import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigException;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.IpPrefix;
import dev.isthmus.control.config.PortConfig;
import dev.isthmus.control.config.VswitchSection;
import dev.isthmus.control.dns.ServedZone;
import dev.isthmus.control.dns.ZoneService;
import dev.isthmus.control.security.ServerProperties;
import dev.isthmus.control.vswitch.BridgeDomainView;
import dev.isthmus.control.vswitch.UnderlayView;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The appliance's main ({@code ./isthmus run [--config FILE]}): loads and validates the configuration (every problem
 * with file and line, exit 2), starts the appliance — zones, journal, data plane, REST API — prints where everything
 * is and how to query it, and on Ctrl-C (SIGINT/SIGTERM) stops it cleanly: workers and ports stopped, TAP interfaces
 * removed, the stop journalled.
 */
public final class IsthmusMain {

    /** Exit status for a configuration that does not load. */
    static final int EXIT_BAD_CONFIG = 2;
    /** Exit status for an appliance that does not start. */
    static final int EXIT_START_FAILED = 1;

    private IsthmusMain() {
    }

    public static void main(String[] args) {
        Optional<String> location;
        try {
            location = parseArguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println("isthmus: " + e.getMessage());
            usage(System.err);
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        if (location.isEmpty()) {
            usage(System.out);
            return;
        }
        ApplianceConfig config;
        try {
            config = ConfigLoader.load(location.get());
        } catch (ConfigException e) {
            System.err.println("isthmus: the configuration is not valid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        ApplicationContext context;
        try {
            context = start(config, location.get());
        } catch (RuntimeException e) {
            System.err.println("isthmus: the appliance did not start: " + rootMessage(e));
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(context), "isthmus-shutdown"));
        printWhereThingsAre(context, config, System.out);
    }

    /**
     * @return the configuration to load, or empty for {@code --help}
     * @throws IllegalArgumentException for arguments it does not know
     */
    static Optional<String> parseArguments(String[] args) {
        String location = ConfigLoader.EMBEDDED_DEFAULT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    return Optional.empty();
                }
                case "-c", "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a file");
                    }
                    location = args[++i];
                }
                default -> {
                    if (args[i].startsWith("--config=")) {
                        location = args[i].substring("--config=".length());
                    } else {
                        throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                    }
                }
            }
        }
        return Optional.of(location);
    }

    /** Starts the application context (the appliance comes up with it) and the HTTP server on {@code api.listen}. */
    static ApplicationContext start(ApplianceConfig config, String location) {
        return start(config, location, Map.of());
    }

    /** {@link #start(ApplianceConfig, String)} with further Micronaut properties (tests: no data plane, a free port). */
    static ApplicationContext start(ApplianceConfig config, String location, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(ServerProperties.of(config.api()));
        properties.put(ApplianceFactory.CONFIG_PROPERTY, location);
        properties.putAll(overrides);
        ApplicationContext context = ApplicationContext.builder(IsthmusMain.class)
                .properties(properties)
                .deduceEnvironment(false)
                .start();
        try {
            context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            stop(context);
            throw e;
        }
        return context;
    }

    private static void stop(ApplicationContext context) {
        if (context.isRunning()) {
            System.err.println("isthmus: stopping (ports, workers, TAP interfaces) ...");
            context.close();
            System.err.println("isthmus: stopped");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        StringBuilder message = new StringBuilder();
        while (cause != null) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                // Micronaut wraps what a bean threw in "Error instantiating bean ..." text; the innermost cause
                // (a DPDK call and port, a zone file line) is what an operator acts on.
                message.setLength(0);
                message.append(cause.getMessage());
            }
            cause = cause.getCause();
        }
        return message.toString();
    }

    static void printWhereThingsAre(ApplicationContext context, ApplianceConfig config, PrintStream out) {
        out.print(banner(config, context.getBean(ZoneService.class).zones(),
                context.getBean(Appliance.class).running()));
    }

    /**
     * What the appliance serves and how to try it, as its configuration has it: ports and lcores; DNS zones, dig
     * lines and zone uploads only when {@code dns.enabled}; the underlay and bridge domains when the vswitch has
     * any. Suggesting a dig at an appliance that does not answer DNS would send the reader after a fault that is
     * not there.
     *
     * @param zones the zones being served (ignored with DNS disabled)
     * @param running whether the appliance is running
     */
    static String banner(ApplianceConfig config, Collection<ServedZone> zones, boolean running) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        boolean dns = config.dns().enabled();
        VswitchSection vswitch = config.vswitch();
        out.println();
        out.println("Isthmus is running (configuration: " + config.source() + ")");
        for (PortConfig port : config.ports()) {
            out.println("  port " + port.name() + ": " + port.deviceSpec()
                    + (port.addresses().isEmpty() ? "" : ", answering as " + join(port)));
            port.kernelInterface().filter(i -> !port.kernelAddresses().isEmpty()).ifPresent(iface ->
                    out.println("    host side: " + iface + " " + port.kernelAddresses().stream()
                            .map(IpPrefix::toString).collect(Collectors.joining(" "))));
        }
        if (config.lcores().handoff()) {
            out.println("  lcores: " + config.lcores().io().size() + " I/O lcore(s) on CPU(s) " + config.lcores().io()
                    + " handing flows to " + config.lcores().workers().size() + " worker(s) on CPU(s) "
                    + config.lcores().workers() + " (rings of " + config.lcores().handoffRing() + ")");
        } else {
            out.println("  lcores: " + config.lcores().workers().size() + " polling worker(s) on CPU(s) "
                    + config.lcores().workers());
        }
        NumaPlacement.warnings(config, NumaPlacement.SYSFS).forEach(w -> out.println("  warning: " + w));
        if (dns) {
            for (ServedZone zone : zones) {
                out.println("  zone " + zone.name() + " (serial " + zone.serial() + ", " + zone.recordCount()
                        + " records) from " + zone.source());
            }
        } else {
            out.println("  DNS: off (dns.enabled: false)");
        }
        if (vswitch.underlay() != null) {
            UnderlayView underlay = vswitch.underlay();
            out.println("  vswitch underlay: port " + underlay.port() + Stream.of(underlay.ipv4(), underlay.ipv6())
                    .filter(Objects::nonNull).map(a -> ", VTEP " + a).collect(Collectors.joining()));
        }
        for (BridgeDomainView domain : vswitch.bridgeDomains()) {
            out.println("  bridge domain VNI " + domain.vni() + (domain.name().isEmpty() ? "" : " (" + domain.name() + ")")
                    + ": ports " + domain.ports().stream().map(p -> p.vlan() == 0 ? p.port() : p.port() + "." + p.vlan())
                            .toList()
                    + ", VTEPs " + domain.vteps());
        }
        String api = config.api().baseUrl();
        out.println("  REST API: " + api + "  (journal in " + config.journal().directory() + ")"
                + (config.api().tokens().required() ? ", bearer tokens from " + config.api().tokensFile().orElseThrow() : "")
                + (config.api().clientCertificatesRequired() ? ", client certificates required" : ""));
        out.println("  dashboard: " + api + "/ui   API browser: " + api + "/swagger-ui   metrics: " + api + "/prometheus");
        out.println();
        out.println("Try:");
        if (dns) {
            config.ports().stream().flatMap(p -> p.addresses().stream()).findFirst().ifPresent(address -> {
                String name = zones.stream().findFirst().map(z -> "www." + z.name()).orElse("www.example.test");
                out.println("  dig @" + address.addressText() + " " + name);
                config.ports().stream().flatMap(p -> p.addresses().stream()).filter(IpPrefix::isIpv6).findFirst()
                        .ifPresent(v6 -> out.println("  dig @" + v6.addressText() + " " + name + " AAAA"));
            });
        }
        out.println("  curl " + api + "/health");
        // Every other route needs a token when tokens are configured (/health stays open).
        String curl = "curl";
        if (config.api().tokens().required()) {
            out.println("  export ISTHMUS_TOKEN=...   # a token of " + config.api().tokensFile().orElseThrow()
                    + " (read scope for GET, write for changes)");
            curl = "curl -H \"Authorization: Bearer $ISTHMUS_TOKEN\"";
        }
        out.println("  " + curl + " " + api + "/stats");
        if (dns) {
            out.println("  " + curl + " " + api + "/dns/zones");
            String origin = zones.stream().findFirst().map(ServedZone::name).orElse("example.test");
            out.println("  " + curl + " -T my.zone " + api + "/dns/zones/" + origin);
        }
        if (vswitch.underlay() != null || !vswitch.bridgeDomains().isEmpty()) {
            out.println("  " + curl + " " + api + "/vswitch/bridge-domains");
            String c = curl;
            vswitch.bridgeDomains().stream().findFirst().ifPresent(domain ->
                    out.println("  " + c + " " + api + "/vswitch/bridge-domains/" + domain.vni() + "/fdb"));
        }
        out.println("  " + curl + " '" + api + "/journal?limit=20'");
        out.println("Ctrl-C stops the appliance" + (running ? "." : " (it is not running)."));
        out.flush();
        return text.toString();
    }

    private static String join(PortConfig port) {
        return port.addresses().stream().map(IpPrefix::toString).collect(Collectors.joining(" "));
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: ./isthmus run [--config FILE]

                Starts the Isthmus appliance: the DPDK data plane with the DNS and vswitch functions, and the REST
                control API. Without --config it runs the embedded default (config/isthmus.yml): one net_tap port
                whose host side is isthmus0 (198.18.0.1/24), the appliance answering as 198.18.0.53 and 2001:db8::53,
                the sample zone example.test, the API on 127.0.0.1:8080. See docs/CONTROL-API.md.""");
    }
}
