package dev.isthmus.control.config;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks a configuration whose sections each read well the way the appliance will check it at start: it builds the
 * data plane's configuration ({@link DataplanePlan}, whose records validate the combination: descriptors against
 * mbufs, PCI ports without hugepages, unicast addresses, queue references), and reports what it refuses with the
 * line of the section or port it concerns, in the data plane's words. So the file check and the start can never
 * disagree: what this passes, {@code Dataplane.start} takes.
 */
final class StartChecks {

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
