package dev.isthmus.vswitch.control;

import dev.isthmus.vswitch.config.UnderlayConfig;

import java.util.List;

/**
 * The underlay as configured and as resolved, with the MTUs that follow from it.
 *
 * @param config the underlay configuration
 * @param underlayMtu the underlay IP MTU
 * @param maxInnerFrameIpv4 the largest inner Ethernet frame encapsulated over IPv4 (MTU - 36), or -1
 * @param maxInnerFrameIpv6 the largest inner Ethernet frame encapsulated over IPv6 (MTU - 56), or -1
 * @param nextHops the next hops and their resolved MACs
 */
public record UnderlayStatus(UnderlayConfig config, int underlayMtu, int maxInnerFrameIpv4, int maxInnerFrameIpv6,
                             List<NextHopView> nextHops) {
}
