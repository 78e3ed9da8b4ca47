package dev.isthmus.perf.gen;

import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Lcore;
import dev.isthmus.nativebindings.MbufBurst;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The RX lcore: polls RX queue 0 of every port, a burst of 32 at a time, hands each frame to the {@link Receiver}
 * with the burst's arrival time, and frees the burst in one call. Runs until {@link #stop()}.
 */
final class RxLoop implements Runnable {

    private final EthPort[] ports;
    private final Receiver receiver;
    private final int cpu;
    private final StreamCounters totals = new StreamCounters();
    private volatile boolean stop;
    private volatile long allocated = -1;
    private volatile Throwable failure;
    /** Opened once every port has been polled (or the lcore failed): see {@link #awaitFirstPoll}. */
    private final CountDownLatch firstPoll = new CountDownLatch(1);

    RxLoop(EthPort[] ports, Receiver receiver, int cpu) {
        this.ports = ports;
        this.receiver = receiver;
        this.cpu = cpu;
    }

    void stop() {
        stop = true;
    }

    /** Frames received on all ports so far. */
    long frames() {
        return totals.get(StreamCounters.RECEIVED);
    }

    long allocatedBytes() {
        return allocated;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * Waits until this lcore has polled every port once. The generator sends nothing before: a receive posts the
     * buffers some PMDs need before the peer can answer at all (a memif client's receive hands the server the slots
     * of the server-to-client ring; until then the server's transmit finds the ring full and drops), and any answer
     * that arrived before the first poll would wait in the ring with a later arrival time.
     *
     * @return false if it did not happen within the timeout
     */
    boolean awaitFirstPoll(long timeout, TimeUnit unit) throws InterruptedException {
        return firstPoll.await(timeout, unit);
    }

    /**
     * Polls every port once: hands what came to the receiver and frees it. What {@link #run} repeats, and what the TX
     * lcore calls once a turn when it does both ({@link dev.isthmus.perf.gen.profile.Profile#sharedLcore()}).
     *
     * @return the largest burst one port gave (a full one: more may be waiting)
     */
    int poll(MbufBurst burst) {
        final Receiver r = receiver;
        int most = 0;
        for (EthPort port : ports) {
            final int n = burst.receive(port, 0);
            if (n == 0) {
                continue;
            }
            final long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                r.receive(burst.dataAddress(i), burst.dataLength(i), now);
            }
            burst.freeAll();
            totals.add(StreamCounters.RECEIVED, n);
            most = Math.max(most, n);
        }
        return most;
    }

    /** Polls until {@link #stop()} on the calling thread, already an lcore (the shared lcore once TX is done). */
    void pollUntilStopped(MbufBurst burst) {
        while (!stop) {
            poll(burst);
        }
    }

    @Override
    public void run() {
        Lcore.registerCurrentThread();
        MbufBurst burst = new MbufBurst();
        try {
            if (cpu >= 0) {
                Lcore.pinCurrentThread(cpu);
            }
            // Allocation measured as on the TX lcore: after the first second, once the JIT has compiled the loop.
            final AllocationMeter meter = new AllocationMeter(System.nanoTime());
            long now = 0;
            poll(burst);
            firstPoll.countDown();
            while (!stop) {
                now = System.nanoTime();
                meter.turn(now);
                poll(burst);
            }
            allocated = meter.sinceFirstSecond(now);
        } catch (Throwable t) {
            failure = t;
        } finally {
            firstPoll.countDown();
            burst.freeAll();
            Lcore.unregisterCurrentThread();
        }
    }
}
