package dev.isthmus.control.config;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.StaticEntryView;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.StaticEntry;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.wire.VxlanHeader;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Turns the vswitch's views (the form the configuration file, the REST API and the journal share) into the
 * vswitch's own configuration records, which validate them. One conversion for the REST API ({@code VswitchService})
 * and for the configuration file's check at load ({@link StartChecks}), so both refuse the same things.
 */
public final class VswitchViews {

    private VswitchViews() {
    }

    /**
     * @param portId   a port's number by name (throws {@link RejectedException} for an unknown name)
     * @param portMacs the MAC of a port by its number, when known (the underlay's default MAC)
     * @throws RejectedException naming what is wrong; the vswitch's own records throw
     *                           {@link IllegalArgumentException} for the rest
     */
    public static UnderlayConfig underlay(UnderlayView v, ToIntFunction<String> portId,
                                          IntFunction<Optional<String>> portMacs) {
        if (v.ipv4() == null && v.ipv6() == null) {
            throw new RejectedException("invalid underlay, nothing changed", List.of("ipv4 or ipv6 is required"));
        }
        try {
            IpPrefix v4 = v.ipv4() == null ? null : IpPrefix.parse(v.ipv4());
            IpPrefix v6 = v.ipv6() == null ? null : IpPrefix.parse(v.ipv6());
            if (v4 != null && v4.isIpv6() || v6 != null && !v6.isIpv6()) {
                throw new IllegalArgumentException("ipv4 must be an IPv4 prefix and ipv6 an IPv6 prefix");
            }
            int port = portId.applyAsInt(v.port());
            String mac = v.mac() != null ? v.mac() : portMacs.apply(port).orElseThrow(() -> new RejectedException(
                    "invalid underlay, nothing changed",
                    List.of("mac is required while the data plane does not run (the default is the port's own)")));
            return new UnderlayConfig(port, mac(mac),
                    v4 == null ? null : Ipv4Address.parse(v4.address().getHostAddress()), v4 == null ? 0 : v4.prefixLength(),
                    v.ipv4Gateway() == null ? null : Ipv4Address.parse(v.ipv4Gateway()),
                    v6 == null ? null : Ipv6Address.parse(v6.address().getHostAddress()), v6 == null ? 0 : v6.prefixLength(),
                    v.ipv6Gateway() == null ? null : Ipv6Address.parse(v.ipv6Gateway()),
                    v.udpPort() == null ? VxlanHeader.IANA_UDP_PORT : v.udpPort(),
                    v.mtu() == null ? UnderlayConfig.DEFAULT_MTU : v.mtu());
        } catch (IllegalArgumentException e) {
            throw new RejectedException("invalid underlay, nothing changed", List.of(e.getMessage()));
        }
    }

    /** @param portId a port's number by name (throws {@link RejectedException} for an unknown name) */
    public static BridgeDomainConfig bridgeDomain(BridgeDomainView v, ToIntFunction<String> portId) {
        BridgeDomainConfig defaults = BridgeDomainConfig.of(v.vni());
        List<AccessPort> accessPorts = v.ports().stream().map(p -> accessPort(p, portId)).toList();
        List<VtepAddress> vteps = v.vteps().stream().map(VtepAddress::parse).toList();
        List<StaticEntry> statics = v.staticEntries().stream().map(e -> staticEntry(e, portId)).toList();
        return new BridgeDomainConfig(v.vni(), v.name(), accessPorts, vteps, statics, List.of(),
                v.macLimit() == null ? defaults.macLimit() : v.macLimit(),
                v.agingSeconds() == null ? defaults.agingSeconds() : v.agingSeconds(),
                v.arpSuppression() == null ? defaults.arpSuppression() : v.arpSuppression(),
                v.learnVteps() == null ? defaults.learnVteps() : v.learnVteps(),
                v.maxLearnedVteps() == null ? defaults.maxLearnedVteps() : v.maxLearnedVteps());
    }

    public static StaticEntry staticEntry(StaticEntryView v, ToIntFunction<String> portId) {
        if ((v.port() == null) == (v.vtep() == null)) {
            throw new RejectedException("invalid static entry, nothing changed",
                    List.of("static entry " + v.mac() + " needs exactly one of port and vtep"));
        }
        MacAddress mac = mac(v.mac());
        return v.port() != null ? StaticEntry.atPort(mac, accessPort(v.port(), portId))
                : StaticEntry.atVtep(mac, VtepAddress.parse(v.vtep()));
    }

    public static AccessPort accessPort(PortRef ref, ToIntFunction<String> portId) {
        return new AccessPort(portId.applyAsInt(ref.port()), ref.vlan());
    }

    /** @throws RejectedException when {@code text} is not a MAC address */
    public static MacAddress mac(String text) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RejectedException("invalid MAC address, nothing changed", List.of(e.getMessage()));
        }
    }
}
