package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LcoreTest {

    @Test
    void javaThreadRegistersAsAnLcoreAndLeaves() throws InterruptedException {
        Eal.shared();
        AtomicInteger registered = new AtomicInteger(-2);
        AtomicInteger afterUnregister = new AtomicInteger(-2);
        AtomicInteger before = new AtomicInteger(-2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                before.set(Lcore.currentId());
                registered.set(Lcore.registerCurrentThread());
                Lcore.unregisterCurrentThread();
                afterUnregister.set(Lcore.currentId());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        assertEquals(null, failure.get());
        assertEquals(Lcore.NONE, before.get());
        assertNotEquals(Lcore.NONE, registered.get());
        assertEquals(Lcore.NONE, afterUnregister.get());
    }

    @Test
    void threadPinsToAnExistingCpuAndNotToAMissingOne() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Lcore.pinCurrentThread(0);
                DpdkException e = assertThrows(DpdkException.class, () -> Lcore.pinCurrentThread(100_000));
                assertEquals(22, e.errorNumber()); // EINVAL
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        assertEquals(null, failure.get());
    }

    @Test
    void timerSlackIsPerThread() throws InterruptedException {
        long mine = Lcore.timerSlack();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Lcore.setTimerSlack(1);
                assertEquals(1, Lcore.timerSlack());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        assertEquals(null, failure.get());
        assertNotEquals(1, mine, "the default slack (50 µs) is not 1 ns");
        assertEquals(mine, Lcore.timerSlack(), "another thread's slack is not ours");
    }
}
