package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.control.config.DataplanePlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ports[].mtu}: validated, passed to the data plane, and the mbufs' data room sized to hold its frames. */
class PortMtuTest {

    private static ApplianceConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("mtu.yml", yaml, Path.of("/etc/isthmus"));
    }

    @Test
    void aJumboMtuGrowsTheDefaultDataRoomAndReachesTheDataPlane() throws Exception {
        ApplianceConfig config = parse("""
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24], mtu: 9000}
                  - {name: p1, device: net_null1}
                dns: {exception-path: false}
                """);
        assertEquals(9000, config.ports().get(0).mtu());
        assertEquals(0, config.ports().get(1).mtu());
        assertEquals(9000 + 18 + 128, config.mempool().dataRoom());
        dev.isthmus.dataplane.config.DataplaneConfig plan = DataplanePlan.of(config, null);
        assertEquals(9000, plan.ports().get(0).mtu());
        assertEquals(0, plan.ports().get(1).mtu());
        assertEquals(9146, plan.mempool().dataRoom());
    }

    @Test
    void theDefaultMtuKeepsTheDefaultDataRoom() throws Exception {
        assertEquals(2176, parse("""
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24], mtu: 1500}
                """).mempool().dataRoom());
    }

    @Test
    void anExplicitDataRoomTooSmallOrAnMtuOutOfRangeIsRefusedWithTheReason() {
        assertEquals(List.of("mtu.yml:1: mempool.data-room-size: 2176 bytes hold frames up to 2048 bytes, but a"
                + " port's mtu 9000 needs at least 9146 (mtu + 18 Ethernet and VLAN + 128 headroom)"),
                assertThrows(ConfigException.class, () -> parse("""
                        mempool: {data-room-size: 2176}
                        ports:
                          - {name: p0, device: net_null0, addresses: [198.18.0.53/24], mtu: 9000}
                        """)).problems());
        assertEquals(List.of("mtu.yml:2: ports[0].mtu: must be 0 (the device's) or 68..9600 (RFC 791: every IPv4"
                + " link carries 68 bytes), not 60"), assertThrows(ConfigException.class, () -> parse("""
                        ports:
                          - {name: p0, device: net_null0, addresses: [198.18.0.53/24], mtu: 60}
                        """)).problems());
    }
}
