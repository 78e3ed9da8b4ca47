package dev.isthmus.nativebindings;

/**
 * A port's link as last reported by its driver ({@code struct rte_eth_link}).
 *
 * @param up whether the link is up
 * @param speedMbps speed in Mbit/s (0 when unknown or down)
 * @param fullDuplex whether the link is full duplex
 * @param autonegotiated whether the speed was autonegotiated
 */
public record LinkStatus(boolean up, int speedMbps, boolean fullDuplex, boolean autonegotiated) {
}
