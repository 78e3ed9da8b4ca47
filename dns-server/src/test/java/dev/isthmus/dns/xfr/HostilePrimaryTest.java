package dev.isthmus.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigRecord;
import dev.isthmus.dns.tsig.TsigStreamSigner;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A scripted primary on loopback that misbehaves in one way per test: each transfer fails with the reason and
 * yields nothing (the caller then changes nothing), and a primary without IXFR gets an AXFR.
 */
class HostilePrimaryTest {
    private static final DnsName ZONE = DnsName.of("example.org");
    private static final TsigKey KEY = TsigKey.parse("xfr", "hmac-sha256", XfrClientKnotTest.SECRET);
    private static final TsigKey OTHER = TsigKey.parse("xfr", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0");

    private final XfrClient client = new XfrClient(XfrClient.Dialer.PLAIN,
            new TransferLimits(1 << 20, 50, Duration.ofSeconds(3)), () -> System.currentTimeMillis() / 1000);

    @Test
    void truncatedTransfer() throws Exception {
        String reason = fail(null, (query, id) -> List.of(answer(id, query, soa(7), a(1), a(2))));
        assertTrue(reason.contains("truncated"), reason);
    }

    @Test
    void oversizedTransfer() throws Exception {
        String reason = fail(null, (query, id) -> {
            List<byte[]> records = new ArrayList<>();
            records.add(soa(7));
            for (int i = 0; i < 60; i++) {
                records.add(a(i));
            }
            records.add(soa(7));
            return List.of(answer(id, query, records.toArray(byte[][]::new)));
        });
        assertTrue(reason.contains("oversized"), reason);
    }

    @Test
    void malformedMessage() throws Exception {
        String reason = fail(null, (query, id) -> {
            byte[] m = answer(id, query, soa(7), a(1), soa(7));
            m[Header.ANCOUNT_OFFSET + 1] = 9; // more records than the message holds
            return List.of(m);
        });
        assertTrue(reason.contains("malformed"), reason);
    }

    @Test
    void serialGoingBackwards() throws Exception {
        try (FakePrimary p = new FakePrimary((query, id) -> List.of(answer(id, query, soa(4), a(1), soa(4))))) {
            TransferException e = assertThrows(TransferException.class,
                    () -> client.axfr(p.primary(), ZONE, 5, null));
            assertTrue(e.getMessage().contains("backwards"), e.getMessage());
        }
    }

    @Test
    void signedWithAnotherSecret() throws Exception {
        String reason = fail(KEY, (query, id) -> signed(OTHER, query,
                List.of(answer(id, query, soa(7), a(1), soa(7)))));
        assertTrue(reason.contains("TSIG BADSIG"), reason);
    }

    @Test
    void unsignedAnswerToASignedRequest() throws Exception {
        String reason = fail(KEY, (query, id) -> List.of(answer(id, query, soa(7), a(1), soa(7))));
        assertTrue(reason.contains("TSIG UNSIGNED"), reason);
    }

    @Test
    void lastMessageUnsigned() throws Exception {
        String reason = fail(KEY, (query, id) -> {
            TsigStreamSigner signer = new TsigStreamSigner(KEY, requestMac(query), () -> now());
            byte[] last = answer(id, query, a(2), soa(7));
            return List.of(signer.sign(answer(id, query, soa(7), a(1))), last);
        });
        assertTrue(reason.contains("last message is unsigned"), reason);
    }

    @Test
    void ixfrRefusedFallsBackToAxfr() throws Exception {
        try (FakePrimary p = new FakePrimary((query, id) -> {
            Message q = read(query);
            if (q.questions().get(0).type() == RecordType.IXFR) {
                return List.of(new MessageWriter(id, Header.FLAG_QR | Rcode.NOTIMP)
                        .question(ZONE, RecordType.IXFR, DnsClass.IN).toByteArray());
            }
            return List.of(answer(id, query, soa(9), a(1)), answer(id, query, a(2), soa(9)));
        })) {
            var ours = new dev.isthmus.dns.zone.ResourceRecord(ZONE, RecordType.SOA, DnsClass.IN, 60, soaRdata(5));
            Transfer.Full full = assertInstanceOf(Transfer.Full.class, client.transfer(p.primary(), ZONE, ours, null));
            assertEquals(9, full.serial());
            assertEquals(3, full.records().size());
            assertEquals(2, p.connections());
        }
    }

    private String fail(TsigKey key, BiFunction<byte[], Integer, List<byte[]>> script) throws Exception {
        try (FakePrimary p = new FakePrimary(script)) {
            return assertThrows(TransferException.class, () -> client.transfer(p.primary(), ZONE, null, key))
                    .getMessage();
        }
    }

    private static List<byte[]> signed(TsigKey key, byte[] query, List<byte[]> messages) {
        TsigStreamSigner signer = new TsigStreamSigner(key, requestMac(query), HostilePrimaryTest::now);
        return messages.stream().map(signer::sign).toList();
    }

    private static byte[] requestMac(byte[] query) {
        try {
            return TsigRecord.find(query, query.length).mac();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** An answer to {@code query}; each record is owner-type-rdata encoded by {@link #soa} / {@link #a}. */
    private static byte[] answer(int id, byte[] query, byte[]... records) {
        Message q = read(query);
        MessageWriter w = new MessageWriter(id, Header.FLAG_QR | Header.FLAG_AA)
                .question(ZONE, q.questions().get(0).type(), DnsClass.IN);
        for (byte[] r : records) {
            int type = r[0];
            byte[] rdata = java.util.Arrays.copyOfRange(r, 2, r.length);
            DnsName owner = type == RecordType.SOA ? ZONE : DnsName.of("h" + (r[1] & 0xFF) + ".example.org");
            w.record(1, owner, type, DnsClass.IN, 60, rdata);
        }
        return w.toByteArray();
    }

    private static byte[] soa(long serial) {
        byte[] rdata = soaRdata(serial);
        byte[] r = new byte[2 + rdata.length];
        r[0] = RecordType.SOA;
        System.arraycopy(rdata, 0, r, 2, rdata.length);
        return r;
    }

    private static byte[] soaRdata(long serial) {
        byte[] names = new byte[] {2, 'n', 's', 0, 1, 'h', 0};
        byte[] out = new byte[names.length + 20];
        System.arraycopy(names, 0, out, 0, names.length);
        long[] numbers = {serial, 3600, 600, 86400, 300};
        for (int i = 0; i < 5; i++) {
            for (int b = 0; b < 4; b++) {
                out[names.length + i * 4 + b] = (byte) (numbers[i] >>> (24 - 8 * b));
            }
        }
        return out;
    }

    private static byte[] a(int i) {
        return new byte[] {RecordType.A, (byte) i, (byte) 198, 18, 0, (byte) i};
    }

    private static Message read(byte[] m) {
        try {
            return MessageReader.read(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers each TCP connection's one query with the script's messages, then closes it. */
    private static final class FakePrimary implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private volatile int connections;

        FakePrimary(BiFunction<byte[], Integer, List<byte[]>> script) throws IOException {
            server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections++;
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] query = new byte[in.readUnsignedShort()];
                        in.readFully(query);
                        int id = ((query[0] & 0xFF) << 8) | (query[1] & 0xFF);
                        OutputStream out = s.getOutputStream();
                        for (byte[] m : script.apply(query, id)) {
                            out.write(new byte[] {(byte) (m.length >>> 8), (byte) m.length});
                            out.write(m);
                        }
                        out.flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        Primary primary() {
            return new Primary(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        int connections() {
            return connections;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2000);
        }
    }
}
