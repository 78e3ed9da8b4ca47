package dev.isthmus.dns.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.zone.ZoneParseException;

/**
 * Arbitrary text as a zone: the parser either loads it or reports {@link ZoneParseException}; and a zone that
 * loads can be precomputed into answers. Any other exception is a bug.
 */
class ZoneFuzzTest {
    private static final String HEAD = "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\n";

    @FuzzTest(maxDuration = "", maxExecutions = 30_000)
    void zoneTextLoadsOrReportsErrors(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        ZoneCatalog catalog = new ZoneCatalog();
        try {
            catalog.replace("example.test", text);
        } catch (ZoneParseException expected) {
            // bad zone, reported with file:line
        }
        try {
            catalog.replace("example.test", HEAD + text);
        } catch (ZoneParseException expected) {
            // bad zone, reported with file:line
        }
    }
}
