package dev.isthmus.nativebindings.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Finds package cycles in a module's compiled classes: the JDK's {@code jdeps -verbose:package} lists which package
 * uses which, and every strongly connected component of more than one package (Tarjan's algorithm) is a cycle. Each
 * module's {@code PackageCyclesTest} asserts there is none, so that a cycle once broken does not come back.
 */
public final class PackageCycles {

    /** A jdeps line: {@code   dev.isthmus.a   ->  dev.isthmus.b   classes}. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    private PackageCycles() {
    }

    /**
     * @param classes a module's {@code target/classes}
     * @return each cycle as its packages (sorted) with the edges between them, e.g.
     *         {@code [a, b]: a -> b, b -> a}; empty when the packages form a DAG
     */
    public static List<String> in(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException(classes + " is not a directory of classes (compile first)");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps tool"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                "--ignore-missing-deps", classes.toString());
        if (code != 0) {
            throw new IllegalStateException("jdeps failed (" + code + "): " + err);
        }
        return cycles(graph(out.toString()));
    }

    /** Package to the packages it uses, from jdeps' output; only packages that have classes here (not the JDK's). */
    static Map<String, Set<String>> graph(String jdepsOutput) {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : jdepsOutput.split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                edges.add(new String[] {m.group(1), m.group(2)});
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            }
        }
        for (String[] edge : edges) {
            if (!edge[0].equals(edge[1]) && uses.containsKey(edge[1])) {
                uses.get(edge[0]).add(edge[1]);
            }
        }
        return uses;
    }

    /** The strongly connected components of more than one node, each with its internal edges. */
    public static List<String> cycles(Map<String, Set<String>> uses) {
        Tarjan t = new Tarjan(uses);
        for (String node : uses.keySet()) {
            if (!t.index.containsKey(node)) {
                t.visit(node);
            }
        }
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : t.components) {
            List<String> edges = new ArrayList<>();
            for (String from : component) {
                for (String to : uses.getOrDefault(from, Set.of())) {
                    if (component.contains(to)) {
                        edges.add(from + " -> " + to);
                    }
                }
            }
            cycles.add(component + ": " + String.join(", ", edges));
        }
        return cycles;
    }

    /** Tarjan's strongly connected components (recursive: package graphs are small). */
    private static final class Tarjan {
        final Map<String, Set<String>> uses;
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new HashSet<>();
        final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> uses) {
            this.uses = uses;
        }

        void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : uses.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    components.add(component);
                }
            }
        }
    }
}
