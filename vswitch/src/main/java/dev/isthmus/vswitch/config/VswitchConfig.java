package dev.isthmus.vswitch.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole vswitch configuration: the underlay and every bridge domain, validated as a whole — each VNI once,
 * each access port (port, VLAN) in at most one domain and never the uplink, every remote VTEP reachable over an
 * underlay family and not this VTEP's own address. Built whole or not at all.
 *
 * @param underlay the underlay, or null while none is configured (bridge domains then switch locally only and
 *                 may have no flood list)
 * @param domains the bridge domains, sorted by VNI
 */
public record VswitchConfig(UnderlayConfig underlay, List<BridgeDomainConfig> domains) {

    public VswitchConfig {
        TreeMap<Integer, BridgeDomainConfig> byVni = new TreeMap<>();
        Map<AccessPort, Integer> portOwner = new HashMap<>();
        for (BridgeDomainConfig domain : domains == null ? List.<BridgeDomainConfig>of() : domains) {
            if (byVni.put(domain.vni(), domain) != null) {
                throw new VswitchConfigException(VswitchConfigException.Kind.CONFLICT,
                        "bridge domain VNI " + domain.vni() + " defined twice");
            }
            for (AccessPort port : domain.ports()) {
                Integer other = portOwner.putIfAbsent(port, domain.vni());
                if (other != null) {
                    throw new VswitchConfigException(VswitchConfigException.Kind.CONFLICT,
                            port + " is already an access port of VNI " + other);
                }
                if (underlay != null && port.portId() == underlay.uplinkPort()) {
                    throw new VswitchConfigException(VswitchConfigException.Kind.CONFLICT,
                            port + " is the underlay uplink; it cannot also be an access port");
                }
            }
            for (VtepAddress vtep : domain.floodList()) {
                VswitchConfigException.require(underlay != null && underlay.supports(vtep),
                        "VNI " + domain.vni() + ": VTEP " + vtep + " needs an underlay " + (vtep.ipv6() ? "IPv6" : "IPv4") + " address");
                VswitchConfigException.require(!underlay.isOwn(vtep),
                        "VNI " + domain.vni() + ": VTEP " + vtep + " is this switch's own address");
            }
        }
        domains = List.copyOf(byVni.values());
    }

    /** @return a configuration with no underlay and no domains */
    public static VswitchConfig empty() {
        return new VswitchConfig(null, List.of());
    }

    /**
     * @param vni a VNI
     * @return its domain, or null
     */
    public BridgeDomainConfig domain(int vni) {
        for (BridgeDomainConfig domain : domains) {
            if (domain.vni() == vni) {
                return domain;
            }
        }
        return null;
    }

    /** @param domain a new or replaced domain @return this configuration with it */
    public VswitchConfig withDomain(BridgeDomainConfig domain) {
        List<BridgeDomainConfig> next = new java.util.ArrayList<>(domains.stream().filter(d -> d.vni() != domain.vni()).toList());
        next.add(domain);
        return new VswitchConfig(underlay, next);
    }

    /** @param vni a VNI @return this configuration without that domain */
    public VswitchConfig withoutDomain(int vni) {
        return new VswitchConfig(underlay, domains.stream().filter(d -> d.vni() != vni).toList());
    }

    /** @param underlay the new underlay @return this configuration with it */
    public VswitchConfig withUnderlay(UnderlayConfig underlay) {
        return new VswitchConfig(underlay, domains);
    }
}
