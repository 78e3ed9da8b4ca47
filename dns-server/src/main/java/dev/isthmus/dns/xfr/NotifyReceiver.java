package dev.isthmus.dns.xfr;

import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.tsig.TsigStatus;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Question;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireFormatException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Answers NOTIFY (RFC 1996) for secondary zones: checks that the zone is one of ours, that the sender is one of its
 * primaries (RFC 1996 §3.10) and that the message carries a valid TSIG with the zone's key when it has one (RFC 8945),
 * then tells the {@link Secondaries} to refresh and answers NOERROR with AA, the question echoed (RFC 1996 §4.7),
 * signed with the request's key. Every refusal is answered (NOTAUTH with the TSIG error, REFUSED, FORMERR) so a
 * primary's log says why, and changes nothing.
 */
public final class NotifyReceiver implements NotifyHandler {

    /** What the receiver needs to know of the secondary zones, and how it starts a refresh. */
    public interface Secondaries {
        /** @return the zone's primaries, or null when {@code zone} is not a secondary zone we serve */
        List<Primary> primaries(DnsName zone);

        /** @return the key transfers and NOTIFY of {@code zone} are signed with, or null for none */
        TsigKey key(DnsName zone);

        /** Starts a refresh of {@code zone} soon (RFC 1996 §3.11: as if its refresh timer had expired). */
        void notified(DnsName zone, InetSocketAddress from);

        /** Records a refused NOTIFY for the operator. */
        void refused(DnsName zone, InetSocketAddress from, String reason);
    }

    private final Secondaries secondaries;
    private final TsigKeyring keys;
    private final LongSupplier clock;

    /** @param clock seconds since the epoch, for TSIG */
    public NotifyReceiver(Secondaries secondaries, TsigKeyring keys, LongSupplier clock) {
        this.secondaries = secondaries;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public byte[] onNotify(byte[] message, InetSocketAddress from) {
        if (message.length < Header.LENGTH) {
            return null; // not even a header: nothing to answer to
        }
        int id = ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
        Message m;
        try {
            m = MessageReader.read(message);
        } catch (WireFormatException e) {
            return header(id, Rcode.FORMERR);
        }
        // RFC 1996 §3.7: QNAME is the zone, QTYPE SOA (§3.2: other types are for future use), one question.
        if (m.questions().size() != 1 || m.questions().get(0).type() != RecordType.SOA
                || m.questions().get(0).qclass() != DnsClass.IN) {
            return header(id, Rcode.FORMERR);
        }
        DnsName zone = m.questions().get(0).name();
        long now = clock.getAsLong();
        TsigResult tsig = Tsig.verify(message, message.length, keys, null, now, Integer.MAX_VALUE);
        switch (tsig.status()) {
            case OK, UNSIGNED -> {
            }
            case FORMERR -> {
                return header(id, Rcode.FORMERR);
            }
            case BADTIME -> {
                // RFC 8945 §5.2.3: signed, with our time in Other Data so the sender can see the skew.
                secondaries.refused(zone, from, "NOTIFY " + tsig.detail());
                byte[] other = new byte[6];
                for (int i = 0; i < 6; i++) {
                    other[i] = (byte) (now >>> (40 - 8 * i));
                }
                return Tsig.sign(answer(id, m.questions().get(0), TsigStatus.RCODE_NOTAUTH, false), tsig.key(),
                        tsig.mac(), now, tsig.record().fudge(), TsigStatus.BADTIME.errorCode(), other).message();
            }
            default -> {
                // RFC 8945 §5.3.2: BADKEY, BADSIG, BADTRUNC are answered unsigned, with NOTAUTH.
                secondaries.refused(zone, from, "NOTIFY TSIG " + tsig.status() + ": " + tsig.detail());
                return Tsig.appendError(answer(id, m.questions().get(0), TsigStatus.RCODE_NOTAUTH, false),
                        tsig.record(), now, tsig.status().errorCode());
            }
        }
        List<Primary> primaries = secondaries.primaries(zone);
        if (primaries == null) {
            secondaries.refused(zone, from, "NOTIFY for a zone that is not a secondary here");
            return sign(answer(id, m.questions().get(0), TsigStatus.RCODE_NOTAUTH, false), tsig, now);
        }
        InetAddress source = from.getAddress();
        if (primaries.stream().noneMatch(p -> p.address().equals(source))) {
            // RFC 1996 §3.10: a NOTIFY from anything but a known primary is not acted upon.
            secondaries.refused(zone, from, "NOTIFY from " + source.getHostAddress() + ", not a primary of the zone");
            return sign(answer(id, m.questions().get(0), Rcode.REFUSED, false), tsig, now);
        }
        TsigKey required = secondaries.key(zone);
        if (required != null && (tsig.key() == null || !tsig.key().name().equals(required.name()))) {
            secondaries.refused(zone, from, "NOTIFY not signed with the zone's key " + required.name());
            return sign(answer(id, m.questions().get(0), Rcode.REFUSED, false), tsig, now);
        }
        secondaries.notified(zone, from);
        return sign(answer(id, m.questions().get(0), Rcode.NOERROR, true), tsig, now);
    }

    private static byte[] sign(byte[] answer, TsigResult tsig, long now) {
        return tsig.ok() ? Tsig.sign(answer, tsig.key(), tsig.mac(), now).message() : answer;
    }

    private static byte[] answer(int id, Question q, int rcode, boolean authoritative) {
        int flags = Header.FLAG_QR | NotifyHandler.OPCODE_NOTIFY << Header.OPCODE_SHIFT | rcode
                | (authoritative ? Header.FLAG_AA : 0);
        return new MessageWriter(id, flags).question(q.name(), q.type(), q.qclass()).toByteArray();
    }

    private static byte[] header(int id, int rcode) {
        return new MessageWriter(id, Header.FLAG_QR | NotifyHandler.OPCODE_NOTIFY << Header.OPCODE_SHIFT | rcode)
                .toByteArray();
    }
}
