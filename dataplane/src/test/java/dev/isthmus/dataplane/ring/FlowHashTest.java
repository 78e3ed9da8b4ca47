package dev.isthmus.dataplane.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowHashTest {

    private static long hashOf(byte[] frame, boolean symmetric) {
        try (NativeFrame f = new NativeFrame(frame)) {
            return FlowHash.hash(f.address(), f.length(), symmetric);
        }
    }

    @Test
    void oneFlowOneHashDirectionsAlikeWhenSymmetric() {
        List<byte[]> p = Scapy.build(List.of(
                "Ether()/IP(src='198.18.0.1', dst='198.18.0.2', id=1)/UDP(sport=1000, dport=53)/Raw(b'a')",
                "Ether()/IP(src='198.18.0.1', dst='198.18.0.2', id=2, ttl=3)/UDP(sport=1000, dport=53)/Raw(b'bbbb')",
                "Ether()/IP(src='198.18.0.2', dst='198.18.0.1')/UDP(sport=53, dport=1000)",
                "Ether()/IP(src='198.18.0.1', dst='198.18.0.2')/UDP(sport=1001, dport=53)",
                "Ether()/Dot1Q(vlan=5)/IPv6(src='2001:db8::1', dst='2001:db8::2')/TCP(sport=5, dport=80)",
                "Ether()/IPv6(src='2001:db8::1', dst='2001:db8::2')/TCP(sport=5, dport=80)",
                "Ether()/IPv6(src='2001:db8::2', dst='2001:db8::1')/TCP(sport=80, dport=5)"));
        assertEquals(hashOf(p.get(0), false), hashOf(p.get(1), false), "same 5-tuple, other fields differ");
        assertNotEquals(hashOf(p.get(0), false), hashOf(p.get(2), false));
        assertEquals(hashOf(p.get(0), true), hashOf(p.get(2), true), "reverse direction, symmetric");
        assertNotEquals(hashOf(p.get(0), false), hashOf(p.get(3), false), "source port differs");
        assertEquals(hashOf(p.get(4), false), hashOf(p.get(5), false), "VLAN tag is not part of the flow");
        assertEquals(hashOf(p.get(5), true), hashOf(p.get(6), true));
        assertEquals(0, FlowHash.hash(0, 10, false), "short frame reads nothing");
    }

    @Test
    void flowsSpreadOverWorkers() {
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expressions.add("Ether()/IP(src='198.18." + (i / 200) + "." + (i % 200) + "', dst='198.19.0.1')/UDP(sport="
                    + (1024 + i) + ", dport=53)");
        }
        int[] perWorker = new int[4];
        for (byte[] frame : Scapy.build(expressions)) {
            perWorker[FlowHash.select(hashOf(frame, false), 4)]++;
        }
        for (int count : perWorker) {
            assertTrue(count > 50 && count < 150, java.util.Arrays.toString(perWorker));
        }
    }
}
