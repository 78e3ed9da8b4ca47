package dev.isthmus.control.config;

import java.nio.file.Path;

/**
 * The Chronicle Queue journal of configuration changes and events.
 *
 * @param directory where the queue files live
 * @param restore whether zones and bridge domains changed over REST are restored from the journal at start
 *                (see {@code docs/CONTROL-API.md}, "Journal")
 */
public record JournalConfig(Path directory, boolean restore) {
}
