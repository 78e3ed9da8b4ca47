package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.WireFormatException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** Sends wire queries through a {@link QueryEngine} in a heap buffer and decodes the answers. */
final class EngineHarness {
    final ZoneCatalog catalog = new ZoneCatalog();
    final QueryEngine engine;

    /** A harness whose engine gives minimal responses (the default). */
    EngineHarness() {
        this(true);
    }

    EngineHarness(boolean minimalResponses) {
        engine = new QueryEngine(catalog, minimalResponses);
        wholeEngine = new QueryEngine(catalog, minimalResponses);
    }
    final byte[] buffer = new byte[65535];
    int lastLength;

    static byte[] query(String name, int type, boolean edns, boolean dnssecOk, int payload) {
        MessageWriter w = new MessageWriter(0x1234, Header.FLAG_RD).question(DnsName.of(name), type, 1);
        if (edns) {
            w.opt(payload, 0, 0, dnssecOk, new byte[0]);
        }
        return w.toByteArray();
    }

    /** Responses whose {@link QueryEngine#lastSum} {@link #raw} checked against a pass over their octets. */
    long sumsChecked;
    /** Queries whose {@link QueryEngine#lastQuerySum} {@link #raw} checked against a pass over their octets. */
    long querySumsChecked;
    /** A second engine over the same zones (the first one's statistics stay its own): asked for queries read whole. */
    private final QueryEngine wholeEngine;
    /** The buffer {@link #raw} answers in first, asking for a query read whole. */
    private final byte[] whole = new byte[65535];

    /**
     * @return the raw response, or null when dropped; where the engine gave the response's sum
     *     ({@link QueryEngine#lastSum}) it must be {@link #referenceSum} of the octets after the ID (AssertionError)
     */
    byte[] raw(byte[] query, int transportLimit) {
        // First as a datagram transport that verifies the query's checksum from the parse: the sum of what it read,
        // or nothing written when it did not read the query whole; then as every other caller.
        System.arraycopy(query, 0, whole, 0, query.length);
        int w = wholeEngine.answer(MemorySegment.ofArray(whole), 0, query.length, whole.length, transportLimit, true);
        int querySum = wholeEngine.lastQuerySum();
        if (w == QueryEngine.UNREAD) {
            if (querySum != QueryEngine.NO_SUM || !Arrays.equals(whole, 0, query.length, query, 0, query.length)) {
                throw new AssertionError("a query not read whole was written over or summed: "
                    + java.util.HexFormat.of().formatHex(query));
            }
        } else if (querySum != QueryEngine.NO_SUM) {
            int reference = referenceSum(query, 2, query.length - 2);
            if (querySum % 0xFFFF != reference % 0xFFFF) {
                throw new AssertionError(String.format("engine's query sum %04x, a pass over the query %04x: %s",
                    querySum, reference, java.util.HexFormat.of().formatHex(query)));
            }
            querySumsChecked++;
        }
        System.arraycopy(query, 0, buffer, 0, query.length);
        int n = engine.answer(MemorySegment.ofArray(buffer), 0, query.length, buffer.length, transportLimit);
        if (w != QueryEngine.UNREAD && (w != n || n >= 0 && !Arrays.equals(whole, 0, n, buffer, 0, n))) {
            throw new AssertionError("answered differently when read whole: "
                + java.util.HexFormat.of().formatHex(query));
        }
        lastLength = n;
        int sum = engine.lastSum();
        if (n >= 0 && sum != QueryEngine.NO_SUM) {
            int reference = referenceSum(buffer, 2, n - 2);
            // Ones' complement: 0 and 0xFFFF are the same number.
            if (sum % 0xFFFF != reference % 0xFFFF) {
                throw new AssertionError(String.format("engine's sum %04x, a pass over the response %04x: %s", sum,
                    reference, java.util.HexFormat.of().formatHex(buffer, 0, n)));
            }
            sumsChecked++;
        }
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    /**
     * RFC 1071's definition, 16 bits at a time (a last odd octet the high one of a word, RFC 768), folded with
     * end-around carry: what the engine's sum must equal.
     */
    static int referenceSum(byte[] b, int from, int length) {
        long sum = 0;
        for (int k = 0; k < length; k += 2) {
            sum += ((b[from + k] & 0xFF) << 8) | (k + 1 < length ? b[from + k + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    Message ask(byte[] query, int transportLimit) {
        byte[] r = raw(query, transportLimit);
        if (r == null) {
            return null;
        }
        try {
            return MessageReader.read(r);
        } catch (WireFormatException e) {
            throw new AssertionError("engine wrote an unreadable response: " + e.getMessage(), e);
        }
    }

    Message ask(String name, int type) {
        return ask(query(name, type, false, false, 0), 512);
    }

    Message askEdns(String name, int type, boolean dnssecOk) {
        return ask(query(name, type, true, dnssecOk, 4096), 1232);
    }
}
