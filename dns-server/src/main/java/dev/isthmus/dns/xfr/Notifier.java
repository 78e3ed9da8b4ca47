package dev.isthmus.dns.xfr;

import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigResult;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireFormatException;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends NOTIFY (RFC 1996) for a changed zone to its secondaries, from a kernel UDP socket of its own, each target on
 * its own (platform) thread: the message is sent, and sent again after a wait that doubles each time until the target
 * answers NOERROR (RFC 1996 §3.6 asks for retries; §4.7 for a response to each NOTIFY) or the attempts run out. A
 * target that answers with an error (REFUSED, NOTAUTH) is not asked again: it will not change its mind. A newer
 * change to the same zone supersedes the retries of an older one to the same target.
 */
public final class Notifier implements AutoCloseable {
    /** RFC 1996 §3: OPCODE 4. */
    static final int OPCODE_NOTIFY = 4;

    /** Opens the socket NOTIFY leaves from (the appliance opens it in the exception path's namespace). */
    @FunctionalInterface
    public interface SocketOpener {
        DatagramSocket open() throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

    private final SocketOpener opener;
    private final Duration firstWait;
    private final int attempts;
    private final TransferCounters counters;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param firstWait how long to wait for the first answer; each retry waits twice as long as the one before
     * @param attempts how many times a NOTIFY is sent at most
     */
    public Notifier(SocketOpener opener, Duration firstWait, int attempts, TransferCounters counters) {
        this.opener = opener;
        this.firstWait = firstWait;
        this.attempts = attempts;
        this.counters = counters;
    }

    /** A notifier on an ordinary socket: first answer awaited 1 s, then 2, 4, 8, 16 s. */
    public static Notifier standard(TransferCounters counters) {
        return new Notifier(DatagramSocket::new, Duration.ofSeconds(1), 5, counters);
    }

    /** Starts telling each of {@code targets} that {@code zone} is now at {@code soa}'s serial; returns at once. */
    public void notify(DnsName zone, ResourceRecord soa, List<InetSocketAddress> targets) {
        notify(zone, soa, targets, null);
    }

    /**
     * As {@link #notify(DnsName, ResourceRecord, List)}, each NOTIFY signed with {@code tsigKey} (RFC 8945; null: unsigned)
     * and only a response that verifies with it counted as an answer.
     */
    public void notify(DnsName zone, ResourceRecord soa, List<InetSocketAddress> targets, TsigKey tsigKey) {
        if (closed) {
            return;
        }
        for (InetSocketAddress target : targets) {
            String key = zone + " " + TransferPolicy.targetText(target);
            long mine = latest.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            // A platform thread, started by the caller: a socket belongs to the network namespace of the thread that
            // opens it, and a virtual thread may run on a carrier the pool created from a thread inside the exception
            // path's namespace (the kernel transport starts its connection threads there), where NOTIFY would leave
            // from the wrong network. The caller's own namespace is the control plane's.
            Thread.ofPlatform().daemon(true).name("isthmus-notify")
                .start(() -> send(key, mine, zone, soa, target, tsigKey));
        }
    }

    /** @return the last outcome of NOTIFY per {@code zone addr@port}, for operators */
    public Map<String, String> outcomes() {
        return Map.copyOf(outcomes);
    }

    private void send(String key, long mine, DnsName zone, ResourceRecord soa, InetSocketAddress target,
                      TsigKey tsigKey) {
        int id = random.nextInt(0x10000);
        // RFC 1996 §3.7: the question names the zone's SOA, and the answer may carry the new SOA as a hint.
        byte[] msg = new MessageWriter(id, (OPCODE_NOTIFY << Header.OPCODE_SHIFT) | Header.FLAG_AA)
            .question(zone, RecordType.SOA, DnsClass.IN)
            .record(1, soa.owner(), soa.type(), soa.rrClass(), soa.ttl(), soa.rdata())
            .toByteArray();
        byte[] requestMac = null;
        if (tsigKey != null) {
            Tsig.Signed signed = Tsig.sign(msg, tsigKey, null, System.currentTimeMillis() / 1000);
            msg = signed.message();
            requestMac = signed.mac();
        }
        long wait = firstWait.toMillis();
        try (DatagramSocket socket = opener.open()) {
            byte[] in = new byte[4096];
            for (int attempt = 1; attempt <= attempts; attempt++, wait *= 2) {
                if (closed || latest.get(key).get() != mine) {
                    return; // stopped, or a newer serial is being announced to this target
                }
                socket.send(new DatagramPacket(msg, msg.length, target));
                counters.notifySent.increment();
                long until = System.nanoTime() + wait * 1_000_000;
                while (true) {
                    long left = (until - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, left));
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    Integer rcode = answerTo(id, in, p.getLength(), p.getSocketAddress(), target);
                    if (rcode == null) {
                        continue; // not the answer to this NOTIFY (RFC 1996 §4.7: matched by ID and source)
                    }
                    if (tsigKey != null) {
                        TsigResult v = Tsig.verify(java.util.Arrays.copyOf(in, p.getLength()), p.getLength(),
                            TsigKeyring.of(tsigKey), requestMac, System.currentTimeMillis() / 1000,
                            Integer.MAX_VALUE);
                        if (!v.ok()) {
                            counters.notifyFailed.increment();
                            outcomes.put(key, "answer does not verify: " + v.detail());
                            return; // RFC 8945 §5.3: an unsigned or wrongly signed answer is not an answer
                        }
                    }
                    if (rcode == 0) {
                        counters.notifyAnswered.increment();
                        outcomes.put(key, "answered NOERROR at attempt " + attempt);
                    } else {
                        counters.notifyFailed.increment();
                        outcomes.put(key, "answered RCODE " + rcode);
                        LOG.log(System.Logger.Level.WARNING, "NOTIFY for " + zone + " to " + target + ": RCODE "
                            + rcode);
                    }
                    return;
                }
            }
            counters.notifyFailed.increment();
            outcomes.put(key, "no answer after " + attempts + " attempts");
            LOG.log(System.Logger.Level.WARNING, "NOTIFY for " + zone + " to " + target + ": no answer after "
                + attempts + " attempts");
        } catch (IOException | RuntimeException e) {
            counters.notifyFailed.increment();
            outcomes.put(key, "failed: " + e.getMessage());
            LOG.log(System.Logger.Level.WARNING, "NOTIFY for " + zone + " to " + target + " failed: " + e);
        }
    }

    /** @return the RCODE when {@code buf} is the response to NOTIFY {@code id} from {@code target}, else null */
    private static Integer answerTo(int id, byte[] buf, int length, java.net.SocketAddress from,
                                    InetSocketAddress target) {
        if (!from.equals(target)) {
            return null;
        }
        try {
            Message m = MessageReader.read(buf, 0, length);
            if (m.id() != id || !m.flag(Header.FLAG_QR) || m.opcode() != OPCODE_NOTIFY) {
                return null;
            }
            return m.rcode();
        } catch (WireFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
