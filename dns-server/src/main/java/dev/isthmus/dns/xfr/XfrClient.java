package dev.isthmus.dns.xfr;

import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.tsig.TsigStatus;
import dev.isthmus.dns.tsig.TsigStreamVerifier;
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
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Asks a primary for its SOA serial (UDP, TCP when truncated) and transfers a zone over TCP: IXFR (RFC 1995) from
 * the serial we hold, falling back to AXFR (RFC 5936) when the primary does not do IXFR; every message TSIG-signed
 * and verified when a key is given (RFC 8945 §5.3.1 for the multi-message answers). Blocking, on the calling thread
 * (a control-plane refresh thread); sockets come from a {@link Dialer}, so the appliance can open them in the
 * network namespace its addresses live in.
 */
public final class XfrClient {

    /** Where sockets come from: plain ones by default, or opened inside a network namespace by the appliance. */
    public interface Dialer {
        SocketChannel openTcp() throws IOException;

        DatagramChannel openUdp() throws IOException;

        Dialer PLAIN = new Dialer() {
            @Override
            public SocketChannel openTcp() throws IOException {
                return SocketChannel.open();
            }

            @Override
            public DatagramChannel openUdp() throws IOException {
                return DatagramChannel.open();
            }
        };
    }

    private static final SecureRandom IDS = new SecureRandom();

    private final Dialer dialer;
    private final TransferLimits limits;
    private final LongSupplier clock;

