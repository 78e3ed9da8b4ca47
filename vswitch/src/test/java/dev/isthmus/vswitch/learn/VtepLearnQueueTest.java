package dev.isthmus.vswitch.learn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VtepLearnQueueTest {

    private record Request(int vni, boolean ipv6, long high, long low) {
    }

    @Test
    void boundedFifoThatRefusesWhenFullAndFreesOnDrain() {
        final VtepLearnQueue queue = new VtepLearnQueue(4);
        for (int k = 0; k < 4; k++) {
            assertTrue(queue.offer(100 + k, k % 2 == 1, k, 0xC612_0000L + k));
        }
        assertFalse(queue.offer(999, false, 0, 1), "full");
        final List<Request> out = new ArrayList<>();
        assertEquals(4, queue.drain((vni, v6, h, l) -> out.add(new Request(vni, v6, h, l))));
        assertEquals(new Request(100, false, 0, 0xC612_0000L), out.get(0));
        assertEquals(new Request(103, true, 3, 0xC612_0003L), out.get(3));
        assertEquals(0, queue.drain((vni, v6, h, l) -> out.add(null)));
        assertTrue(queue.offer(0xFF_FFFF, true, -1, -1), "room again");
        out.clear();
        queue.drain((vni, v6, h, l) -> out.add(new Request(vni, v6, h, l)));
        assertEquals(List.of(new Request(0xFF_FFFF, true, -1, -1)), out);
        assertThrows(IllegalArgumentException.class, () -> new VtepLearnQueue(3));
    }

    @Test
    void oneProducerAndOneConsumerLoseNothingThatWasAcceptedAndKeepOrder() throws Exception {
        final VtepLearnQueue queue = new VtepLearnQueue(8);
        final int total = 200_000;
        final long[] accepted = new long[1];
        final Thread producer = new Thread(() -> {
            for (int k = 0; k < total; ) {
                if (queue.offer(k, (k & 1) == 0, ~(long) k, k * 31L)) {
                    k++;
                    accepted[0]++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        producer.start();
        final int[] next = {0};
        while (next[0] < total) {
            queue.drain((vni, v6, h, l) -> {
                assertEquals(next[0], vni);
                assertEquals((vni & 1) == 0, v6);
                assertEquals(~(long) vni, h, "a record is never seen half written");
                assertEquals(vni * 31L, l);
                next[0]++;
            });
        }
        producer.join();
        assertEquals(total, accepted[0]);
    }
}
