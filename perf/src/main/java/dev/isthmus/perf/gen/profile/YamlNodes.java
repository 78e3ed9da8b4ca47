package dev.isthmus.perf.gen.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads values out of a composed YAML node tree and collects every problem with file, line and key path
 * ({@code gen.yml:12: ports[0].streams[1].rate: ...}), the way the appliance's configuration loader does
 * ({@code control-api}'s {@code YamlReader}). Never throws for bad input: the loader asks {@link #problems()} at the
 * end, so one run reports everything wrong with the file.
 */
final class YamlNodes {

    private final String source;
    private final List<String> problems = new ArrayList<>();

    YamlNodes(String source) {
        this.source = source;
    }

    List<String> problems() {
        return problems;
    }

    void problem(Node at, String path, String message) {
        int line = at == null ? 0 : at.getStartMark().getLine() + 1;
        problems.add(source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    /** The entries of a mapping by key, in file order; reports non-mappings, duplicate and unknown keys. */
    Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, "must be a mapping (key: value lines)");
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problem(tuple.getKeyNode(), path, "keys must be plain words");
                continue;
            }
            String key = keyNode.getValue();
            String keyPath = join(path, key);
            if (!allowed.contains(key)) {
                problem(keyNode, keyPath, "unknown key (expected one of " + String.join(", ", allowed) + ")");
            } else if (entries.putIfAbsent(key, tuple.getValueNode()) != null) {
                problem(keyNode, keyPath, "given twice");
            }
        }
        return entries;
    }

    Optional<String> optionalString(Map<String, Node> entries, String key, String path) {
        Node node = entries.get(key);
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, join(path, key), "must be a single value");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue().strip());
    }

    String requiredString(Map<String, Node> entries, String key, String path, Node parent) {
        Optional<String> value = optionalString(entries, key, path);
        if (value.isEmpty() || value.get().isEmpty()) {
            problem(entries.getOrDefault(key, parent), join(path, key), "is required");
            return "";
        }
        return value.get();
    }

    long number(Map<String, Node> entries, String key, String path, long defaultValue, long min, long max) {
        Optional<String> text = optionalString(entries, key, path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value < min || value > max) {
                problem(entries.get(key), join(path, key), "must be between " + min + " and " + max + ", not " + value);
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(entries.get(key), join(path, key), "must be a whole number, not '" + text.get() + "'");
            return defaultValue;
        }
    }

    boolean bool(Map<String, Node> entries, String key, String path, boolean defaultValue) {
        Optional<String> text = optionalString(entries, key, path);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(entries.get(key), join(path, key), "must be true or false, not '" + text.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** The items of a list; empty when absent. */
    List<Node> sequence(Map<String, Node> entries, String key, String path) {
        Node node = entries.get(key);
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            problem(node, join(path, key), "must be a list");
            return List.of();
        }
        return sequence.getValue();
    }

    List<String> strings(Map<String, Node> entries, String key, String path) {
        List<String> values = new ArrayList<>();
        List<Node> items = sequence(entries, key, path);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ScalarNode scalar) {
                values.add(scalar.getValue().strip());
            } else {
                problem(items.get(i), join(path, key) + "[" + i + "]", "must be a single value");
            }
        }
        return values;
    }

    static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }
}
