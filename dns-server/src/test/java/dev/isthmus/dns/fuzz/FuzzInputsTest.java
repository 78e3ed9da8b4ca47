package dev.isthmus.dns.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.FuzzInputs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed fuzz inputs of this module keep the deterministic fuzz run machine-independent. */
class FuzzInputsTest {
    @Test
    void noTwoInputsOfATargetHaveTheSameSize() {
        List<String> found = FuzzInputs.sameSizeInputs(Path.of("src/test/resources"));
        assertTrue(Integer.parseInt(found.getLast()) >= 3, "input directories found: " + found.getLast());
        assertEquals(List.of(), found.subList(0, found.size() - 1));
    }
}
