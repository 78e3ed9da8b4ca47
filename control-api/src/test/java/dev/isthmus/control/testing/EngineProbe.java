package dev.isthmus.control.testing;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Asks the DNS engine one question, the way a transport does, to check what the served zones answer: builds an
 * RFC 1035 §4.1 query, lets {@link QueryEngine} answer it in place and decodes the header of the response.
 */
public final class EngineProbe {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private EngineProbe() {
    }

    /**
     * The parts of a response header a test checks.
     *
     * @param rcode the response code (RFC 1035 §4.1.1)
     * @param answers ANCOUNT
     * @param authoritative the AA bit
     */
    public record Answer(int rcode, int answers, boolean authoritative) {
    }

    /** Asks {@code catalog} for {@code name} of type {@code qtype} (1 = A, 28 = AAAA) over UDP without EDNS. */
    public static Answer ask(ZoneCatalog catalog, String name, int qtype) {
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        query.writeBytes(new byte[] {0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // ID, no RD, QDCOUNT 1
        for (String label : name.split("\\.")) {
            query.write(label.length());
            query.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        query.write(0);
        query.writeBytes(new byte[] {(byte) (qtype >> 8), (byte) qtype, 0, 1}); // QTYPE, QCLASS IN
        byte[] bytes = query.toByteArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            int length = new QueryEngine(catalog).answer(buf, 0, bytes.length, 4096, QueryEngine.CLASSIC_UDP_SIZE);
            if (length < 12) {
                throw new AssertionError("the engine gave no response (" + length + ")");
            }
            int flags = Short.toUnsignedInt(buf.get(U16, 2));
            return new Answer(flags & 0xF, Short.toUnsignedInt(buf.get(U16, 6)), (flags & 0x0400) != 0);
        }
    }
}
