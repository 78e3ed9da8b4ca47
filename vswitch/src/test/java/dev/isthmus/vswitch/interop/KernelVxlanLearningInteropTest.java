package dev.isthmus.vswitch.interop;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.testing.Prerequisites;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.LearnedVtepView;
import dev.isthmus.vswitch.control.VswitchControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VTEP learning against the Linux kernel's VxLAN: the topology of {@link KernelVxlanInteropTest}
 * ({@link KernelVtepTopology}, letter l, subnet 11), but VNI 100 has an empty flood list and learns VTEPs, so the
 * kernel VTEP is known to Isthmus only from its traffic. h2 speaks first (the kernel floods its ARP request to us,
 * its configured remote): those first packets are dropped and the kernel VTEP learned; the kernel's retries then get
 * through, and the ping works both ways through the learned VTEP.
 */
class KernelVxlanLearningInteropTest {

    private static KernelVtepTopology net;
    private static VswitchControl control;

    @BeforeAll
    static void topology() {
        Prerequisites.requireRoot("namespaces, veths and the kernel vxlan device");
        net = new KernelVtepTopology('l', 11);
        // No flood list: the kernel VTEP is accepted only once learned.
        net.start((domain, kernel) -> domain.withVtepLearning(true, 4));
        control = net.control;
    }

    @AfterAll
    static void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void theKernelVtepIsLearnedFromItsFirstPacketsAndPingWorksThroughIt() {
        assertTrue(control.learnedVteps(100).isEmpty());
        // h2 speaks first: its first ARP requests are dropped while the kernel net.vtepNamespace is learned; ARP retries once a
        // second, so a bounded number of echoes and "some received".
        Shell.Result first = TestNetns.run(40, net.h2, "ping", "-c", "12", "-i", "0.5", "-W", "2", net.h1Address);
        assertTrue(first.ok() && !first.output().contains(" 0 received"), first.output());
        assertEquals(List.of(VtepAddress.parse(net.kernelVtep)),
                control.learnedVteps(100).stream().map(LearnedVtepView::address).toList());
        assertTrue(control.bridgeDomain(100).floodList().isEmpty(), "learned, not configured");
        // Now both ways at once.
        Shell.Result again = TestNetns.run(30, net.h1, "ping", "-c", "3", "-i", "0.2", "-W", "2", net.h2Address);
        assertTrue(again.ok() && again.output().contains("3 received"), again.output());

        List<FdbEntryView> ours = control.fdb(100);
        FdbEntryView h2 = ours.stream().filter(e -> e.mac().toString().equals(net.h2Mac)).findFirst().orElse(null);
        assertNotNull(h2, "h2 learned: " + ours);
        assertEquals(VtepAddress.parse(net.kernelVtep), h2.vtep(), "behind the learned net.vtepNamespace");
        Map<String, Long> counters = control.domainCounters(100);
        assertTrue(counters.get("drop_vtep_learning") > 0, counters.toString());
        assertEquals(1L, counters.get("vteps_learned"), counters.toString());
        assertTrue(counters.get("rx_remote") > 0 && counters.get("tx_remote") > 0, counters.toString());
        assertEquals(0L, counters.get("drop_unknown_vtep"), "present and zero: " + counters);
        String kernel = TestNetns.exec(net.vtepNamespace, "bridge", "fdb", "show", "dev", net.vxlanDevice);
        assertTrue(kernel.contains(net.h1Mac + " dst " + net.ourVtep), "the kernel learned h1 behind us: " + kernel);
    }
}
