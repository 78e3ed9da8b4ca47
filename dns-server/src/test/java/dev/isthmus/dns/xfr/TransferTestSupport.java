package dev.isthmus.dns.xfr;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Zones, queries and the parsing of framed transfer output shared by the transfer tests. */
final class TransferTestSupport {
    private TransferTestSupport() {
    }

    static String zone(long serial, String... extra) {
        StringBuilder b = new StringBuilder("""
            $ORIGIN example.test.
            $TTL 3600
            @ IN SOA ns1 hostmaster %d 7200 3600 1209600 300
            @ NS ns1
            @ NS ns2
            ns1 A 198.18.0.53
            ns2 A 198.18.0.54
            www A 198.18.0.80
            mail MX 10 mx
            mx A 198.18.0.25
            """.formatted(serial));
        for (String line : extra) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** Splits TCP-framed output into messages, parsing each (which checks every name and pointer). */
    static List<Message> messages(byte[] framed) throws Exception {
        List<Message> out = new ArrayList<>();
        int p = 0;
        while (p < framed.length) {
            int n = ((framed[p] & 0xFF) << 8) | (framed[p + 1] & 0xFF);
            out.add(MessageReader.read(framed, p + 2, n));
            p += 2 + n;
        }
        return out;
    }

    static int[] lengths(byte[] framed) {
        List<Integer> out = new ArrayList<>();
        int p = 0;
        while (p < framed.length) {
            int n = ((framed[p] & 0xFF) << 8) | (framed[p + 1] & 0xFF);
            out.add(n);
            p += 2 + n;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<WireRecord> answers(List<Message> messages) {
        List<WireRecord> out = new ArrayList<>();
        messages.forEach(m -> out.addAll(m.answers()));
        return out;
    }

    static byte[] axfrQuery(int id, String zone) {
        return new MessageWriter(id, 0).question(DnsName.of(zone), RecordType.AXFR, 1).toByteArray();
    }

    static byte[] ixfrQuery(int id, String zone, ResourceRecord clientSoa) {
        return new MessageWriter(id, 0).question(DnsName.of(zone), RecordType.IXFR, 1)
            .record(2, clientSoa.owner(), RecordType.SOA, 1, clientSoa.ttl(), clientSoa.rdata()).toByteArray();
    }

    static String text(WireRecord r) {
        return r.name().toString().toLowerCase() + " " + r.ttl() + " " + RecordType.name(r.type()) + " "
            + java.util.HexFormat.of().formatHex(r.rdata());
    }

    static String text(ResourceRecord r) {
        return r.owner().toString().toLowerCase() + " " + r.ttl() + " " + RecordType.name(r.type()) + " "
            + java.util.HexFormat.of().formatHex(r.rdata());
    }

    static final class Capture extends ByteArrayOutputStream {
    }
}
