package dev.isthmus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.dns.ServedZone;
import dev.isthmus.dns.wire.DnsName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsthmusMainTest {

    @Test
    void withoutArgumentsItRunsTheEmbeddedDefault() {
        assertEquals(Optional.of(ConfigLoader.EMBEDDED_DEFAULT), IsthmusMain.parseArguments(new String[0]));
    }

    @Test
    void configNamesTheFile() {
        assertEquals(Optional.of("/etc/isthmus/isthmus.yml"),
                IsthmusMain.parseArguments(new String[] {"--config", "/etc/isthmus/isthmus.yml"}));
        assertEquals(Optional.of("a.yml"), IsthmusMain.parseArguments(new String[] {"--config=a.yml"}));
        assertEquals(Optional.empty(), IsthmusMain.parseArguments(new String[] {"--help"}));
    }

    @Test
    void unknownOrIncompleteArgumentsAreRefused() {
        assertEquals("--config needs a file",
                assertThrows(IllegalArgumentException.class, () -> IsthmusMain.parseArguments(new String[] {"--config"})).getMessage());
        assertEquals("unknown argument '--port'",
                assertThrows(IllegalArgumentException.class, () -> IsthmusMain.parseArguments(new String[] {"--port", "1"})).getMessage());
    }

    /** The vswitch-only configuration of {@code ./isthmus demo vxlan}: no DNS. */
    private static final String VSWITCH_ONLY = """
            eal: {file-prefix: banner}
            lcores: {workers: [-1]}
            ports:
              - {name: uplink, device: net_af_packet0, devargs: "iface=u0", addresses: [198.18.20.1/24]}
              - {name: access, device: net_af_packet1, devargs: "iface=a0", promiscuous: true}
            dns:
              enabled: false
            vswitch:
              underlay: {port: uplink, ipv4: 198.18.20.1/24}
              bridge-domains:
                - {vni: 100, name: demo, ports: [access], vteps: [198.18.20.2]}
            api: {listen: "127.0.0.1:18089"}
            """;

    @Test
    void withDnsOffTheBannerOffersNoDigAndNoZonesButTheBridgeDomains() throws Exception {
        ApplianceConfig config = ConfigLoader.parse("vxlan.yml", VSWITCH_ONLY, Path.of("/etc/isthmus"));
        String banner = IsthmusMain.banner(config, List.of(), true);
        assertFalse(banner.contains("dig"), banner);
        assertFalse(banner.contains("/dns/zones"), banner);
        assertFalse(banner.contains("zone "), banner);
        assertTrue(banner.contains("DNS: off (dns.enabled: false)"), banner);
        assertTrue(banner.contains("vswitch underlay: port uplink, VTEP 198.18.20.1"), banner);
        assertTrue(banner.contains("bridge domain VNI 100 (demo): ports [access], VTEPs [198.18.20.2]"), banner);
        assertTrue(banner.contains("curl http://127.0.0.1:18089/vswitch/bridge-domains/100/fdb"), banner);
        assertTrue(banner.contains("curl http://127.0.0.1:18089/health"), banner);
    }

    @Test
    void withDnsOnTheBannerNamesTheZonesAndHowToQueryThemAndNoVswitch() throws Exception {
        ApplianceConfig config = ConfigLoader.parse("isthmus.yml", """
                eal: {file-prefix: banner}
                lcores: {workers: [-1]}
                ports:
                  - {name: tap0, device: net_tap0, devargs: "iface=x0", addresses: [198.18.0.53/24, "2001:db8::53/64"]}
                api: {listen: "127.0.0.1:8080"}
                """, Path.of("/etc/isthmus"));
        String zoneText = """
                $ORIGIN shop.test.
                @    300 IN SOA ns1 hostmaster 7 3600 900 604800 300
                @    300 IN NS  ns1
                ns1  300 IN A   198.18.0.53
                www  300 IN A   198.18.0.80
                """;
        ServedZone zone = new ServedZone("shop.test", dev.isthmus.dns.engine.ZoneLoader.parse(DnsName.of("shop.test"),
                zoneText, "shop.test.zone"), zoneText, "/etc/isthmus/shop.test.zone", Instant.EPOCH);
        String banner = IsthmusMain.banner(config, List.of(zone), true);
        assertTrue(banner.contains("zone shop.test (serial 7, 4 records) from /etc/isthmus/shop.test.zone"), banner);
        assertTrue(banner.contains("dig @198.18.0.53 www.shop.test\n"), banner);
        assertTrue(banner.contains("dig @2001:db8::53 www.shop.test AAAA"), banner);
        assertTrue(banner.contains("curl -T my.zone http://127.0.0.1:8080/dns/zones/shop.test"), banner);
        assertFalse(banner.contains("vswitch"), banner);
        assertFalse(banner.contains("DNS: off"), banner);
    }

    @Test
    void withTokensTheBannersCurlLinesCarryOneExceptForHealth(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "0123456789abcdef0 write ops\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        ApplianceConfig config = ConfigLoader.parse("isthmus.yml", """
                eal: {file-prefix: banner}
                lcores: {workers: [-1]}
                ports:
                  - {name: tap0, device: net_tap0, devargs: "iface=x0", addresses: [198.18.0.53/24]}
                api: {listen: "0.0.0.0:8080", tokens-file: tokens}
                """, dir);
        String banner = IsthmusMain.banner(config, List.of(), true);
        assertTrue(banner.contains("  curl http://0.0.0.0:8080/health\n"), banner);
        assertTrue(banner.contains("export ISTHMUS_TOKEN=...   # a token of " + tokens), banner);
        assertTrue(banner.contains("  curl -H \"Authorization: Bearer $ISTHMUS_TOKEN\" http://0.0.0.0:8080/stats\n"),
                banner);
        assertTrue(banner.contains("  curl -H \"Authorization: Bearer $ISTHMUS_TOKEN\" -T my.zone "
                + "http://0.0.0.0:8080/dns/zones/example.test"), banner);
        assertFalse(banner.lines().anyMatch(l -> l.contains("curl http") && !l.contains("/health")), banner);
    }
}
