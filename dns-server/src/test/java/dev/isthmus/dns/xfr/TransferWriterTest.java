package dev.isthmus.dns.xfr;

import static dev.isthmus.dns.xfr.TransferTestSupport.answers;
import static dev.isthmus.dns.xfr.TransferTestSupport.lengths;
import static dev.isthmus.dns.xfr.TransferTestSupport.messages;
import static dev.isthmus.dns.xfr.TransferTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AXFR message building: every record exactly once, SOA first and last, messages within the limit, compression. */
class TransferWriterTest {

    private static StoredZone bigZone(int names) throws Exception {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < names; i++) {
            extra.append("host").append(i).append(".dept").append(i % 7).append(" A 198.18.")
                .append((i >> 8) & 0xFF).append('.').append(i & 0xFF).append('\n');
            extra.append("host").append(i).append(".dept").append(i % 7).append(" TXT \"record ").append(i)
                .append("\"\n");
        }
        ZoneCatalog c = new ZoneCatalog();
        c.replace("example.test", TransferTestSupport.zone(7, extra.toString()));
        return c.zones().get(DnsName.of("example.test"));
    }

    private static byte[] axfr(List<ResourceRecord> records, int limit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferWriter w = new TransferWriter(0x1234, Header.FLAG_QR | Header.FLAG_AA, DnsName.of("example.test"),
            RecordType.AXFR, 1, limit, (buf, n) -> {
                out.write(n >>> 8);
                out.write(n);
                out.write(buf, 0, n);
            });
        TransferResponder.axfr(w, records);
        w.finish();
        return out.toByteArray();
    }

    @Test
    void everyRecordOnceWithTheSoaFirstAndLastInMessagesWithinTheLimit() throws Exception {
        StoredZone zone = bigZone(3000);
        List<ResourceRecord> records = zone.recordList();
        byte[] framed = axfr(records, 4096);
        List<Message> messages = messages(framed);
        assertTrue(messages.size() > 10, "a zone of " + records.size() + " records in 4 KiB messages: "
            + messages.size());
        for (int n : lengths(framed)) {
            assertTrue(n <= 4096, "message of " + n + " octets");
        }
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            assertEquals(0x1234, m.id());
            assertTrue(m.flag(Header.FLAG_QR) && m.flag(Header.FLAG_AA));
            assertEquals(i == 0 ? 1 : 0, m.questions().size(), "the question in the first message only");
            assertTrue(m.answers().size() > 0);
        }
        List<WireRecord> got = answers(messages);
        assertEquals(RecordType.SOA, got.get(0).type());
        assertEquals(RecordType.SOA, got.get(got.size() - 1).type());
        assertEquals(text(got.get(0)), text(got.get(got.size() - 1)));
        List<String> expected = new ArrayList<>(records.stream().map(TransferTestSupport::text).sorted().toList());
        List<String> sent = new ArrayList<>(got.subList(0, got.size() - 1).stream()
            .map(TransferTestSupport::text).sorted().toList());
        assertEquals(expected, sent, "every record exactly once (the SOA twice, framing)");
    }

    @Test
    void namesAreCompressed() throws Exception {
        StoredZone zone = bigZone(500);
        List<ResourceRecord> records = zone.recordList();
        long uncompressed = 0;
        for (ResourceRecord r : records) {
            uncompressed += r.owner().wireLength() + 10 + r.rdata().length;
        }
        byte[] framed = axfr(records, TransferWriter.MAX_MESSAGE);
        assertTrue(framed.length < uncompressed * 0.6, framed.length + " octets sent for " + uncompressed
            + " uncompressed");
    }

    @Test
    void aWholeLargeZoneStaysUnder64KiBPerMessage() throws Exception {
        byte[] framed = axfr(bigZone(20000).recordList(), TransferWriter.MAX_MESSAGE);
        int[] lengths = lengths(framed);
        assertTrue(lengths.length > 1);
        for (int n : lengths) {
            assertTrue(n <= 65535 && n > 30000, "message of " + n + " octets");
        }
    }

    @Test
    void anEmptyTransferIsTheQuestionAlone() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferWriter w = new TransferWriter(1, Header.FLAG_QR, DnsName.of("example.test"), RecordType.IXFR, 1,
            512, (buf, n) -> out.write(buf, 0, n));
        w.finish();
        assertEquals(1, w.messages());
        assertEquals(12 + 14 + 4, out.size());
    }
}
