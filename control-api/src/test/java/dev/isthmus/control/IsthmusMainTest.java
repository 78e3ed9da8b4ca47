package dev.isthmus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.control.config.ConfigLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IsthmusMainTest {

    @Test
    void withoutArgumentsItRunsTheEmbeddedDefault() {
        assertEquals(Optional.of(ConfigLoader.EMBEDDED_DEFAULT), IsthmusMain.parseArguments(new String[0]));
    }

    @Test
    void configNamesTheFile() {
        assertEquals(Optional.of("/etc/isthmus/isthmus.yml"),
                IsthmusMain.parseArguments(new String[] {"--config", "/etc/isthmus/isthmus.yml"}));
        assertEquals(Optional.of("a.yml"), IsthmusMain.parseArguments(new String[] {"--config=a.yml"}));
        assertEquals(Optional.empty(), IsthmusMain.parseArguments(new String[] {"--help"}));
    }

    @Test
    void unknownOrIncompleteArgumentsAreRefused() {
        assertEquals("--config needs a file",
                assertThrows(IllegalArgumentException.class, () -> IsthmusMain.parseArguments(new String[] {"--config"})).getMessage());
        assertEquals("unknown argument '--port'",
                assertThrows(IllegalArgumentException.class, () -> IsthmusMain.parseArguments(new String[] {"--port", "1"})).getMessage());
    }
}
