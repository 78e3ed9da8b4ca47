package dev.isthmus.dataplane.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataplaneConfigTest {

    private static final PortConfig TAP = PortConfig.of("host", "net_tap0", "iface=isthmus0");
    private static final PortConfig NULL = PortConfig.of("sink", "net_null0", "");

    private static String failure(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void virtualConfigurationDerivesEmbeddedEalArguments() {
        DataplaneConfig config = DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191),
                List.of(TAP, NULL), List.of(new LcoreConfig(1, List.of(new QueueRef("host", 0), new QueueRef("sink", 0)))));
        assertEquals(List.of("--no-huge", "--no-shconf", "-m", "512", "--no-pci", "--no-telemetry"),
                EalArguments.of(config));
    }

    @Test
    void pciPortsGoOnTheAllowListWithTheirDevargs() {
        PortConfig nic = new PortConfig("uplink", "0000:03:00.0", "rxq_cqe_comp_en=0", 2, 1024, 1024, 9000, null,
                List.of(), List.of(), false);
        DataplaneConfig config = DataplaneConfig.of("dp", new EalConfig(true, 0, "isthmus", List.of("--log-level=*:info")),
                MempoolConfig.of(16383), List.of(nic), List.of(new LcoreConfig(2, List.of(new QueueRef("uplink", 0))),
                        new LcoreConfig(3, List.of(new QueueRef("uplink", 1)))));
        assertEquals(List.of("-a", "0000:03:00.0,rxq_cqe_comp_en=0", "--file-prefix", "isthmus", "--no-telemetry",
                "--log-level=*:info"), EalArguments.of(config));
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        assertTrue(failure(() -> PortConfig.of("p", "eth0", "")).contains("neither a PCI address"));
        assertTrue(failure(() -> PortConfig.of("1p", "net_null0", "")).contains("must start with a letter"));
        assertTrue(failure(() -> new PortConfig("p", "net_null0", "", 1, 1000, 1024, 0, null, List.of(), List.of(),
                false)).contains("rxDescriptors must be a power of two"));
        assertTrue(failure(() -> new PortConfig("p", "net_null0", "", 1, 1024, 1024, 40, null, List.of(), List.of(),
                false)).contains("mtu"));
        assertTrue(failure(() -> TAP.withAddresses(MacAddress.parse("01:00:5e:00:00:01"), List.of(), List.of()))
                .contains("group address"));
        assertTrue(failure(() -> TAP.withAddresses(null, List.of(Ipv4Address.parse("224.0.0.1")), List.of()))
                .contains("not a unicast"));
        LcoreConfig both = new LcoreConfig(1, List.of(new QueueRef("host", 0), new QueueRef("sink", 0)));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191), List.of(TAP, TAP),
                List.of(both))).contains("two ports are named 'host'"));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191), List.of(TAP, NULL),
                List.of(new LcoreConfig(1, List.of(new QueueRef("host", 0)))))).contains("sink:0 is polled by no lcore"));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191), List.of(TAP, NULL),
                List.of(both, new LcoreConfig(2, List.of(new QueueRef("host", 0)))))).contains("polled by two lcores"));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191), List.of(TAP, NULL),
                List.of(new LcoreConfig(1, List.of(new QueueRef("host", 0), new QueueRef("sink", 1)))))).contains("has 1 rx queue"));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(1023), List.of(TAP, NULL),
                List.of(both))).contains("need at least"));
        assertTrue(failure(() -> DataplaneConfig.of("dp", EalConfig.virtual(), MempoolConfig.of(8191), List.of(TAP, NULL),
                List.of(both)).withPuntPort("kernel")).contains("puntPort 'kernel'"));
        assertTrue(failure(() -> new EalConfig(false, 0, null, List.of())).contains("memoryMb"));
        assertTrue(failure(() -> QueueRef.parse("uplink:x")).contains("port:queue"));
    }
}
