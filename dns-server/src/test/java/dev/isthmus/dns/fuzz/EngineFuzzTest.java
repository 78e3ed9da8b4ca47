package dev.isthmus.dns.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.WireFormatException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hostile bytes against the query engine: it never throws, and whatever it sends back is a well-formed response
 * that fits the transport's limit.
 * Runs its seeds in every build and fuzzes for a bounded time in the {@code fuzz} surefire execution.
 */
class EngineFuzzTest {
    private static final ZoneCatalog CATALOG = new ZoneCatalog();
    private static final QueryEngine ENGINE = new QueryEngine(CATALOG);
    private static final byte[] BUFFER = new byte[65535];

    static {
        try (InputStream in = EngineFuzzTest.class.getResourceAsStream("/zones/example.test.zone")) {
            CATALOG.replace("example.test", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "", maxExecutions = 300_000)
    void engineAnswersOrDropsAnythingSafely(byte[] data) throws WireFormatException {
        if (data.length > BUFFER.length) {
            return;
        }
        Arrays.fill(BUFFER, (byte) 0);
        System.arraycopy(data, 0, BUFFER, 0, data.length);
        for (int limit : new int[] {512, QueryEngine.STREAM}) {
            System.arraycopy(data, 0, BUFFER, 0, data.length);
            int n = ENGINE.answer(MemorySegment.ofArray(BUFFER), 0, data.length, BUFFER.length, limit);
            if (n == QueryEngine.DROP) {
                continue;
            }
            assertTrue(n >= Header.LENGTH && n <= (limit == 512 ? 512 : 65535), "length " + n);
            Message m = MessageReader.read(BUFFER, 0, n);
            assertTrue(m.flag(Header.FLAG_QR));
        }
    }
}
