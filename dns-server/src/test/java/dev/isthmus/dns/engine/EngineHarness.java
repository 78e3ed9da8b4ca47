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

    /** @return the raw response, or null when dropped */
    byte[] raw(byte[] query, int transportLimit) {
        System.arraycopy(query, 0, buffer, 0, query.length);
        int n = engine.answer(MemorySegment.ofArray(buffer), 0, query.length, buffer.length, transportLimit);
        lastLength = n;
        return n < 0 ? null : Arrays.copyOf(buffer, n);
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