    /** @param clock seconds since the epoch, for TSIG */
    public XfrClient(Dialer dialer, TransferLimits limits, LongSupplier clock) {
        this.dialer = dialer;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * @param key null for an unsigned query
     * @return the SOA the primary answers with, authoritatively, for {@code zone}
     */
    public Soa querySoa(Primary primary, DnsName zone, TsigKey key) throws TransferException {
        int id = IDS.nextInt(0x10000);
        byte[] query = new MessageWriter(id, 0).question(zone, RecordType.SOA, DnsClass.IN).toByteArray();
        Tsig.Signed signed = key == null ? new Tsig.Signed(query, null)
                : Tsig.sign(query, key, null, clock.getAsLong());
        byte[] answer = udpExchange(primary, signed.message(), id);
        if (answer.length >= Header.LENGTH && (u16(answer, Header.FLAGS_OFFSET) & Header.FLAG_TC) != 0) {
            answer = tcpSingle(primary, signed.message(), id);
        }
        Message m = checkAnswer(answer, answer.length, id, zone, RecordType.SOA, key, signed.mac(), "SOA query");
        if (!m.flag(Header.FLAG_AA)) {
            throw new TransferException("SOA answer from " + primary + " is not authoritative (no AA)");
        }
        for (WireRecord r : m.answers()) {
            if (r.type() == RecordType.SOA && r.name().equals(zone) && r.rrClass() == DnsClass.IN) {
                try {
                    return Soa.of(r.rdata());
                } catch (IllegalArgumentException e) {
                    throw new TransferException("malformed SOA from " + primary + ": " + e.getMessage());
                }
            }
        }
        throw new TransferException("SOA answer from " + primary + " holds no SOA of " + zone);
    }

    /**
     * Transfers {@code zone}: IXFR when we hold a copy ({@code currentSoa} not null), AXFR otherwise or when the
     * primary answers the IXFR with an error RCODE (RFC 1995 §4 leaves it the AXFR form too, which is read as such).
     */
    public Transfer transfer(Primary primary, DnsName zone, ResourceRecord currentSoa, TsigKey key)
            throws TransferException {
        if (currentSoa != null) {
            long serial = Soa.of(currentSoa.rdata()).serial();
            try {
                return exchange(primary, zone, RecordType.IXFR, currentSoa, serial, key);
            } catch (RcodeException e) {
                // RFC 1995 §4 / RFC 5936 §4: a primary without IXFR (NOTIMP, FORMERR, REFUSED...) gets an AXFR.
                return exchange(primary, zone, RecordType.AXFR, null, serial, key);
            }
        }
        return exchange(primary, zone, RecordType.AXFR, null, -1, key);
    }

    /** {@link #transfer} forced to AXFR (after an IXFR whose differences did not apply to our copy). */
    public Transfer axfr(Primary primary, DnsName zone, long currentSerial, TsigKey key) throws TransferException {
        return exchange(primary, zone, RecordType.AXFR, null, currentSerial, key);
    }

    private Transfer exchange(Primary primary, DnsName zone, int qtype, ResourceRecord soa, long currentSerial,
            TsigKey key) throws TransferException {
        int id = IDS.nextInt(0x10000);
        MessageWriter w = new MessageWriter(id, 0).question(zone, qtype, DnsClass.IN);
        if (soa != null) {
            // RFC 1995 §3: the IXFR query carries our SOA in its authority section.
            w.record(2, soa.owner(), RecordType.SOA, DnsClass.IN, soa.ttl(), soa.rdata());
        }
        byte[] query = w.toByteArray();
        Tsig.Signed signed = key == null ? new Tsig.Signed(query, null)
                : Tsig.sign(query, key, null, clock.getAsLong());
        String what = RecordType.name(qtype) + " of " + zone + " from " + primary;
        TransferReader reader = new TransferReader(zone, currentSerial, qtype == RecordType.IXFR, limits.maxRecords());
        TsigStreamVerifier verifier = key == null ? null : new TsigStreamVerifier(key, signed.mac(), clock);
        long bytes = 0;
        try (SocketChannel channel = dialer.openTcp()) {
            Socket socket = channel.socket();
            int timeout = (int) limits.timeout().toMillis();
            socket.connect(primary.socketAddress(), timeout);
            socket.setSoTimeout(timeout);
            write(socket.getOutputStream(), signed.message());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            boolean first = true;
            while (!reader.complete()) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    throw new TransferException(what + ": connection closed before the transfer was complete "
                            + "(truncated transfer)");
                }
                bytes += length;
                if (bytes > limits.maxBytes()) {
                    throw new TransferException(what + ": more than " + limits.maxBytes()
                            + " octets: transfer refused as oversized");
                }
                byte[] msg = new byte[length];
                try {
                    in.readFully(msg);
                } catch (EOFException e) {
                    throw new TransferException(what + ": connection closed inside a message (truncated transfer)");
                }
                Message m = parse(msg, what);
                if (m.id() != id || (m.flags() & Header.FLAG_QR) == 0) {
                    throw new TransferException(what + ": message with ID " + m.id() + " or without QR");
                }
                if (verifier != null) {
                    TsigResult t = verifier.next(msg, msg.length);
                    if (!t.ok()) {
                        throw new TransferException(what + ": TSIG " + t.status() + ": " + t.detail());
                    }
                }
                if (m.rcode() != Rcode.NOERROR) {
                    if (first && qtype == RecordType.IXFR && m.rcode() != TsigStatus.RCODE_NOTAUTH) {
                        throw new RcodeException(what + ": RCODE " + m.rcode());
                    }
                    throw new TransferException(what + ": RCODE " + rcodeName(m.rcode()));
                }
                if (first) {
                    checkQuestion(m, zone, qtype, what);
                } else if (m.questions().size() > 1) {
                    throw new TransferException(what + ": more than one question in a later message");
                }
                if (first && key != null && m.answers().isEmpty()) {
                    throw new TransferException(what + ": empty first message");
                }
                first = false;
                for (WireRecord r : m.answers()) {
                    if (reader.complete()) {
                        throw new TransferException(what + ": records after the end of the transfer");
                    }
                    reader.add(r);
                }
            }
            if (verifier != null && !verifier.complete()) {
                throw new TransferException(what + ": the last message is unsigned (RFC 8945 §5.3.1)");
            }
        } catch (SocketTimeoutException e) {
            throw new TransferException(what + ": timed out after " + limits.timeout().toMillis() + " ms");
        } catch (IOException e) {
            throw new TransferException(what + ": " + e.getMessage(), e);
        } catch (TransferException e) {
            if (e instanceof RcodeException || e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new TransferException(what + ": " + e.getMessage());
        }
        return reader.result();
    }

