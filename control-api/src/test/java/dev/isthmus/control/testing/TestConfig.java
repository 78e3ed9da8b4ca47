package dev.isthmus.control.testing;

import dev.isthmus.control.appliance.Appliance;
import dev.isthmus.control.appliance.ApplianceFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real appliance configuration file for a {@code @MicronautTest}: written to a fresh directory with the journal
 * beside it, and the properties that point the application context at it with the HTTP server on a free port.
 */
public final class TestConfig implements AutoCloseable {

    private final Path directory;
    private final Path file;

    private TestConfig(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /** Writes {@code yaml} (its relative paths resolve against the new directory) and a journal directory. */
    public static TestConfig write(String yaml) {
        try {
            Path directory = Files.createTempDirectory("isthmus-control-test");
            Path file = directory.resolve("isthmus.yml");
            Files.writeString(file, yaml + "\njournal:\n  directory: journal\n");
            return new TestConfig(directory, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the properties a {@code TestPropertyProvider} hands to Micronaut for a control plane without the
     *         data plane (no EAL, no root needed)
     */
    public Map<String, String> properties() {
        return Map.of(ApplianceFactory.CONFIG_PROPERTY, file.toString(), "micronaut.server.port", "-1",
                Appliance.DATAPLANE_ENABLED, "false");
    }

    /** @return the properties for an appliance with its data plane running */
    public Map<String, String> propertiesWithDataplane() {
        return Map.of(ApplianceFactory.CONFIG_PROPERTY, file.toString(), "micronaut.server.port", "-1",
                Appliance.DATAPLANE_ENABLED, "true");
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
