package dev.isthmus.dns.xfr;

import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.tsig.TsigStreamSigner;
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
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers AXFR (RFC 5936) and IXFR (RFC 1995) queries that arrive over TCP: checks the query, the zone and the
 * peer, then writes the transfer as length-prefixed messages (RFC 1035 §4.2.2) on the connection. The zone is read
 * from one catalog snapshot, so a change published during the transfer is not mixed into it.
 *
 * <p>Outcomes, each counted in {@link TransferCounters}: FORMERR for a malformed query, a misplaced TSIG or an IXFR
 * without its SOA; NOTAUTH for a TSIG that does not verify (RFC 8945 §5.2, with its error code) or a zone not served
 * here (RFC 5936 §2.2.1); REFUSED for a peer the zone's policy does not admit ({@link TransferPolicies#admits}:
 * {@code allow-transfer} and the required key); answers to a signed request are signed with its key (every message
 * of a transfer, RFC 8945 §5.3.1); for IXFR, the current SOA alone when
 * the client is up to date (RFC 1995 §2), the steps from its serial when the history holds them (RFC 1995 §4), else
 * the whole zone in AXFR form (RFC 1995 §4 allows it).
 */
public final class TransferResponder {
    /** RFC 2136 §2.2 / RFC 8945 §5.3: not authoritative for the zone, or a TSIG that does not verify. */
    static final int NOTAUTH = 9;

    private final ZoneCatalog catalog;
    private final ZoneHistory history;
    private final Supplier<TransferPolicies> policies;
    private final TransferCounters counters;
    private final int messageLimit;
    private final LongSupplier clock;

    /**
     * Octets a TSIG record with {@code key} takes (RFC 8945 §4.2): owner, TYPE to RDLENGTH (10), algorithm name,
     * Time Signed to MAC Size (10), the MAC, Original ID, Error, Other Len (6), no Other Data.
     */
    static int tsigRoom(dev.isthmus.dns.tsig.TsigKey key) {
        return key.name().wireLength() + 10 + key.algorithm().wireName().wireLength() + 10
            + key.algorithm().outputLength() + 6;
    }

    public TransferResponder(ZoneCatalog catalog, ZoneHistory history, Supplier<TransferPolicies> policies,
                             TransferCounters counters, int messageLimit) {
        this(catalog, history, policies, counters, messageLimit, () -> System.currentTimeMillis() / 1000);
    }

    /** @param clock seconds since the epoch, for TSIG (RFC 8945 §5.2.3) */
    public TransferResponder(ZoneCatalog catalog, ZoneHistory history, Supplier<TransferPolicies> policies,
                             TransferCounters counters, int messageLimit, LongSupplier clock) {
        this.clock = clock;
        this.catalog = catalog;
        this.history = history;
        this.policies = policies;
        this.counters = counters;
        this.messageLimit = messageLimit;
    }

    /**
     * A quick look at a query: a QUERY (not a response) with one question whose QTYPE is AXFR or IXFR. Reads the
     * header and skips the question's name; no allocation.
     */
    public static boolean isTransfer(byte[] msg, int offset, int length) {
        if (length < Header.LENGTH + 5) {
            return false;
        }
        int flags = ((msg[offset + 2] & 0xFF) << 8) | (msg[offset + 3] & 0xFF);
        if ((flags & (Header.FLAG_QR | Header.OPCODE_MASK)) != 0
            || (((msg[offset + 4] & 0xFF) << 8) | (msg[offset + 5] & 0xFF)) != 1) {
            return false;
        }
        int p = offset + Header.LENGTH;
        int end = offset + length;
        while (p < end && msg[p] != 0) {
            if ((msg[p] & 0xC0) != 0) {
                return false; // the first name of a message cannot be compressed
            }
            p += 1 + (msg[p] & 0xFF);
        }
        if (p + 5 > end) {
            return false;
        }
        int qtype = ((msg[p + 1] & 0xFF) << 8) | (msg[p + 2] & 0xFF);
        return qtype == RecordType.AXFR || qtype == RecordType.IXFR;
    }

