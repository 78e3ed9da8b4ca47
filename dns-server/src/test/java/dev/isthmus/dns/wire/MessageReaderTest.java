package dev.isthmus.dns.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageReaderTest {
    static byte[] header(int qd, int an) {
        return new byte[] {0, 1, 0, 0, 0, (byte) qd, 0, (byte) an, 0, 0, 0, 0};
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String failure(byte[] msg) {
        return assertThrows(WireFormatException.class, () -> MessageReader.read(msg)).getMessage();
    }

    @Test
    void roundTripsWithCompression() throws Exception {
        byte[] rdata = concat(new byte[] {0, 10}, DnsName.of("mail.example.test").wire());
        byte[] msg = new MessageWriter(9, Header.FLAG_QR).question(DnsName.of("example.test"), RecordType.MX, 1)
            .record(1, DnsName.of("example.test"), RecordType.MX, 1, 60, rdata).toByteArray();
        assertTrue(msg.length < 12 + 18 + 4 + 2 + 10 + rdata.length, "names were compressed");
        Message m = MessageReader.read(msg);
        assertEquals(DnsName.of("example.test"), m.answers().get(0).name());
        assertEquals(java.util.HexFormat.of().formatHex(rdata), java.util.HexFormat.of().formatHex(m.answers().get(0).rdata()));
    }

    @Test
    void compressionLoopIsRejected() {
        byte[] msg = concat(header(1, 0), new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});
        assertTrue(failure(msg).contains("does not point backwards"));
        byte[] twoStep = concat(header(1, 0), new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1});
        assertTrue(failure(twoStep).contains("does not point backwards"));
    }

    @Test
    void forwardAndOutOfBoundsPointersAreRejected() {
        assertTrue(failure(concat(header(1, 0), new byte[] {(byte) 0xC0, 20, 0, 1, 0, 1, 0, 0})).contains("backwards"));
        assertTrue(failure(concat(header(1, 0), new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 1, 0, 1})).contains("backwards"));
        assertTrue(failure(concat(header(1, 0), new byte[] {1, 'a', 1, 'b', (byte) 0xC0})).contains("truncated compression pointer"));
    }

    @Test
    void labelsPastTheEndAndLongNamesAreRejected() {
        assertTrue(failure(concat(header(1, 0), new byte[] {5, 'a', 'b', 'c', 'd'})).contains("past the end"));
        byte[] longName = new byte[300];
        for (int i = 0; i < 256; i += 64) {
            longName[i] = 63;
        }
        assertTrue(failure(concat(header(1, 0), longName)).contains("longer than 255"));
        assertTrue(failure(concat(header(1, 0), new byte[] {(byte) 0x80, 0, 0, 1, 0, 1})).contains("reserved label type"));
    }

    @Test
    void oversizedCountsAndShortMessagesAreRejected() {
        assertTrue(failure(new byte[11]).contains("shorter than the 12-octet header"));
        assertTrue(failure(concat(header(1, 200), new byte[] {0, 0, 1, 0, 1})).contains("counts larger"));
        byte[] rdlengthTooBig = concat(header(0, 1), new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 50, 1, 2});
        assertTrue(failure(rdlengthTooBig).contains("RDATA past the end"));
    }
}
