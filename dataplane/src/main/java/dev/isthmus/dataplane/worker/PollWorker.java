package dev.isthmus.dataplane.worker;

import dev.isthmus.dataplane.config.IdlePolicy;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Lcore;
import dev.isthmus.nativebindings.MbufBurst;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One poll-mode lcore: a platform thread, registered with DPDK ({@code rte_thread_register}, so it has an lcore id
 * and a mempool cache) and pinned to its CPU, that polls its inputs in turn — receive a burst, run the pipeline,
 * carry out the verdicts — and sends partial TX bursts once they have waited {@code drainNanos} (as l2fwd's
 * TSC-timed drain).
 *
 * <p>The loop takes no lock, allocates nothing and makes no system call while there is traffic (an idle lcore under
 * the adaptive {@link IdlePolicy} sleeps); {@link System#nanoTime()} (a vDSO read of
 * the TSC) is read once per turn that received packets or has a partial burst waiting. A stage that throws costs
 * its burst — undecided packets dropped as {@code STAGE_FAILED}, counted, the first failure logged — and the loop
 * goes on. {@link #stop()} ends the loop, sends what is buffered, frees what cannot be sent, and joins the thread;
 * {@link #start()} may then run it again.
 */
public final class PollWorker {

    private static final System.Logger LOG = System.getLogger(PollWorker.class.getName());
    private static final int STAGE_FAILED = DropReasons.code(DataplaneDrop.STAGE_FAILED);

    private final String name;
    private final int cpu;
    private final WorkerInput[] inputs;
    private final Pipeline pipeline;
    private final LcoreCounters counters;
    private final long drainNanos;
    private final IdlePolicy idle;
    private final VerdictDispatcher dispatcher;
    private final PacketFrame frame;
    private final MbufBurst in = new MbufBurst();
    private final long[] ringBatch = new long[MbufBurst.MAX];

    private volatile boolean running;
    private volatile int lcoreId = Lcore.NONE;
    private volatile Throwable startFailure;
    private Thread thread;
    private boolean failureLogged;

    /**
     * @param index        the lcore's position; also its TX queue on every port
     * @param name         thread and counters name, e.g. {@code lcore0}
     * @param cpu          CPU to pin to, or -1 to leave the thread unpinned
     * @param inputs       RX queues and rings this worker alone polls
     * @param ports        every port of the dataplane, by port number; null where this lcore has no TX queue
     * @param portTable    the ports' numbers, DPDK ids and RX offloads (for the frame's input ports and checksum
     *                     verdicts)
     * @param handoff      rings this worker may hand packets to ({@link PacketFrame#handOff} numbers them)
     * @param punt         where punted packets go
     * @param pipeline     this lcore's own pipeline
     * @param counters     this lcore's counters
     * @param drainNanos   longest a partial TX burst waits
     * @param idle         spin, or sleep adaptively, when the inputs are empty
     */
    public PollWorker(int index, String name, int cpu, List<WorkerInput> inputs, EthPort[] ports, PortTable portTable,
            MbufRing[] handoff, PuntPath punt, Pipeline pipeline, LcoreCounters counters, long drainNanos,
            IdlePolicy idle) {
        this.name = name;
        this.cpu = cpu;
        this.inputs = inputs.toArray(WorkerInput[]::new);
        this.pipeline = pipeline;
        this.counters = counters;
        this.drainNanos = drainNanos;
        this.idle = idle;
        this.dispatcher = new VerdictDispatcher(ports, index, handoff, punt, counters);
        this.frame = new PacketFrame(portTable, dispatcher);
    }

    public String name() {
        return name;
    }

    public LcoreCounters counters() {
        return counters;
    }

    /** The DPDK lcore id while the thread runs, else {@link Lcore#NONE}. */
    public int lcoreId() {
        return lcoreId;
    }

    /** True while the poll loop runs. */
    public boolean isPolling() {
        return running && lcoreId != Lcore.NONE;
    }

    /**
     * Starts the poll thread and waits until it has registered and pinned itself.
     *
     * @throws IllegalStateException when it is already running, or registration or pinning failed (the cause says why)
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " is already running");
        }
        CountDownLatch ready = new CountDownLatch(1);
        startFailure = null;
        running = true;
        thread = Thread.ofPlatform().name("isthmus-" + name).daemon(true).unstarted(() -> run(ready));
        thread.start();
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        Throwable failure = startFailure;
        if (failure != null) {
            joinQuietly();
            throw new IllegalStateException(name + " could not start: " + failure.getMessage(), failure);
        }
    }

    /** Ends the loop, flushes and frees what it holds, and waits for the thread. Idempotent. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        joinQuietly();
    }

    private void joinQuietly() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        thread = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(CountDownLatch ready) {
        try {
            lcoreId = Lcore.registerCurrentThread();
            if (cpu >= 0) {
                Lcore.pinCurrentThread(cpu);
            }
            if (idle.adaptive()) {
                // Without this a parkNanos(1 µs) sleeps 50 µs or more (the default timer slack): the policy's short
                // first sleeps, and its wake-up bound, would be fiction.
                Lcore.setTimerSlack(1);
            }
        } catch (RuntimeException e) {
            startFailure = e;
            running = false;
            if (lcoreId != Lcore.NONE) {
                Lcore.unregisterCurrentThread();
                lcoreId = Lcore.NONE;
            }
            ready.countDown();
            return;
        }
        ready.countDown();
        try {
            loop();
        } finally {
            in.freeAll();
            dispatcher.flushAll();
            Lcore.unregisterCurrentThread();
            lcoreId = Lcore.NONE;
        }
    }

    private void loop() {
        final WorkerInput[] inputs = this.inputs;
        final LcoreCounters counters = this.counters;
        final VerdictDispatcher dispatcher = this.dispatcher;
        final long drainNanos = this.drainNanos;
        final boolean adaptive = idle.adaptive();
        final int emptyPollsBeforeSleep = idle.emptyPolls();
        final long maxSleep = idle.maxSleep().toNanos();
        int emptyPolls = 0;
        long sleep = IdlePolicy.FIRST_SLEEP_NANOS;
        long lastDrain = System.nanoTime();
        while (running) {
            boolean received = false;
            long now = 0;
            for (int k = 0; k < inputs.length; k++) {
                int n = receive(inputs[k]);
                if (n == 0) {
                    continue;
                }
                if (!received) {
                    received = true;
                    now = System.nanoTime();
                }
                long bytes = 0;
                for (int i = 0; i < n; i++) {
                    bytes += in.dataLength(i);
                }
                counters.received(k, n, bytes);
                process(inputs[k], now);
            }
            counters.increment(LcoreCounters.Lcore.LOOPS);
            if (!received) {
                counters.increment(LcoreCounters.Lcore.IDLE_LOOPS);
            }
            if (dispatcher.hasPartialOutputs()) {
                if (now == 0) {
                    now = System.nanoTime();
                }
                if (now - lastDrain >= drainNanos) {
                    dispatcher.flushAll();
                    counters.increment(LcoreCounters.Lcore.TIMED_DRAINS);
                    lastDrain = now;
                }
            } else {
                lastDrain = now == 0 ? lastDrain : now;
            }
            if (adaptive) {
                if (received) {
                    emptyPolls = 0;
                    sleep = IdlePolicy.FIRST_SLEEP_NANOS;
                } else if (++emptyPolls >= emptyPollsBeforeSleep && !dispatcher.hasPartialOutputs()) {
                    // Idle with nothing buffered: give the core back for a while, twice as long each empty turn up to
                    // the bound, which is the longest a packet arriving now waits (IdlePolicy).
                    counters.increment(LcoreCounters.Lcore.IDLE_SLEEPS);
                    LockSupport.parkNanos(sleep);
                    sleep = Math.min(sleep << 1, maxSleep);
                }
            }
        }
    }

    private int receive(WorkerInput input) {
        if (input instanceof WorkerInput.RxQueue rx) {
            return in.receive(rx.port(), rx.queue());
        }
        WorkerInput.Ring ring = (WorkerInput.Ring) input;
        int n = ring.ring().dequeueBurst(ringBatch, 0, MbufBurst.MAX);
        for (int i = 0; i < n; i++) {
            in.add(ringBatch[i]);
        }
        return n;
    }

    private void process(WorkerInput input, long now) {
        if (input instanceof WorkerInput.RxQueue rx) {
            frame.reset(in, rx.portNumber(), rx.queue(), now);
        } else {
            frame.reset(in, -1, ((WorkerInput.Ring) input).ringNumber(), now);
        }
        try {
            pipeline.process(frame);
        } catch (Throwable t) {
            stageFailed(t);
            frame.dropAllNotConsumed(STAGE_FAILED);
        }
        dispatcher.dispatch(frame);
    }

    private void stageFailed(Throwable t) {
        counters.increment(LcoreCounters.Lcore.STAGE_FAILURES);
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
        if (!failureLogged) {
            failureLogged = true;
            LOG.log(System.Logger.Level.ERROR, name + ": a pipeline stage threw; its burst was dropped as STAGE_FAILED. "
                    + "Later failures are only counted (stage_failures).", t);
        }
    }
}
