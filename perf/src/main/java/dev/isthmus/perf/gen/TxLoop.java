package dev.isthmus.perf.gen;

import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Lcore;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import java.lang.management.ManagementFactory;

/**
 * The TX lcore: every turn, for each stream, retries what the port did not take last time, else asks the stream's
 * {@link Pacer} how many packets are due, allocates that many mbufs (at most a burst of 32) in one call, writes
 * each from the stream's template ({@link StreamPackets#write}) and offers the burst to the port's TX queue 0. One
 * {@code System.nanoTime()} per turn stamps the burst. A stream with a count stops when it has sent it; the loop
 * ends when every stream has, or when {@link #stop()} is called. Allocates nothing per packet: the bytes it
 * allocated inside the loop after its first second are reported ({@link #allocatedBytes()}, -1 for a shorter run)
 * to show it.
 */
final class TxLoop implements Runnable {

    /** One stream as the TX lcore drives it. */
    static final class TxStream {
        final StreamPackets packets;
        final EthPort port;
        final double pps;
        final long limit;
        final StreamCounters counters;
        final DnsOutstanding dns;
        /** Where its mbufs come from: a pool of its own whose mbufs hold its template when it is resident. */
        final Mempool pool;
        final boolean resident;
        /** For a resident stream: its packets' data address minus their mbuf's. */
        final long dataOffset;
        final MbufBurst burst = new MbufBurst();
        Pacer pacer;
        long built;
        boolean done;

        /**
         * @param pool     the mbufs; with {@code resident}, every one of them already holds the stream's template
         *                 ({@link StreamPackets#copyTemplate}) and only the varying fields are written per packet
         */
        TxStream(StreamPackets packets, EthPort port, double pps, long count, StreamCounters counters,
                DnsOutstanding dns, Mempool pool, boolean resident, long dataOffset) {
            this.dataOffset = dataOffset;
            this.packets = packets;
            this.pool = pool;
            this.resident = resident;
            this.port = port;
            this.pps = pps;
            this.limit = count == 0 ? Long.MAX_VALUE : count;
            this.counters = counters;
            this.dns = dns;
        }
    }

    /** Most RX bursts the shared lcore takes in one turn, so that a flood of answers cannot stop TX. */
    private static final int SHARED_RX_POLLS = 4;

    private final TxStream[] streams;
    private final int cpu;
    /** The receiver this lcore polls once a turn, and until it is stopped once TX is done; null: RX has its own. */
    private final RxLoop rx;
    private final MbufBurst rxBurst = new MbufBurst();
    private volatile boolean stop;
    private volatile boolean finished;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile long allocated = -1;
    private volatile long cpuNanos = -1;
    private volatile Throwable failure;

    TxLoop(TxStream[] streams, int cpu, RxLoop rx) {
        this.streams = streams;
        this.rx = rx;
        this.cpu = cpu;
    }

    void stop() {
        stop = true;
    }

    boolean finished() {
        return finished;
    }

    /** Nanoseconds between the first and the last turn, on the pacers' clock. */
    long elapsedNanos() {
        long end = endNanos;
        return (end == 0 ? System.nanoTime() : end) - startNanos;
    }

    long allocatedBytes() {
        return allocated;
    }

    /** CPU time the TX lcore's thread got over the whole loop (for rates per CPU-second on a shared machine). */
    long cpuNanos() {
        return cpuNanos;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        Lcore.registerCurrentThread();
        try {
            if (cpu >= 0) {
                Lcore.pinCurrentThread(cpu);
            }
            loop();
        } catch (Throwable t) {
            failure = t;
        } finally {
            for (TxStream s : streams) {
                s.burst.freeAll(); // built but never taken by the port: not counted as sent
            }
            finished = true;
        }
        try {
            if (rx != null && failure == null) {
                rx.pollUntilStopped(rxBurst); // the answers still in flight
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            rxBurst.freeAll();
            Lcore.unregisterCurrentThread();
        }
    }

    private void loop() {
        final TxStream[] ss = streams;
        if (rx != null) {
            rx.poll(rxBurst); // receive before sending: RxLoop.awaitFirstPoll says why
        }
        long start = System.nanoTime();
        startNanos = start;
        for (TxStream s : ss) {
            s.pacer = new Pacer(s.pps, start);
        }
        final AllocationMeter meter = new AllocationMeter(start);
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long cpu0 = mx.getCurrentThreadCpuTime();
        long lastTurn = start;
        while (!stop) {
            final long now = System.nanoTime();
            lastTurn = now;
            meter.turn(now);
            boolean active = false;
            for (TxStream s : ss) {
                if (s.done) {
                    continue;
                }
                active = true;
                final MbufBurst b = s.burst;
                if (!b.isEmpty()) {
                    s.counters.add(StreamCounters.SENT, b.transmit(s.port, 0));
                    if (!b.isEmpty()) {
                        continue;
                    }
                }
                long target = Math.min(s.pacer.due(now), s.limit);
                long want = target - s.built;
                if (want <= 0) {
                    s.done = s.built == s.limit;
                    continue;
                }
                final int n = (int) Math.min(want, MbufBurst.MAX);
                if (!b.allocate(s.pool, n)) {
                    s.counters.increment(StreamCounters.NO_MBUF);
                    continue;
                }
                final StreamPackets p = s.packets;
                final DnsOutstanding dns = s.dns;
                long k = s.built;
                // One test per burst picks the loop: resident mbufs get their varying fields, others the template.
                if (s.resident) {
                    p.fillResident(b, n, k, now, s.dataOffset);
                    if (dns != null) {
                        for (int i = 0; i < n; i++) {
                            dns.sent(k + i, 0, now);
                        }
                    }
                    k += n;
                } else {
                    for (int i = 0; i < n; i++, k++) {
                        b.setDataLength(i, p.write(b.dataAddress(i), k, now));
                        if (dns != null) {
                            dns.sent(k, p.lastEntry(), now);
                        }
                    }
                }
                s.built = k;
                s.counters.add(StreamCounters.SENT, b.transmit(s.port, 0));
            }
            if (rx != null) {
                // Up to four bursts a turn while they come full: answers arrive as fast as queries leave, and a
                // receive ring left full drops them before the receiver counts them.
                for (int polls = 0; polls < SHARED_RX_POLLS && rx.poll(rxBurst) == MbufBurst.MAX; polls++) {
                    // drained a full burst: poll again
                }
            }
            if (!active) {
                break;
            }
        }
        // The run ends at the last turn's clock: what was sent is what the pacers allowed by then.
        endNanos = lastTurn;
        cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
        allocated = meter.sinceFirstSecond(lastTurn);
    }
}
