package dev.isthmus.vswitch.fdb;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdbTest {

    private static final int PORT1 = FdbTarget.local(1, 0);
    private static final int PORT2 = FdbTarget.local(2, 0);
    private static final int VTEP7 = FdbTarget.remote(7);

    @Test
    void learnsLooksUpAndRefreshesWithoutChange() {
        Fdb fdb = new Fdb(100, 300);
        long mac = 0x02_00_00_00_00_01L;
        assertEquals(FdbTarget.MISS, fdb.lookup(mac));
        assertEquals(LearnOutcome.LEARNED, fdb.learn(mac, PORT1, 10));
        assertEquals(PORT1, fdb.lookup(mac));
        assertEquals(LearnOutcome.HIT, fdb.learn(mac, PORT1, 11));
        assertEquals(1, fdb.learnedCount());
    }

    @Test
    void repeatedLearningIsAHitThatRefreshesOnlyWhenTheSecondChanges() {
        Fdb fdb = new Fdb(100, 300);
        long sameSecond = 0x02_00_00_00_00_11L;
        long laterSecond = 0x02_00_00_00_00_12L;
        long pinned = 0x02_00_00_00_00_13L;
        fdb.learn(sameSecond, PORT1, 0);
        fdb.learn(laterSecond, PORT1, 0);
        fdb.putStatic(pinned, PORT2);
        for (int k = 0; k < 3; k++) {
            assertEquals(LearnOutcome.HIT, fdb.learn(sameSecond, PORT1, 0), "nothing to write: same port, same second");
            assertEquals(LearnOutcome.HIT, fdb.learn(pinned, PORT2, 250), "static, same target");
        }
        assertEquals(LearnOutcome.HIT, fdb.learn(laterSecond, PORT1, 250), "refreshed to second 250");
        assertEquals(LearnOutcome.HIT, fdb.learn(laterSecond, PORT1, 250));
        assertEquals(1, fdb.maintain(300), "the station not heard since second 0 ages; the refreshed one stays");
        assertEquals(FdbTarget.MISS, fdb.lookup(sameSecond));
        assertEquals(PORT1, fdb.lookup(laterSecond));
        assertEquals(1, fdb.maintain(550));
        assertEquals(PORT2, fdb.lookup(pinned), "static entries never age");
    }

    @Test
    void macAddressZeroIsAValidKey() {
        Fdb fdb = new Fdb(10, 300);
        assertEquals(LearnOutcome.LEARNED, fdb.learn(0L, PORT1, 0));
        assertEquals(PORT1, fdb.lookup(0L));
    }

    @Test
    void stationMovesToAnotherPortAndToAVtep() {
        Fdb fdb = new Fdb(100, 300);
        long mac = 0x02_00_00_00_00_02L;
        fdb.learn(mac, PORT1, 0);
        assertEquals(LearnOutcome.MOVED, fdb.learn(mac, PORT2, 1));
        assertEquals(PORT2, fdb.lookup(mac));
        assertEquals(LearnOutcome.MOVED, fdb.learn(mac, VTEP7, 2));
        assertEquals(VTEP7, fdb.lookup(mac));
        assertEquals(1, fdb.learnedCount());
    }

    @Test
    void agingRemovesSilentStationsOnlyAndKeepsStaticOnes() {
        Fdb fdb = new Fdb(100, 300);
        long quiet = 0x02_00_00_00_00_03L;
        long chatty = 0x02_00_00_00_00_04L;
        long pinned = 0x02_00_00_00_00_05L;
        fdb.learn(quiet, PORT1, 0);
        fdb.learn(chatty, PORT1, 0);
        fdb.putStatic(pinned, PORT2);
        fdb.learn(chatty, PORT1, 200);
        assertEquals(0, fdb.maintain(299));
        assertEquals(1, fdb.maintain(300));
        assertEquals(FdbTarget.MISS, fdb.lookup(quiet));
        assertEquals(PORT1, fdb.lookup(chatty));
        assertEquals(PORT2, fdb.lookup(pinned));
        assertEquals(1, fdb.maintain(10_000));
        assertEquals(PORT2, fdb.lookup(pinned));
        assertEquals(0, fdb.learnedCount());
        assertEquals(1, fdb.staticCount());
        // An aged station comes back on its next frame.
        assertEquals(LearnOutcome.LEARNED, fdb.learn(quiet, PORT2, 10_001));
        assertEquals(PORT2, fdb.lookup(quiet));
    }

    @Test
    void configurableAgingTime() {
        Fdb fdb = new Fdb(100, 300);
        fdb.configure(100, 10);
        fdb.learn(1L, PORT1, 0);
        assertEquals(1, fdb.maintain(10));
    }

    @Test
    void staticEntriesNeitherMoveNorAge() {
        Fdb fdb = new Fdb(100, 300);
        long mac = 0x02_00_00_00_00_06L;
        fdb.learn(mac, PORT1, 0);
        fdb.putStatic(mac, PORT2);
        assertEquals(0, fdb.learnedCount());
        assertEquals(LearnOutcome.STATIC_CONFLICT, fdb.learn(mac, VTEP7, 1));
        assertEquals(LearnOutcome.HIT, fdb.learn(mac, PORT2, 1));
        assertEquals(PORT2, fdb.lookup(mac));
        assertEquals(0, fdb.flush());
        assertEquals(PORT2, fdb.lookup(mac));
        assertTrue(fdb.removeStatic(mac));
        assertFalse(fdb.removeStatic(mac));
        assertEquals(FdbTarget.MISS, fdb.lookup(mac));
        assertEquals(0, fdb.staticCount());
    }

    @Test
    void limitStopsLearningNewMacsButKnownOnesStillMove() {
        Fdb fdb = new Fdb(8, 300);
        for (int i = 1; i <= 8; i++) {
            assertEquals(LearnOutcome.LEARNED, fdb.learn(i, PORT1, 0));
        }
        for (int i = 9; i <= 1000; i++) {
            assertEquals(LearnOutcome.LIMIT_REACHED, fdb.learn(i, PORT1, 0));
        }
        assertEquals(8, fdb.learnedCount());
        assertEquals(LearnOutcome.MOVED, fdb.learn(3, PORT2, 1));
        // Rejected MACs claimed no slot: the table did not grow dead keys.
        assertEquals(FdbTarget.MISS, fdb.lookup(9));
        fdb.flushTarget(PORT1);
        assertEquals(1, fdb.learnedCount());
        assertEquals(LearnOutcome.LEARNED, fdb.learn(9, PORT1, 2));
    }

    @Test
    void flushByTargetRemovesOnlyThatTarget() {
        Fdb fdb = new Fdb(100, 300);
        fdb.learn(1, PORT1, 0);
        fdb.learn(2, VTEP7, 0);
        fdb.putStatic(3, VTEP7);
        assertEquals(2, fdb.flushTarget(VTEP7));
        assertEquals(PORT1, fdb.lookup(1));
        assertEquals(FdbTarget.MISS, fdb.lookup(2));
        assertEquals(FdbTarget.MISS, fdb.lookup(3));
    }

    @Test
    void compactionReclaimsAgedKeysAndKeepsLiveEntries() {
        Fdb fdb = new Fdb(1000, 1);
        int now = 0;
        // Cycle far more distinct MACs through the table than it has slots: only compaction makes that possible.
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1000; i++) {
                long mac = (long) round * 1000 + i + 1;
                assertEquals(LearnOutcome.LEARNED, fdb.learn(mac, PORT1, now), "round " + round + " mac " + i);
            }
            fdb.putStatic(0xAA_0000_0000L + round, PORT2);
            now += 2;
            fdb.maintain(now);
            assertEquals(0, fdb.learnedCount());
        }
        assertEquals(50, fdb.staticCount());
        for (int round = 0; round < 50; round++) {
            assertEquals(PORT2, fdb.lookup(0xAA_0000_0000L + round));
        }
    }

    @Test
    void newLimitRebuildsTable() {
        Fdb fdb = new Fdb(4, 300);
        for (int i = 1; i <= 4; i++) {
            fdb.learn(i, PORT1, 0);
        }
        fdb.configure(100, 300);
        assertEquals(4, fdb.learnedCount());
        assertEquals(LearnOutcome.LEARNED, fdb.learn(5, PORT1, 0));
        fdb.configure(2, 300);
        assertEquals(2, fdb.learnedCount());
    }

    @Test
    void entriesListsMacsWithAges() {
        Fdb fdb = new Fdb(10, 300);
        fdb.learn(0x0A, PORT1, 5);
        fdb.putStatic(0x02, VTEP7);
        var entries = fdb.entries(12);
        assertEquals(2, entries.size());
        assertEquals(new FdbEntry(0x02, VTEP7, true, 0), entries.get(0));
        assertEquals(new FdbEntry(0x0A, PORT1, false, 7), entries.get(1));
    }

    /**
     * Four threads learn overlapping MAC sets against a limit, moving stations between them: the limit holds
     * exactly, every learned MAC is found, and no MAC appears twice.
     */
    @Test
    void concurrentLearningHoldsTheLimitAndNeverDuplicates() throws Exception {
        final int threads = 4;
        final int limit = 5_000;
        final Fdb fdb = new Fdb(limit, 300);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicInteger learned = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int target = FdbTarget.local(t + 1, 0);
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int pass = 0; pass < 3; pass++) {
                        for (long mac = 1; mac <= 8_000; mac++) {
                            int outcome = fdb.learn(mac * 0x1_0001L, target, pass);
                            if (outcome == LearnOutcome.LEARNED) {
                                learned.incrementAndGet();
                            }
                            if (outcome == LearnOutcome.TABLE_FULL) {
                                throw new AssertionError("table full below the limit");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
        assertEquals(limit, fdb.learnedCount());
        assertEquals(limit, learned.get());
        var entries = fdb.entries(3);
        assertEquals(limit, entries.size());
        Set<Long> macs = new HashSet<>();
        for (FdbEntry e : entries) {
            assertTrue(macs.add(e.mac()), "duplicate " + e);
            assertEquals(e.target(), fdb.lookup(e.mac()));
        }
    }

    /** Learners keep running while the control thread ages, flushes and compacts: counts stay consistent. */
    @Test
    void maintenanceConcurrentWithLearning() throws Exception {
        final Fdb fdb = new Fdb(2_000, 1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger clock = new AtomicInteger();
        final ConcurrentHashMap<Integer, Boolean> done = new ConcurrentHashMap<>();
        Thread[] workers = new Thread[3];
        for (int t = 0; t < workers.length; t++) {
            final int id = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int round = 0; round < 200; round++) {
                        for (long mac = 1; mac <= 3_000; mac++) {
                            fdb.learn(mac + round * 7919L, FdbTarget.local(id, 0), clock.get());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.put(id, true);
                }
            });
            workers[t].start();
        }
        while (done.size() < workers.length) {
            fdb.maintain(clock.addAndGet(1));
            if (clock.get() % 7 == 0) {
                fdb.flush();
            }
            assertTrue(fdb.learnedCount() <= 2_000);
        }
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
        assertTrue(fdb.learnedCount() <= 2_000);
        assertEquals(fdb.learnedCount(), fdb.entries(clock.get()).size());
    }
}