    /**
     * Answers the transfer query {@code msg[offset, offset + length)} from {@code peer}, writing every message
     * framed on {@code out}.
     *
     * @return true when the connection may go on (every outcome but an I/O error)
     */
    public boolean serve(byte[] msg, int offset, int length, InetAddress peer, OutputStream out) throws IOException {
        Message query;
        try {
            query = MessageReader.read(msg, offset, length);
        } catch (WireFormatException e) {
            counters.formErr.increment();
            int id = ((msg[offset] & 0xFF) << 8) | (msg[offset + 1] & 0xFF);
            frame(out, new MessageWriter(id, Header.FLAG_QR | Rcode.FORMERR).toByteArray());
            return true;
        }
        Question q = query.questions().get(0);
        int keep = query.flags() & (Header.OPCODE_MASK | Header.FLAG_RD);
        TransferPolicies p = policies.get();
        byte[] request = java.util.Arrays.copyOfRange(msg, offset, offset + length);
        TsigResult tsig = Tsig.verify(request, request.length, p.keys(), null, clock.getAsLong(), Integer.MAX_VALUE);
        Reply reply = new Reply(out, query, keep, tsig);
        switch (tsig.status()) {
            case OK, UNSIGNED -> {
                // verified, or not signed at all: the policy decides below
            }
            case FORMERR -> {
                return reply.error(Rcode.FORMERR, counters.formErr); // RFC 8945 §5.1: a misplaced TSIG
            }
            default -> {
                return reply.error(NOTAUTH, counters.notAuth); // RFC 8945 §5.2: BADKEY, BADSIG, BADTIME, BADTRUNC
            }
        }
        if (q.qclass() != DnsClass.IN) {
            return reply.error(Rcode.REFUSED, counters.refused); // only class IN is served
        }
        StoredZone zone = catalog.snapshot().zones().get(q.name());
        if (zone == null) {
            return reply.error(NOTAUTH, counters.notAuth); // RFC 5936 §2.2.1: not authoritative
        }
        if (!p.admits(q.name(), peer, tsig.ok() ? tsig.key() : null)) {
            return reply.error(Rcode.REFUSED, counters.refused); // RFC 5936 §6: the zone's access rules
        }
        int flags = Header.FLAG_QR | Header.FLAG_AA | keep;
        TransferWriter w = new TransferWriter(query.id(), flags, q.name(), q.type(), q.qclass(),
            messageLimit - (reply.signer == null ? 0 : tsigRoom(tsig.key())), (buf, n) -> {
                reply.send(java.util.Arrays.copyOf(buf, n));
                counters.messages.increment();
            });
        if (q.type() == RecordType.AXFR) {
            axfr(w, zone.recordList());
            counters.axfr.increment();
        } else {
            WireRecord clientSoa = clientSoa(query);
            if (clientSoa == null) {
                // RFC 1995 §3: the authority section holds the client's SOA.
                return reply.error(Rcode.FORMERR, counters.formErr);
            }
            long clientSerial = ZoneDiff.serialOf(new ResourceRecord(clientSoa.name(), clientSoa.type(),
                clientSoa.rrClass(), clientSoa.ttl(), clientSoa.rdata()));
            ixfr(w, q.name(), zone, clientSerial);
        }
        w.finish();
        out.flush();
        return true;
    }

    /**
     * Sends the messages of one answer, signed when the request was (RFC 8945 §5.3: an answer to a verified request
     * is signed with its key; every message of a transfer here, though §5.3.1 would allow 99 unsigned in a row).
     */
    private final class Reply {
        private final OutputStream out;
        private final Message query;
        private final int keep;
        private final TsigResult tsig;
        private final TsigStreamSigner signer;

        Reply(OutputStream out, Message query, int keep, TsigResult tsig) {
            this.out = out;
            this.query = query;
            this.keep = keep;
            this.tsig = tsig;
            this.signer = tsig.ok() ? new TsigStreamSigner(tsig.key(), tsig.mac(), clock) : null;
        }

        void send(byte[] message) throws IOException {
            byte[] signed = signer == null ? message : signer.sign(message);
            frame(out, signed, signed.length);
        }

