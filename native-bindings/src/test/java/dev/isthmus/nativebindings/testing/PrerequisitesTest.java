package dev.isthmus.nativebindings.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The decision {@link Prerequisites} makes, on given inputs rather than on this machine's. */
class PrerequisitesTest {

    @Test
    void aMissingPrerequisiteFailsInCiAndSkipsElsewhereSayingWhy() {
        Optional<String> problem = Prerequisites.rootProblem(1000, "TAP devices");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Prerequisites.enforce(problem, true));
        assertTrue(failure.getMessage().contains("needs root (effective uid 0) for TAP devices; effective uid is 1000"),
                failure.getMessage());
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> Prerequisites.enforce(problem, false));
        assertTrue(skip.getMessage().contains("needs root (effective uid 0) for TAP devices"), skip.getMessage());
    }

    @Test
    void aMetPrerequisiteLetsTheTestRunInCiAndElsewhere() {
        assertEquals(Optional.empty(), Prerequisites.rootProblem(0, "TAP devices"));
        assertDoesNotThrow(() -> Prerequisites.enforce(Optional.empty(), true));
        assertDoesNotThrow(() -> Prerequisites.enforce(Optional.empty(), false));
    }

    @Test
    void anUnknownUidIsNotRoot() {
        assertEquals(Optional.of("needs root (effective uid 0) for namespaces; effective uid is unknown"),
                Prerequisites.rootProblem(-1, "namespaces"));
    }

    @Test
    void rootIsTheEffectiveUidNotTheRealOne() {
        // A set-uid-root program run by uid 1000: real 1000, effective 0.
        assertEquals(Optional.of(0L), Prerequisites.effectiveUidFromStatus(
                "Name:\tjava\nUmask:\t0022\nState:\tR (running)\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n"));
        // Root that dropped its effective uid: real 0, effective 65534.
        assertEquals(Optional.of(65534L), Prerequisites.effectiveUidFromStatus("Uid:\t0\t65534\t0\t65534\n"));
        assertEquals(Optional.empty(), Prerequisites.effectiveUidFromStatus("Name:\tjava\n"));
        assertEquals(Optional.empty(), Prerequisites.effectiveUidFromStatus("Uid:\tx\ty\n"));
    }

    @Test
    void thisProcessHasAnEffectiveUid() {
        assertTrue(Prerequisites.effectiveUid() >= 0, "read from /proc/self/status or id -u");
    }

    @Test
    void ciIsTrueOrOne() {
        assertTrue(Prerequisites.isCi("true"));
        assertTrue(Prerequisites.isCi("TRUE"));
        assertTrue(Prerequisites.isCi("1"));
        assertFalse(Prerequisites.isCi(null));
        assertFalse(Prerequisites.isCi(""));
        assertFalse(Prerequisites.isCi("false"));
        assertFalse(Prerequisites.isCi("0"));
    }

    @Test
    void programsAreFoundInPathAndSbinOnlyWhenExecutable(@TempDir Path dir) throws IOException {
        Path tool = Files.writeString(dir.resolve("isthmus-test-tool"), "#!/bin/sh\n");
        assertEquals(Optional.empty(), Prerequisites.findProgram("isthmus-test-tool", dir.toString()),
                "not executable");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.of(tool), Prerequisites.findProgram("isthmus-test-tool", "/nonexistent:" + dir));
        assertEquals(Optional.empty(), Prerequisites.findProgram("isthmus-no-such-tool", dir.toString()));
        Files.createDirectory(dir.resolve("a-directory"));
        assertEquals(Optional.empty(), Prerequisites.findProgram("a-directory", dir.toString()));
    }
}
