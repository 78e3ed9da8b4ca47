package dev.isthmus.nativebindings;

/**
 * What a port's driver reports about it ({@code struct rte_eth_dev_info}), the parts Isthmus uses.
 *
 * @param driverName the PMD, e.g. {@code net_null}
 * @param maxRxQueues most RX queues the port supports
 * @param maxTxQueues most TX queues the port supports
 * @param minMtu smallest MTU the port accepts
 * @param maxMtu largest MTU the port accepts
 * @param rxOffloadCapabilities {@code RTE_ETH_RX_OFFLOAD_*} bits the port supports (see {@link RxOffloads})
 * @param txOffloadCapabilities {@code RTE_ETH_TX_OFFLOAD_*} bits the port supports (see {@link TxOffloads})
 * @param rssHashCapabilities {@code RTE_ETH_RSS_*} flow types the port can spread over RX queues by hash (0: no RSS)
 */
public record DeviceInfo(String driverName, int maxRxQueues, int maxTxQueues, int minMtu, int maxMtu,
        long rxOffloadCapabilities, long txOffloadCapabilities, long rssHashCapabilities) {

    /** Whether every bit of {@code rxOffloads} (e.g. {@code RxOffloads.PORT_UDP_CKSUM}) is supported. */
    public boolean supportsRxOffloads(long rxOffloads) {
        return (rxOffloadCapabilities & rxOffloads) == rxOffloads;
    }

    /** Whether every bit of {@code txOffloads} (e.g. {@code TxOffloads.PORT_IPV4_CKSUM}) is supported. */
    public boolean supportsTxOffloads(long txOffloads) {
        return (txOffloadCapabilities & txOffloads) == txOffloads;
    }
}
