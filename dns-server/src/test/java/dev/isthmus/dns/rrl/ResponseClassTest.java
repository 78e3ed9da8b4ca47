package dev.isthmus.dns.rrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Classifies the engine's own responses for the sample zone, as the data plane would. */
class ResponseClassTest {

    private static final Arena ARENA = Arena.ofShared();
    private static QueryEngine engine;
    private final MemorySegment buffer = ARENA.allocate(4096);
    private final ResponseClass c = new ResponseClass();

    @BeforeAll
    static void load() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        try (InputStream in = ResponseClassTest.class.getResourceAsStream("/zones/example.test.zone")) {
            catalog.replace("example.test", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        engine = new QueryEngine(catalog);
    }

    @AfterAll
    static void free() {
        ARENA.close();
    }

    private ResponseClass classify(String name, int type) {
        byte[] q = new MessageWriter(7, Header.FLAG_RD).question(DnsName.of(name), type, 1).toByteArray();
        MemorySegment.copy(q, 0, buffer, ValueLayout.JAVA_BYTE, 0, q.length);
        int n = engine.answer(buffer, 0, q.length, 4096, 512);
        ResponseClass r = c.classify(buffer.address(), n);
        assertNotNull(r, name + " classifies");
        return r;
    }

    @Test
    void answersAndNodataAreAccountedToTheQueryNameInAnyCase() {
        ResponseClass a = classify("www.example.test", RecordType.A);
        assertEquals(ResponseClass.ANSWER, a.kind());
        int www = a.nameHash();
        assertEquals(www, classify("WwW.Example.TEST", RecordType.AAAA).nameHash());
        assertNotEquals(www, classify("mail.example.test", RecordType.A).nameHash());
        ResponseClass nodata = classify("www.example.test", RecordType.MX);
        assertEquals(ResponseClass.NODATA, nodata.kind());
        assertEquals(www, nodata.nameHash());
    }

    @Test
    void nxdomainIsAccountedToTheZoneWhateverTheName() {
        ResponseClass a = classify("random1.example.test", RecordType.A);
        assertEquals(ResponseClass.NXDOMAIN, a.kind());
        int zone = a.nameHash();
        assertEquals(zone, classify("other.random2.example.test", RecordType.AAAA).nameHash());
        assertEquals(hashOf("example.test"), zone);
    }

    @Test
    void referralsAreAccountedToTheDelegation() {
        ResponseClass a = classify("host.child.example.test", RecordType.A);
        assertEquals(ResponseClass.REFERRAL, a.kind());
        assertEquals(hashOf("child.example.test"), a.nameHash());
        assertEquals(a.nameHash(), classify("other.child.example.test", RecordType.A).nameHash());
    }

    @Test
    void errorsShareOneEntryAndTheQuestionLengthIsKept() {
        ResponseClass a = classify("www.example.net", RecordType.A); // REFUSED: no served zone
        assertEquals(ResponseClass.ERROR, a.kind());
        assertEquals(0, a.nameHash());
        assertEquals(Header.LENGTH + DnsName.of("www.example.net").wireLength() + 4, a.questionLength());
    }

    private int hashOf(String name) {
        byte[] wire = new MessageWriter(0, 0).question(DnsName.of(name), 1, 1).toByteArray();
        MemorySegment.copy(wire, 0, buffer, ValueLayout.JAVA_BYTE, 0, wire.length);
        return ResponseClass.hashName(buffer.address(), buffer.address() + Header.LENGTH,
                buffer.address() + wire.length);
    }
}
