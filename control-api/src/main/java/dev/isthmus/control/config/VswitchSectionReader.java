package dev.isthmus.control.config;

import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.StaticEntryView;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the configuration file's {@code vswitch} section (underlay and bridge domains) into the same views the REST
 * API and the journal use, checking what can be checked without the vswitch: port names, VLAN ids, VNIs, addresses
 * and MACs, each problem with its line. The vswitch validates the whole when it is applied at start.
 */
final class VswitchSectionReader {

    /** The largest VNI (24 bits, RFC 7348 §5). */
    static final int MAX_VNI = 16_777_215;

    private final YamlReader r;

    VswitchSectionReader(YamlReader r) {
        this.r = r;
    }

    /** @return the {@code vswitch} section, empty when absent */
    VswitchSection read(Node node, List<AppliancePort> ports) {
        if (node == null) {
            return VswitchSection.empty();
        }
        Map<String, Node> m = r.mapping(node, "vswitch", YamlReader.keys("underlay", "bridge-domains"));
        UnderlayView underlay = m.containsKey("underlay") ? underlay(m.get("underlay"), ports) : null;
        List<BridgeDomainView> domains = new ArrayList<>();
        Set<Integer> vnis = new HashSet<>();
        List<Node> items = r.sequence(m, "bridge-domains", "vswitch");
        for (int i = 0; i < items.size(); i++) {
            String path = "vswitch.bridge-domains[" + i + "]";
            Map<String, Node> d = r.mapping(items.get(i), path, YamlReader.keys("vni", "name", "ports", "vteps",
                    "static-entries", "mac-limit", "aging-seconds", "arp-suppression", "learn-vteps",
                    "max-learned-vteps"));
            int vni = r.integer(d, "vni", path, -1, 0, MAX_VNI);
            if (!d.containsKey("vni")) {
                r.problem(items.get(i), path + ".vni", "is required");
            } else if (vni >= 0 && !vnis.add(vni)) {
                r.problem(d.get("vni"), path + ".vni", "VNI " + vni + " is listed twice");
            }
            List<PortRef> accessPorts = new ArrayList<>();
            List<String> portTexts = r.strings(d, "ports", path);
            for (int k = 0; k < portTexts.size(); k++) {
                PortRef ref = portRef(portTexts.get(k), ports, d.get("ports"), path + ".ports[" + k + "]");
                if (ref != null) {
                    accessPorts.add(ref);
                }
            }
            List<String> vteps = r.strings(d, "vteps", path);
            for (int k = 0; k < vteps.size(); k++) {
                address(vteps.get(k), d.get("vteps"), path + ".vteps[" + k + "]");
            }
            List<StaticEntryView> statics = new ArrayList<>();
            List<Node> staticNodes = r.sequence(d, "static-entries", path);
            for (int k = 0; k < staticNodes.size(); k++) {
                String spath = path + ".static-entries[" + k + "]";
                Map<String, Node> e = r.mapping(staticNodes.get(k), spath, YamlReader.keys("mac", "port", "vtep"));
                String mac = mac(r.requiredString(e, "mac", spath, staticNodes.get(k)), e.get("mac"), spath + ".mac");
                Optional<String> port = r.optionalString(e, "port", spath);
                Optional<String> vtep = r.optionalString(e, "vtep", spath);
                if (port.isPresent() == vtep.isPresent()) {
                    r.problem(staticNodes.get(k), spath, "needs exactly one of port and vtep");
                    continue;
                }
                vtep.ifPresent(v -> address(v, e.get("vtep"), spath + ".vtep"));
                statics.add(new StaticEntryView(mac, port.map(p -> portRef(p, ports, e.get("port"), spath + ".port"))
                        .orElse(null), vtep.orElse(null)));
            }
            Integer macLimit = d.containsKey("mac-limit") ? r.integer(d, "mac-limit", path, 1, 1, 1_000_000) : null;
            Integer aging = d.containsKey("aging-seconds") ? r.integer(d, "aging-seconds", path, 300, 10, 86_400) : null;
            Boolean arp = d.containsKey("arp-suppression") ? r.bool(d, "arp-suppression", path, true) : null;
            Boolean learnVteps = d.containsKey("learn-vteps") ? r.bool(d, "learn-vteps", path, false) : null;
            Integer maxLearned = d.containsKey("max-learned-vteps")
                    ? r.integer(d, "max-learned-vteps", path,
                    BridgeDomainConfig.DEFAULT_MAX_LEARNED_VTEPS, 1, BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT) : null;
            domains.add(new BridgeDomainView(vni, r.string(d, "name", path, ""), accessPorts, vteps, statics,
                    macLimit, aging, arp, learnVteps, maxLearned, null));
        }
        return new VswitchSection(underlay, domains);
    }