    private byte[] udpExchange(Primary primary, byte[] query, int id) throws TransferException {
        try (DatagramChannel channel = dialer.openUdp()) {
            DatagramSocket socket = channel.socket();
            socket.setSoTimeout((int) limits.timeout().toMillis());
            socket.connect(primary.socketAddress());
            socket.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if (p.getLength() >= Header.LENGTH && u16(buf, 0) == id) {
                    return java.util.Arrays.copyOf(buf, p.getLength());
                }
                // a stray datagram (an older query's late answer): keep waiting for ours
            }
        } catch (SocketTimeoutException e) {
            throw new TransferException("SOA query to " + primary + " timed out after "
                    + limits.timeout().toMillis() + " ms");
        } catch (IOException e) {
            throw new TransferException("SOA query to " + primary + ": " + e.getMessage(), e);
        }
    }

    private byte[] tcpSingle(Primary primary, byte[] query, int id) throws TransferException {
        try (SocketChannel channel = dialer.openTcp()) {
            Socket socket = channel.socket();
            socket.connect(primary.socketAddress(), (int) limits.timeout().toMillis());
            socket.setSoTimeout((int) limits.timeout().toMillis());
            write(socket.getOutputStream(), query);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] msg = new byte[in.readUnsignedShort()];
            in.readFully(msg);
            return msg;
        } catch (IOException e) {
            throw new TransferException("SOA query to " + primary + " over TCP: " + e.getMessage(), e);
        }
    }

    private Message checkAnswer(byte[] answer, int length, int id, DnsName zone, int qtype, TsigKey key,
            byte[] requestMac, String what) throws TransferException {
        Message m = parse(java.util.Arrays.copyOf(answer, length), what);
        if (m.id() != id || (m.flags() & Header.FLAG_QR) == 0) {
            throw new TransferException(what + ": answer with another ID or without QR");
        }
        if (key != null) {
            TsigResult t = Tsig.verify(answer, length, TsigKeyring.of(key), requestMac, clock.getAsLong(),
                    Integer.MAX_VALUE);
            if (!t.ok()) {
                throw new TransferException(what + " of " + zone + ": TSIG " + t.status() + ": " + t.detail());
            }
        }
        if (m.rcode() != Rcode.NOERROR) {
            throw new TransferException(what + " of " + zone + ": RCODE " + rcodeName(m.rcode()));
        }
        checkQuestion(m, zone, qtype, what);
        return m;
    }

    private static void checkQuestion(Message m, DnsName zone, int qtype, String what) throws TransferException {
        if (m.questions().size() != 1) {
            throw new TransferException(what + ": answer without the question");
        }
        Question q = m.questions().get(0);
        if (!q.name().equals(zone) || q.type() != qtype) {
            throw new TransferException(what + ": answer to another question (" + q.name() + " "
                    + RecordType.name(q.type()) + ")");
        }
    }

    private static Message parse(byte[] msg, String what) throws TransferException {
        try {
            return MessageReader.read(msg);
        } catch (WireFormatException e) {
            throw new TransferException(what + ": malformed message: " + e.getMessage());
        }
    }

    private static void write(OutputStream out, byte[] msg) throws IOException {
        byte[] framed = new byte[msg.length + 2];
        framed[0] = (byte) (msg.length >>> 8);
        framed[1] = (byte) msg.length;
        System.arraycopy(msg, 0, framed, 2, msg.length);
        out.write(framed);
        out.flush();
    }

    private static String rcodeName(int rcode) {
        return switch (rcode) {
            case Rcode.FORMERR -> "FORMERR";
            case Rcode.SERVFAIL -> "SERVFAIL";
            case Rcode.NXDOMAIN -> "NXDOMAIN";
            case Rcode.NOTIMP -> "NOTIMP";
            case Rcode.REFUSED -> "REFUSED";
            case TsigStatus.RCODE_NOTAUTH -> "NOTAUTH";
            default -> Integer.toString(rcode);
        };
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    /** An IXFR answered with an error RCODE: the caller falls back to AXFR. */
    private static final class RcodeException extends TransferException {
        RcodeException(String message) {
            super(message);
        }
    }
}
