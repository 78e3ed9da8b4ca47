package dev.isthmus.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigRecord;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.tsig.TsigStatus;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NOTIFY for a secondary zone: verified, answered NOERROR+AA signed, refresh started; refusals change nothing. */
class NotifyReceiverTest {
    private static final DnsName ZONE = DnsName.of("example.org");
    private static final TsigKey KEY = TsigKey.parse("xfr", "hmac-sha256", XfrClientKnotTest.SECRET);
    private static final TsigKey WRONG = TsigKey.parse("xfr", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0");
    private static final InetSocketAddress PRIMARY = new InetSocketAddress("198.18.0.1", 53);
    private static final long NOW = 1_800_000_000L;

    private final List<String> events = new ArrayList<>();
    private final NotifyReceiver receiver = new NotifyReceiver(new NotifyReceiver.Secondaries() {
        @Override
        public List<Primary> primaries(DnsName zone) {
            return zone.equals(ZONE) ? List.of(Primary.parse("198.18.0.1")) : null;
        }

        @Override
        public TsigKey key(DnsName zone) {
            return KEY;
        }

        @Override
        public void notified(DnsName zone, InetSocketAddress from) {
            events.add("refresh " + zone);
        }

        @Override
        public void refused(DnsName zone, InetSocketAddress from, String reason) {
            events.add("refused " + reason);
        }
    }, TsigKeyring.of(KEY), () -> NOW);

    private static byte[] notify(DnsName zone) {
        return new MessageWriter(4242, NotifyHandler.OPCODE_NOTIFY << Header.OPCODE_SHIFT | Header.FLAG_AA)
                .question(zone, RecordType.SOA, DnsClass.IN).toByteArray();
    }

    @Test
    void signedNotifyFromThePrimaryStartsARefresh() throws Exception {
        Tsig.Signed request = Tsig.sign(notify(ZONE), KEY, null, NOW);
        byte[] answer = receiver.onNotify(request.message(), PRIMARY);
        Message m = MessageReader.read(answer);
        assertEquals(Rcode.NOERROR, m.rcode());
        assertTrue(m.flag(Header.FLAG_AA) && m.flag(Header.FLAG_QR));
        assertEquals(NotifyHandler.OPCODE_NOTIFY, m.opcode());
        assertEquals(4242, m.id());
        assertEquals(ZONE, m.questions().get(0).name());
        TsigResult signed = Tsig.verify(answer, TsigKeyring.of(KEY), request.mac(), NOW);
        assertEquals(TsigStatus.OK, signed.status(), signed.detail());
        assertEquals(List.of("refresh example.org."), events);
    }

    @Test
    void refusals() throws Exception {
        byte[] wrongKey = Tsig.sign(notify(ZONE), WRONG, null, NOW).message();
        byte[] answer = receiver.onNotify(wrongKey, PRIMARY);
        assertEquals(TsigStatus.RCODE_NOTAUTH, MessageReader.read(answer).rcode());
        assertEquals(TsigStatus.BADSIG.errorCode(), TsigRecord.find(answer, answer.length).error());

        byte[] late = Tsig.sign(notify(ZONE), KEY, null, NOW - 1000).message();
        answer = receiver.onNotify(late, PRIMARY);
        assertEquals(TsigStatus.BADTIME.errorCode(), TsigRecord.find(answer, answer.length).error());

        answer = receiver.onNotify(notify(ZONE), PRIMARY);
        assertEquals(Rcode.REFUSED, MessageReader.read(answer).rcode(), "unsigned, but the zone has a key");

        answer = receiver.onNotify(Tsig.sign(notify(ZONE), KEY, null, NOW).message(),
                new InetSocketAddress("198.18.0.99", 53));
        assertEquals(Rcode.REFUSED, MessageReader.read(answer).rcode(), "not from a primary");

        answer = receiver.onNotify(Tsig.sign(notify(DnsName.of("other.org")), KEY, null, NOW).message(), PRIMARY);
        assertEquals(TsigStatus.RCODE_NOTAUTH, MessageReader.read(answer).rcode(), "not a secondary zone here");

        assertEquals(Rcode.FORMERR, MessageReader.read(receiver.onNotify(new byte[] {0, 1, 0x20, 0, 0, 1, 0, 0, 0,
                0, 0, 0, 3}, PRIMARY)).rcode());
        assertTrue(events.stream().allMatch(e -> e.startsWith("refused")), events.toString());
        assertEquals(5, events.size(), events.toString());
    }

    @Test
    void theKernelTransportHandsNotifyOver() throws Exception {
        InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), KnotPrimary.freePort());
        try (KernelDnsServer server = new KernelDnsServer(new ZoneCatalog(), List.of(listen), 1, Duration.ofSeconds(1));
             DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            byte[] q = notify(ZONE);
            client.send(new DatagramPacket(q, q.length, listen));
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            client.receive(p);
            assertEquals(Rcode.NOTIMP, p.getData()[3] & 0x0F, "without a handler the engine says NOTIMP");

            server.notifyHandler((message, from) -> new MessageWriter(((message[0] & 0xFF) << 8) | (message[1] & 0xFF),
                    Header.FLAG_QR | NotifyHandler.OPCODE_NOTIFY << Header.OPCODE_SHIFT | Header.FLAG_AA)
                    .toByteArray());
            client.send(new DatagramPacket(q, q.length, listen));
            p = new DatagramPacket(new byte[512], 512);
            client.receive(p);
            assertEquals(Rcode.NOERROR, p.getData()[3] & 0x0F);
            assertTrue((p.getData()[2] & 0x04) != 0, "AA from the handler");
        }
    }
}
