package dev.isthmus.vswitch.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainCountersTest {

    @Test
    void theSnapshotListsEveryDropReasonZeroIncluded() {
        DomainCounters counters = new DomainCounters();
        counters.drop(0, VxlanDrop.MTU_EXCEEDED);
        counters.drop(1, VxlanDrop.MTU_EXCEEDED);
        Map<String, Long> snapshot = counters.snapshot();
        assertEquals(2L, snapshot.get("drop_mtu_exceeded"));
        // "None dropped" must read as 0, not as absent: absent is what a renamed counter looks like.
        assertEquals(0L, snapshot.get("drop_unknown_vtep"), snapshot.toString());
        assertEquals(DomainCounter.values().length + VxlanDrop.values().length, snapshot.size(), snapshot.toString());
    }
}
