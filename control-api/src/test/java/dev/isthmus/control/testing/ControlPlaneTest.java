package dev.isthmus.control.testing;

import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the {@code @MicronautTest} classes that run the control plane without the data plane: writes the
 * subclass's configuration to a fresh directory (journal beside it) before the application context starts, points
 * the context at it with the HTTP server on a free port, and removes the files after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ControlPlaneTest implements TestPropertyProvider {

    private TestConfig config;

    /** @return the appliance configuration (YAML, without the journal section) this class runs */
    protected abstract String configuration();

    @Override
    public Map<String, String> getProperties() {
        config = TestConfig.write(configuration());
        return config.properties();
    }

    @AfterAll
    void removeFiles() {
        if (config != null) {
            config.close();
        }
    }
}
