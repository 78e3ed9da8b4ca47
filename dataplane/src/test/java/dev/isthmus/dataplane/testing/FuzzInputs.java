package dev.isthmus.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks on the committed fuzz inputs (Jazzer's {@code <Class>Inputs/<method>/} resource directories) that keep the
 * deterministic fuzz run the same on every machine: libFuzzer shuffles its seeds with the fixed seed and then sorts
 * them by size, and seeds of equal size keep the order the directory listing gave, which depends on the file
 * system. So within one target no two inputs may have the same size.
 */
public final class FuzzInputs {
    private FuzzInputs() {
    }

    /**
     * @param testResources a module's {@code src/test/resources}
     * @return one line per pair of same-size inputs of a target (empty when there is none), and the number of
     *     input directories looked at as the last element
     */
    public static List<String> sameSizeInputs(Path testResources) {
        List<String> problems = new ArrayList<>();
        int directories = 0;
        try (Stream<Path> all = Files.walk(testResources)) {
            for (Path dir : all.filter(Files::isDirectory)
                    .filter(d -> d.getParent() != null && d.getParent().getFileName().toString().endsWith("Inputs"))
                    .sorted().toList()) {
                directories++;
                Map<Long, Path> bySize = new HashMap<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        Path other = bySize.putIfAbsent(Files.size(f), f);
                        if (other != null) {
                            problems.add(other + " and " + f.getFileName() + " are both " + Files.size(f)
                                    + " bytes: change one by a byte (e.g. a trailing newline)");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        problems.add(Integer.toString(directories));
        return problems;
    }
}
