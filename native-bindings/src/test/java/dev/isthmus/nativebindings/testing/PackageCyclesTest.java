package dev.isthmus.nativebindings.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cycle finder itself, and native-bindings' own packages. */
class PackageCyclesTest {

    @Test
    void findsACycleAndItsEdges() {
        Map<String, Set<String>> uses = Map.of(
                "a", Set.of("b"),
                "b", Set.of("c"),
                "c", Set.of("a", "d"),
                "d", Set.of());
        assertEquals(List.of("[a, b, c]: a -> b, b -> c, c -> a"), PackageCycles.cycles(uses));
    }

    @Test
    void aDagHasNone() {
        assertEquals(List.of(), PackageCycles.cycles(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of())));
    }

    @Test
    void readsJdepsLinesAndKeepsOnlyThisModulesPackages() {
        String jdeps = """
                classes -> java.base
                   p.one                 -> java.lang              java.base
                   p.one                 -> p.two                  classes
                   p.two                 -> p.one                  classes
                   p.two                 -> p.two                  classes
                """;
        assertEquals(Map.of("p.one", Set.of("p.two"), "p.two", Set.of("p.one")), PackageCycles.graph(jdeps));
    }

    @Test
    void nativeBindingsHasNoPackageCycle() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes")));
    }
}
