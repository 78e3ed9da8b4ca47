package dev.isthmus.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.nativebindings.testing.PackageCycles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dataplane's packages use each other without a cycle (jdeps on the compiled classes), so layers stay layers. */
class PackageCyclesTest {

    @Test
    void noPackageCycle() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes")));
    }
}
