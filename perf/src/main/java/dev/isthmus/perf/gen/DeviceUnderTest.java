package dev.isthmus.perf.gen;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PortForwardStage;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.pipeline.QueryLogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An Isthmus data plane as the device under test for the generator, on one port (typically the server end of a
 * net_memif): {@code dns} answers queries for a zone with the production DNS pipeline, as the appliance on
 * MAC 02:00:00:00:00:53, 198.18.0.53 and 2001:db8::53; {@code macswap} sends every frame back with its MACs swapped
 * (the data plane's forwarding alone, testpmd's macswap). Prints {@code dut ready} when polling, runs until its
 * standard input closes, then prints the lcore's counters.
 *
 * <p>Usage: {@code DeviceUnderTest dns|macswap DEVICE DEVARGS CPU FILE_PREFIX [ZONE_FILE]}
 */
public final class DeviceUnderTest {

    public static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:53");

    private DeviceUnderTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: DeviceUnderTest dns|macswap DEVICE DEVARGS CPU FILE_PREFIX [ZONE_FILE]");
            System.exit(2);
        }
        String mode = args[0];
        PortConfig port = new PortConfig("dut", args[1], args[2], 1, 1024, 1024, 0, MAC,
                List.of(Ipv4Address.parse("198.18.0.53")), List.of(Ipv6Address.parse("2001:db8::53")), true);
        DataplaneConfig config = new DataplaneConfig("dut", new EalConfig(false, 1024, args[4],
                List.of("--log-level=*:warning")), MempoolConfig.of(16383), List.of(port),
                List.of(new LcoreConfig(Integer.parseInt(args[3]), List.of(new QueueRef("dut", 0)))),
                Duration.ofNanos(100_000), 0, null);
        DnsDataPath dns = null;
        Dataplane dp;
        if (mode.equals("dns")) {
            ZoneCatalog catalog = new ZoneCatalog();
            catalog.load("example.test", Path.of(args.length > 5 ? args[5]
                    : "dns-server/src/main/resources/zones/example.test.zone"));
            DnsDataPath path = new DnsDataPath(catalog, DnsSettings.defaults(), QueryLogSink.discard());
            dns = path;
            dp = Dataplane.start(config, lcore -> Pipeline.of(dnsStages(path, lcore).toArray(PacketStage[]::new)));
        } else if (mode.equals("macswap")) {
            dp = Dataplane.start(config, lcore -> Pipeline.of(new PortForwardStage(new int[] {0}, true)));
        } else {
            throw new IllegalArgumentException("mode must be dns or macswap, got " + mode);
        }
        System.out.println("dut ready");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // runs until the parent closes our standard input
            }
        } catch (IOException e) {
            // parent gone: stop as well
        }
        dp.stop();
        System.out.println("dut rx " + dp.counters().total(LcoreCounters.Lcore.RX_PACKETS) + " tx "
                + dp.counters().total(LcoreCounters.Lcore.TX_PACKETS) + " drops " + dp.counters().drops());
        dp.close();
        if (dns != null) {
            dns.close();
        }
        System.exit(0);
    }

    /** The appliance's stages around the DNS stage, without an exception port (what it would punt is dropped). */
    private static List<PacketStage> dnsStages(DnsDataPath dns, LcoreContext lcore) {
        return StageOrder.ordered(lcore, null, null, true, List.of(dns.dnsStage(lcore)));
    }
}
