package dev.isthmus.control.config;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.control.VswitchControl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks a configuration whose sections each read well the way the appliance will check it at start: it builds the
 * data plane's configuration ({@link DataplanePlan}, whose records validate the combination: descriptors against
 * mbufs, PCI ports without hugepages, unicast addresses, queue references) and applies the vswitch section to a
 * vswitch of its own (underlay, then bridge domains, as the appliance does: a port in two domains, a VTEP of a family
 * the underlay lacks...), and reports what they refuse with the line of the section, port or bridge domain it
 * concerns, in their words. So the file check and the start do not disagree: what this passes, the start takes.
 */
final class StartChecks {

    /** How the vswitch writes an access port ({@code AccessPort.toString()}: {@code port 1 vlan 10}). */
    private static final Pattern PORT_NUMBER = Pattern.compile("\\bport (\\d+)\\b");
    /** Stands in for the underlay's MAC when the file leaves it to the port's (known once the port runs). */
    private static final String PORT_MAC = "02:00:00:00:00:01";
    /** Stands in for the exception path's veth, whose real name the appliance derives at start. */
    private static final String EXCEPTION_INTERFACE = "isthmus-exc0";

    private final YamlReader r;
    private final Map<String, Node> top;
    private final Node root;

    StartChecks(YamlReader r, Map<String, Node> top, Node root) {
        this.r = r;
        this.top = top;
        this.root = root;
    }

    void check(ApplianceConfig config) {
        try {
            DataplanePlan.of(config, ConfigLoader.exceptionPort(config.dns()) ? EXCEPTION_INTERFACE : null);
        } catch (IllegalArgumentException e) {
            refused(config, e.getMessage());
        }
        vswitch(config);
    }

    /** Applies the vswitch section as {@code VswitchService.configure} does at start, to a vswitch of its own. */
    private void vswitch(ApplianceConfig config) {
        VswitchSection section = config.vswitch();
        if (section.underlay() == null && section.bridgeDomains().isEmpty()) {
            return;
        }
        List<String> names = config.ports().stream().map(AppliancePort::name).toList();
        ToIntFunction<String> portId = name -> {
            int id = names.indexOf(name);
            if (id < 0) {
                throw new RejectedException("no port named '" + name + "'", List.of());
            }
            return id;
        };
        VswitchControl vswitch = new VswitchControl();
        Node node = section("vswitch");
        if (section.underlay() != null) {
            try {
                vswitch.setUnderlay(VswitchViews.underlay(section.underlay(), portId, port -> Optional.of(PORT_MAC)));
            } catch (RejectedException | VswitchConfigException | IllegalArgumentException e) {
                r.problem(value(node, "underlay"), "vswitch.underlay", reason(e, names));
            }
        }
        List<dev.isthmus.control.vswitch.view.BridgeDomainView> domains = section.bridgeDomains();
        for (int i = 0; i < domains.size(); i++) {
            try {
                vswitch.createBridgeDomain(VswitchViews.bridgeDomain(domains.get(i), portId));
            } catch (RejectedException | VswitchConfigException | IllegalArgumentException e) {
                r.problem(item(value(node, "bridge-domains"), i), "vswitch.bridge-domains[" + i + "]", reason(e, names));
            }
        }
    }

    /** The vswitch's reason with its ports named as the file names them, as the REST API's refusals do. */
    private static String reason(RuntimeException e, List<String> names) {
        String reason = e instanceof RejectedException rejected && !rejected.problems().isEmpty()
                ? String.join("; ", rejected.problems()) : e.getMessage();
        return PORT_NUMBER.matcher(reason).replaceAll(m -> {
            int id = Integer.parseInt(m.group(1));
            return "port " + (id < names.size() ? names.get(id) : id);
        });
    }

    /** Reports the data plane's refusal at what it names: a port (and its field), the mempool, EAL or the lcores. */
    private void refused(ApplianceConfig config, String message) {
        if (message.startsWith("port ")) {
            String name = message.substring(5, Math.max(5, message.indexOf(':')));
            List<AppliancePort> ports = config.ports();
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).name().equals(name)) {
                    Node item = item(top.get("ports"), i);
                    String field = fieldNamed(message.substring(message.indexOf(':') + 1));
                    Node at = field == null ? item : value(item, field);
                    r.problem(at, "ports[" + i + "]" + (field == null ? "" : "." + field), message);
                    return;
                }
            }
            r.problem(section("dns"), "dns.exception-path", message); // the exception path's own port
        } else if (message.startsWith("mempool:")) {
            r.problem(value(section("mempool"), "mbufs"), "mempool.mbufs", unprefixed(message));
        } else if (message.startsWith("eal:")) {
            r.problem(section("eal"), "eal", unprefixed(message));
        } else if (message.startsWith("lcore")) {
            r.problem(section("lcores"), "lcores", message);
        } else {
            r.problem(section("ports"), "ports", unprefixed(message));
        }
    }

    /** The data plane's message without its own section prefix ({@code "mempool: "}), which the path already says. */
    private static String unprefixed(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 && message.substring(0, colon).matches("[a-z]+") ? message.substring(colon + 2) : message;
    }

    /** The port field a data-plane message is about, or null. */
    private static String fieldNamed(String message) {
        for (String field : List.of("device", "devargs", "mtu", "name")) {
            if (message.contains(field)) {
                return field;
            }
        }
        return message.contains("address") ? "addresses" : null;
    }

    private Node section(String key) {
        Node node = top.get(key);
        return node == null ? root : node;
    }

    private static Node item(Node sequence, int i) {
        return sequence instanceof SequenceNode s && i < s.getValue().size() ? s.getValue().get(i) : sequence;
    }

    /** The value of {@code key} in a mapping node, or the mapping itself when the key is absent. */
    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return mapping;
    }
}
