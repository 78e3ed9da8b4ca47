package dev.isthmus.nativebindings;

/**
 * A port's basic counters ({@code struct rte_eth_stats}), a snapshot taken by {@link EthPort#stats()}.
 *
 * @param rxPackets packets received
 * @param txPackets packets sent
 * @param rxBytes bytes received
 * @param txBytes bytes sent
 * @param rxMissed packets the NIC dropped because the RX queue was full (the poll loop was too slow)
 * @param rxErrors erroneous received packets
 * @param txErrors failed transmissions
 * @param rxNoMbuf RX mbuf allocation failures (the mempool ran dry)
 */
public record PortStats(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxMissed, long rxErrors,
        long txErrors, long rxNoMbuf) {
}
