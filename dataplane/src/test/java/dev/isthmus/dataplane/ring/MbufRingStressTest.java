package dev.isthmus.dataplane.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Concurrent checked harness for {@link MbufRing}: producers enqueue tagged sequence numbers (producer id in the top
 * bits) in random bulk/burst sizes while consumers dequeue in random sizes; every bulk call must move all it was
 * asked or nothing (a burst may move part), and afterwards every value must have been received exactly once, and
 * each consumer must have seen each producer's values in increasing order (FIFO per producer: with several
 * consumers, one consumer's view of a producer is a subsequence of its order).
 */
class MbufRingStressTest {

    private static final int PER_PRODUCER = 250_000;

    @ParameterizedTest(name = "{0} producers, {1} consumers, capacity {2}")
    @CsvSource({"1, 1, 64", "1, 1, 2", "2, 2, 64", "3, 2, 16", "2, 3, 1024", "4, 1, 32", "1, 4, 32"})
    void nothingLostNothingDuplicatedFifoPerProducer(int producers, int consumers, int capacity) throws Exception {
        RingSync producerSync = producers == 1 ? RingSync.SINGLE : RingSync.MULTI;
        RingSync consumerSync = consumers == 1 ? RingSync.SINGLE : RingSync.MULTI;
        try (MbufRing ring = new MbufRing("stress", capacity, producerSync, consumerSync)) {
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            BitSet[][] seen = new BitSet[consumers][producers];
            long total = (long) producers * PER_PRODUCER;
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

            for (int p = 0; p < producers; p++) {
                final int id = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).unstarted(() -> {
                    SplittableRandom random = new SplittableRandom(id);
                    long[] batch = new long[32];
                    long next = 1;
                    await(start);
                    while (next <= PER_PRODUCER && failure.get() == null) {
                        int n = (int) Math.min(1 + random.nextInt(32), PER_PRODUCER - next + 1);
                        for (int i = 0; i < n; i++) {
                            batch[i] = ((long) (id + 1) << 40) | (next + i);
                        }
                        boolean bulk = random.nextBoolean();
                        int done = bulk ? ring.enqueueBulk(batch, 0, n) : ring.enqueueBurst(batch, 0, n);
                        // A burst may move fewer than asked; a bulk moves all n or none.
                        if (bulk && done != 0 && done != n) {
                            failure.compareAndSet(null, "producer " + id + ": enqueueBulk of " + n + " moved " + done);
                            return;
                        }
                        if (done < 0 || done > n) {
                            failure.compareAndSet(null, "producer " + id + ": enqueue of " + n + " reported " + done);
                            return;
                        }
                        next += done;
                        if (done == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }));
            }
            for (int c = 0; c < consumers; c++) {
                final int id = c;
                for (int p = 0; p < producers; p++) {
                    seen[c][p] = new BitSet(PER_PRODUCER + 1);
                }
                threads.add(Thread.ofPlatform().name("consumer-" + c).unstarted(() -> {
                    SplittableRandom random = new SplittableRandom(100 + id);
                    long[] batch = new long[32];
                    long[] last = new long[producers];
                    await(start);
                    while (received.get() < total && failure.get() == null) {
                        int want = 1 + random.nextInt(32);
                        boolean bulk = random.nextBoolean();
                        int got = bulk ? ring.dequeueBulk(batch, 0, want) : ring.dequeueBurst(batch, 0, want);
                        if (bulk && got != 0 && got != want || got < 0 || got > want) {
                            failure.compareAndSet(null, "consumer " + id + ": " + (bulk ? "dequeueBulk" : "dequeueBurst")
                                    + " of " + want + " moved " + got);
                            return;
                        }
                        if (got == 0) {
                            Thread.onSpinWait();
                            continue;
                        }
                        for (int i = 0; i < got; i++) {
                            long value = batch[i];
                            int producer = (int) (value >>> 40) - 1;
                            long sequence = value & ((1L << 40) - 1);
                            if (producer < 0 || producer >= producers || sequence < 1 || sequence > PER_PRODUCER) {
                                failure.compareAndSet(null, "consumer " + id + " got garbage " + Long.toHexString(value));
                                return;
                            }
                            if (sequence <= last[producer]) {
                                failure.compareAndSet(null, "consumer " + id + " saw producer " + producer + " out of order: "
                                        + sequence + " after " + last[producer]);
                                return;
                            }
                            last[producer] = sequence;
                            seen[id][producer].set((int) sequence);
                        }
                        received.addAndGet(got);
                    }
                }));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread thread : threads) {
                thread.join(120_000);
                assertTrue(!thread.isAlive(), thread.getName() + " did not finish (lost entries?) " + failure.get());
            }
            assertNull(failure.get());
            assertEquals(total, received.get());
            for (int p = 0; p < producers; p++) {
                BitSet all = new BitSet(PER_PRODUCER + 1);
                long count = 0;
                for (int c = 0; c < consumers; c++) {
                    BitSet mine = seen[c][p];
                    assertTrue(!all.intersects(mine), "a value of producer " + p + " reached two consumers");
                    all.or(mine);
                    count += mine.cardinality();
                }
                assertEquals(PER_PRODUCER, count, "producer " + p);
                assertEquals(PER_PRODUCER, all.cardinality(), "producer " + p);
                assertEquals(1, all.nextSetBit(0));
            }
            assertTrue(ring.isEmpty());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