        /** RFC 5936 §2.2.1: an error response copies the question; RFC 8945 §5.3.2 says how it is signed. */
        boolean error(int rcode, java.util.concurrent.atomic.LongAdder counter) throws IOException {
            counter.increment();
            Question q = query.questions().get(0);
            byte[] m = new MessageWriter(query.id(), Header.FLAG_QR | keep | rcode).question(q.name(), q.type(),
                q.qclass()).toByteArray();
            long now = clock.getAsLong();
            byte[] framed = switch (tsig.status()) {
                case OK -> signer.sign(m);
                // The key is unknown or the MAC wrong: the error goes back unsigned, with the TSIG error code.
                case BADKEY, BADSIG -> Tsig.appendError(m, tsig.record(), now, tsig.status().errorCode());
                // The MAC verified, so the answer is signed (BADTIME carries our time, RFC 8945 §5.2.3).
                case BADTIME -> Tsig.sign(m, tsig.key(), tsig.mac(), now, tsig.record().fudge(),
                    tsig.status().errorCode(), time48(now)).message();
                case BADTRUNC, PEER_ERROR -> Tsig.sign(m, tsig.key(), tsig.mac(), now, Tsig.DEFAULT_FUDGE,
                    tsig.status().errorCode(), new byte[0]).message();
                default -> m;
            };
            frame(out, framed);
            return true;
        }
    }

    private static byte[] time48(long t) {
        return new byte[] {(byte) (t >>> 40), (byte) (t >>> 32), (byte) (t >>> 24), (byte) (t >>> 16),
            (byte) (t >>> 8), (byte) t};
    }

    private void ixfr(TransferWriter w, DnsName origin, StoredZone zone, long clientSerial) throws IOException {
        if (Serial.atLeast(clientSerial, zone.serial())) {
            // RFC 1995 §2: a client as new as we are gets our SOA alone.
            w.add(currentSoa(zone));
            counters.ixfrUpToDate.increment();
            return;
        }
        List<ZoneDiff> steps = history.since(origin, clientSerial);
        long size = 0;
        if (steps != null) {
            for (ZoneDiff d : steps) {
                size += d.size();
            }
        }
        if (steps == null || (steps.get(steps.size() - 1).toSerial() & 0xFFFF_FFFFL) != zone.serial()
            || size >= zone.records()) {
            // RFC 1995 §4: a version no longer held (or steps larger than the zone) gets the whole zone.
            axfr(w, zone.recordList());
            counters.ixfrAsAxfr.increment();
            return;
        }
        ResourceRecord current = currentSoa(zone);
        w.add(current);
        for (ZoneDiff d : steps) {
            w.add(d.fromSoa());
            for (ResourceRecord r : d.deleted()) {
                w.add(r);
            }
            w.add(d.toSoa());
            for (ResourceRecord r : d.added()) {
                w.add(r);
            }
        }
        w.add(current);
        counters.ixfr.increment();
    }

    /** RFC 5936 §2.2: the SOA first, every other record once, the SOA again last. */
    static void axfr(TransferWriter w, List<ResourceRecord> records) throws IOException {
        ResourceRecord soa = ZoneHistory.soa(records);
        w.add(soa);
        for (ResourceRecord r : records) {
            if (r.type() != RecordType.SOA) {
                w.add(r);
            }
        }
        w.add(soa);
    }

    private static ResourceRecord currentSoa(StoredZone zone) {
        return ZoneHistory.soa(zone.apexRecordList());
    }

    private static WireRecord clientSoa(Message query) {
        if (query.authority().size() != 1) {
            return null;
        }
        WireRecord r = query.authority().get(0);
        return r.type() == RecordType.SOA && r.name().equals(query.questions().get(0).name()) ? r : null;
    }

    private static void frame(OutputStream out, byte[] msg) throws IOException {
        frame(out, msg, msg.length);
        out.flush();
    }

    private static void frame(OutputStream out, byte[] msg, int length) throws IOException {
        out.write(length >>> 8);
        out.write(length);
        out.write(msg, 0, length);
    }
}
