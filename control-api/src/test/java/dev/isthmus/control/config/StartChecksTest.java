package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.control.VswitchControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the appliance would refuse at start the loader refuses, at its line: each case below is given to the loader
 * (refused with {@code file:line: field}) and, built without the loader, to what the appliance runs at start — the
 * data plane's {@link DataplanePlan} and the vswitch's own checks, as {@code VswitchService.configure} applies them —
 * which refuses it too. A case the start takes would fail the second half: only real refusals are listed.
 */
class StartChecksTest {

    private static final String BASE = """
            ports:
              - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
              - {name: p1, device: net_null1}
              - {name: p2, device: net_null2}
            """;

    /** One refusal: the file, what the loader says about it, and the same thing made without the loader. */
    private record Case(String yaml, String problem, UnaryOperator<ApplianceConfig> unchecked) {
    }

    private static final List<Case> CASES = List.of(
            new Case("""
                    ports:
                      - {name: p0, device: net_kni0, addresses: [198.18.0.53/24]}
                    """,
                    "test.yml:2: ports[0].device: device 'net_kni0' is neither a PCI address (0000:03:00.0) nor a "
                            + "virtual device of [",
                    c -> withPort(c, 0, port(c, 0, "net_kni0"))),
            new Case("""
                    lcores: {workers: [1, 2, 3, 4]}
                    mempool: {mbufs: 1023, cache-size: 64}
                    ports:
                      - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                    """,
                    "test.yml:2: mempool.mbufs: 1023 mbufs cannot fill ",
                    c -> with(c, new LcoreLayout(List.of(1, 2, 3, 4)), new MempoolConfig(1023, 64, 2176))),
            new Case("""
                    ports:
                      - {name: p0, device: "0000:03:00.0", addresses: [198.18.0.53/24]}
                    """,
                    "test.yml:1: eal: PCI ports need hugepages (eal.hugepages: true)",
                    c -> withPort(c, 0, port(c, 0, "0000:03:00.0"))),
            new Case("""
                    ports:
                      - {name: p0, device: net_null0, addresses: [198.18.0.53/24, 127.0.0.1/8]}
                    """,
                    "test.yml:2: ports[0].addresses: port p0: 127.0.0.1 is not a unicast host address",
                    c -> withPort(c, 0, new AppliancePort("p0", "net_null0", "", false, List.of(
                            IpPrefix.parse("198.18.0.53/24"), IpPrefix.parse("127.0.0.1/8")), List.of()))),
            new Case(BASE + """
                    vswitch:
                      bridge-domains:
                        - {vni: 100, ports: [p1]}
                        - {vni: 200, ports: [p1]}
                    """,
                    "test.yml:8: vswitch.bridge-domains[1]: port p1 is already an access port of VNI 100",
                    c -> withVswitch(c, new VswitchSection(null, List.of(domain(100, "p1", List.of()),
                            domain(200, "p1", List.of()))))),
            new Case(BASE + """
                    vswitch:
                      underlay: {port: p0, mac: "02:00:00:00:00:01", ipv4: 198.18.1.1/24}
                      bridge-domains:
                        - {vni: 100, ports: [p1], vteps: ["2001:db8::2"]}
                    """,
                    "test.yml:8: vswitch.bridge-domains[0]: VNI 100: VTEP 2001:db8::2 needs an underlay IPv6 address",
                    c -> withVswitch(c, new VswitchSection(underlay("p0"), List.of(domain(100, "p1",
                            List.of("2001:db8::2")))))),
            new Case(BASE + """
                    vswitch:
                      underlay: {port: p0, mac: "02:00:00:00:00:01", ipv4: 198.18.1.1/24}
                      bridge-domains:
                        - {vni: 100, ports: [p0]}
                    """,
                    "test.yml:8: vswitch.bridge-domains[0]: port p0 is the underlay uplink; it cannot also be an access "
                            + "port",
                    c -> withVswitch(c, new VswitchSection(underlay("p0"), List.of(domain(100, "p0", List.of()))))));

    @Test
    void theLoaderRefusesEachCaseAtItsLineAndField() {
        for (Case c : CASES) {
            List<String> problems = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse("test.yml", c.yaml(), Path.of(".")), c.yaml()).problems();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.getFirst().startsWith(c.problem()), problems.getFirst() + "\n  expected " + c.problem());
        }
    }

    @Test
    void theStartRefusesEachCaseTooWithoutTheLoader() throws Exception {
        ApplianceConfig base = ConfigLoader.parse("base.yml", BASE, Path.of("."));
        for (Case c : CASES) {
            ApplianceConfig unchecked = c.unchecked().apply(base);
            assertThrows(RuntimeException.class, () -> start(unchecked), c.yaml());
        }
    }

    @Test
    void theBaseStarts() throws Exception {
        start(ConfigLoader.parse("base.yml", BASE, Path.of(".")));
    }

    /** What the appliance does with a configuration at start, short of opening devices. */
    private static void start(ApplianceConfig config) {
        DataplanePlan.of(config, ConfigLoader.exceptionPort(config.dns()) ? "isthmus-exc0" : null);
        List<String> names = config.ports().stream().map(AppliancePort::name).toList();
        VswitchControl vswitch = new VswitchControl();
        try {
            if (config.vswitch().underlay() != null) {
                vswitch.setUnderlay(VswitchViews.underlay(config.vswitch().underlay(), names::indexOf,
                        id -> Optional.of("02:00:00:00:00:09")));
            }
            for (BridgeDomainView domain : config.vswitch().bridgeDomains()) {
                vswitch.createBridgeDomain(VswitchViews.bridgeDomain(domain, names::indexOf));
            }
        } catch (RejectedException | VswitchConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static AppliancePort port(ApplianceConfig c, int i, String device) {
        AppliancePort p = c.ports().get(i);
        return new AppliancePort(p.name(), device, p.devargs(), p.promiscuous(), p.addresses(), p.kernelAddresses(),
                p.mtu());
    }

    private static ApplianceConfig withPort(ApplianceConfig c, int i, AppliancePort port) {
        List<AppliancePort> ports = new ArrayList<>(c.ports());
        ports.set(i, port);
        return new ApplianceConfig(c.source(), c.eal(), c.lcores(), c.mempool(), ports, c.dns(), c.vswitch(), c.api(),
                c.journal(), c.anycast());
    }

    private static ApplianceConfig with(ApplianceConfig c, LcoreLayout lcores, MempoolConfig mempool) {
        return new ApplianceConfig(c.source(), c.eal(), lcores, mempool, c.ports(), c.dns(), c.vswitch(), c.api(),
                c.journal(), c.anycast());
    }

    private static ApplianceConfig withVswitch(ApplianceConfig c, VswitchSection vswitch) {
        return new ApplianceConfig(c.source(), c.eal(), c.lcores(), c.mempool(), c.ports(), c.dns(), vswitch, c.api(),
                c.journal(), c.anycast());
    }

    private static UnderlayView underlay(String port) {
        return new UnderlayView(port, "02:00:00:00:00:01", "198.18.1.1/24", null, null, null, null, null);
    }

    private static BridgeDomainView domain(int vni, String port, List<String> vteps) {
        return new BridgeDomainView(vni, "", List.of(new PortRef(port, 0)), vteps, List.of(), null, null, null, null,
                null, null);
    }
}