    UnderlayView underlay(Node node, List<AppliancePort> ports) {
        String path = "vswitch.underlay";
        Map<String, Node> u = r.mapping(node, path, YamlReader.keys("port", "mac", "ipv4", "ipv4-gateway", "ipv6",
                "ipv6-gateway", "udp-port", "mtu"));
        String port = r.requiredString(u, "port", path, node);
        if (!port.isEmpty() && ports.stream().noneMatch(p -> p.name().equals(port))) {
            r.problem(u.get("port"), path + ".port", "no port named '" + port + "'");
        }
        String mac = r.optionalString(u, "mac", path).map(t -> mac(t, u.get("mac"), path + ".mac")).orElse(null);
        String ipv4 = r.optionalString(u, "ipv4", path).orElse(null);
        String ipv6 = r.optionalString(u, "ipv6", path).orElse(null);
        if (ipv4 == null && ipv6 == null) {
            r.problem(node, path, "needs ipv4 or ipv6 (the VTEP's own address with its prefix length)");
        }
        if (ipv4 != null) {
            prefix(ipv4, false, u.get("ipv4"), path + ".ipv4");
        }
        if (ipv6 != null) {
            prefix(ipv6, true, u.get("ipv6"), path + ".ipv6");
        }
        String gw4 = r.optionalString(u, "ipv4-gateway", path).orElse(null);
        String gw6 = r.optionalString(u, "ipv6-gateway", path).orElse(null);
        if (gw4 != null) {
            address(gw4, u.get("ipv4-gateway"), path + ".ipv4-gateway");
        }
        if (gw6 != null) {
            address(gw6, u.get("ipv6-gateway"), path + ".ipv6-gateway");
        }
        Integer udpPort = u.containsKey("udp-port") ? r.integer(u, "udp-port", path, 4789, 1, 65535) : null;
        Integer mtu = u.containsKey("mtu") ? r.integer(u, "mtu", path, 1500, 576, 9216) : null;
        return new UnderlayView(port, mac, ipv4, gw4, ipv6, gw6, udpPort, mtu);
    }

    /** {@code tap0} (untagged) or {@code tap0.10} (VLAN 10 on it). */
    PortRef portRef(String text, List<AppliancePort> ports, Node at, String path) {
        int dot = text.lastIndexOf('.');
        String name = dot < 0 ? text : text.substring(0, dot);
        int vlan = 0;
        if (dot >= 0) {
            try {
                vlan = Integer.parseInt(text.substring(dot + 1));
            } catch (NumberFormatException e) {
                vlan = -1;
            }
            if (vlan < 1 || vlan > 4094) {
                r.problem(at, path, "'" + text + "': the VLAN after the dot must be 1..4094");
                return null;
            }
        }
        if (ports.stream().noneMatch(p -> p.name().equals(name))) {
            r.problem(at, path, "no port named '" + name + "'");
            return null;
        }
        return new PortRef(name, vlan);
    }

    String mac(String text, Node at, String path) {
        if (!text.matches(StaticEntryView.MAC)) {
            r.problem(at, path, "'" + text + "' is not a MAC address like 02:00:00:00:00:01");
        }
        return text;
    }

    void address(String text, Node at, String path) {
        try {
            IpPrefix.parseAddress(text);
        } catch (IllegalArgumentException e) {
            r.problem(at, path, e.getMessage());
        }
    }

    void prefix(String text, boolean ipv6, Node at, String path) {
        try {
            if (IpPrefix.parse(text).isIpv6() != ipv6) {
                r.problem(at, path, "'" + text + "' is not an " + (ipv6 ? "IPv6" : "IPv4") + " prefix");
            }
        } catch (IllegalArgumentException e) {
            r.problem(at, path, e.getMessage());
        }
    }
}
