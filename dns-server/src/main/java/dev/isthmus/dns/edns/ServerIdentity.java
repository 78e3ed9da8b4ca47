package dev.isthmus.dns.edns;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;
import java.nio.charset.StandardCharsets;

/**
 * Which box of a fleet answered: the NSID option (RFC 5001) and the CHAOS-class TXT names of RFC 4892
 * ({@code id.server.}, its older spelling {@code hostname.bind.}, and {@code version.bind.}). Each is off when its
 * text is empty: then the option is not sent and the CH query is REFUSED by the engine as before. Immutable; the
 * poll loop only copies its bytes.
 *
 * @see ServerCookies#nsidRequested()
 */
public final class ServerIdentity {

    /** Nothing told. */
    public static final ServerIdentity NONE = new ServerIdentity("", "", "");
    /** A character-string holds at most 255 octets (RFC 1035 §3.3). */
    public static final int MAX_TEXT = 255;

    private static final byte[] ID_SERVER = DnsName.of("id.server").canonical();
    private static final byte[] HOSTNAME_BIND = DnsName.of("hostname.bind").canonical();
    private static final byte[] VERSION_BIND = DnsName.of("version.bind").canonical();

    private final byte[] nsid;
    private final byte[] id;
    private final byte[] version;

    /**
     * @param nsid    the NSID payload (RFC 5001 §2.3: opaque; we send the text's UTF-8), or empty for none
     * @param id      the TXT of {@code id.server.} and {@code hostname.bind.} in class CH, or empty for none
     * @param version the TXT of {@code version.bind.} in class CH, or empty for none
     * @throws IllegalArgumentException naming the field when a text is longer than 255 octets
     */
    public ServerIdentity(String nsid, String id, String version) {
        this.nsid = bytes("nsid", nsid);
        this.id = bytes("id-server", id);
        this.version = bytes("version", version);
    }

    private static byte[] bytes(String field, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_TEXT) {
            throw new IllegalArgumentException(field + ": at most " + MAX_TEXT + " octets, got " + b.length);
        }
        return b;
    }

    /** @return the NSID to send, or null when none is configured */
    public byte[] nsid() {
        return nsid.length == 0 ? null : nsid;
    }

    /** @return whether some CH TXT name is configured (else {@link #answerChaos} never answers) */
    public boolean answersChaos() {
        return id.length > 0 || version.length > 0;
    }

    /**
     * Answers a CH TXT (or ANY) query for one of the identity names in place: the question kept, AA set, one TXT
     * record with TTL 0 (RFC 4892 §2.3: not to be cached), no OPT.
     *
     * @return the response length, or -1 when the query is not one of those (or its text is not configured)
     */
    public int answerChaos(long dns, int length, int capacity) {
        if (id.length == 0 && version.length == 0 || length < Header.LENGTH
                || PacketMemory.u16(dns + Header.QDCOUNT_OFFSET) != 1) {
            return -1;
        }
        final long name = dns + Header.LENGTH;
        final long end = dns + length;
        final byte[] text;
        final int nameLength;
        if (id.length > 0 && matches(name, end, ID_SERVER)) {
            text = id;
            nameLength = ID_SERVER.length;
        } else if (id.length > 0 && matches(name, end, HOSTNAME_BIND)) {
            text = id;
            nameLength = HOSTNAME_BIND.length;
        } else if (version.length > 0 && matches(name, end, VERSION_BIND)) {
            text = version;
            nameLength = VERSION_BIND.length;
        } else {
            return -1;
        }
        final long typeClass = name + nameLength;
        final int qtype = PacketMemory.u16(typeClass);
        if (PacketMemory.u16(typeClass + 2) != DnsClass.CH || qtype != RecordType.TXT && qtype != RecordType.ANY) {
            return -1;
        }
        final int questionLength = Header.LENGTH + nameLength + 4;
        final int responseLength = questionLength + 2 + 10 + 1 + text.length;
        if (responseLength > capacity) {
            return -1;
        }
        final int flags = PacketMemory.u16(dns + Header.FLAGS_OFFSET);
        if ((flags & Header.OPCODE_MASK) != 0) {
            return -1; // not QUERY: the engine's NOTIMP
        }
        PacketMemory.put16(dns + Header.FLAGS_OFFSET, Header.FLAG_QR | Header.FLAG_AA | flags & Header.FLAG_RD);
        PacketMemory.put16(dns + Header.ANCOUNT_OFFSET, 1);
        PacketMemory.put32(dns + Header.NSCOUNT_OFFSET, 0);
        long p = dns + questionLength;
        PacketMemory.put16(p, 0xC000 | Header.LENGTH); // the question's name (RFC 1035 §4.1.4)
        PacketMemory.put16(p + 2, RecordType.TXT);
        PacketMemory.put16(p + 4, DnsClass.CH);
        PacketMemory.put32(p + 6, 0);
        PacketMemory.put16(p + 10, 1 + text.length);
        PacketMemory.put8(p + 12, text.length);
        for (int i = 0; i < text.length; i++) {
            PacketMemory.put8(p + 13 + i, text[i]);
        }
        return responseLength;
    }

    /** Whether the uncompressed name at {@code p} is {@code wire}, ignoring ASCII case (RFC 4343). */
    private static boolean matches(long p, long end, byte[] wire) {
        if (p + wire.length > end) {
            return false;
        }
        for (int i = 0; i < wire.length; i++) {
            int b = PacketMemory.u8(p + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != (wire[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
