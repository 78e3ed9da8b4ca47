package dev.isthmus.nativebindings;

import dev.isthmus.nativebindings.generated.Dpdk;

/**
 * TX checksum offload bits, in the two places DPDK uses them: what a port can do and is configured to do
 * ({@code RTE_ETH_TX_OFFLOAD_*}, see {@link EthPort#configure} and {@link DeviceInfo#txOffloadCapabilities()}), and
 * what one packet asks for ({@code RTE_MBUF_F_TX_*} in the mbuf's ol_flags, see {@link MbufBurst#setTxOffload}).
 *
 * <p>To have the NIC fill an IPv4 header checksum and a UDP checksum: configure the port with
 * {@code PORT_IPV4_CKSUM | PORT_UDP_CKSUM} (when its capabilities include them), then per packet set l2_len,
 * l3_len and {@code MBUF_IPV4 | MBUF_IP_CKSUM | MBUF_UDP_CKSUM}, with the UDP checksum field holding the
 * pseudo-header checksum (DPDK's {@code rte_ipv4_phdr_cksum}).
 */
public final class TxOffloads {

    static {
        Shim.ensureLoaded();
    }

    /** Port can compute IPv4 header checksums ({@code RTE_ETH_TX_OFFLOAD_IPV4_CKSUM}). */
    public static final long PORT_IPV4_CKSUM = Dpdk.RTE_ETH_TX_OFFLOAD_IPV4_CKSUM();
    /** Port can compute UDP checksums ({@code RTE_ETH_TX_OFFLOAD_UDP_CKSUM}). */
    public static final long PORT_UDP_CKSUM = Dpdk.RTE_ETH_TX_OFFLOAD_UDP_CKSUM();
    /** Port can compute TCP checksums ({@code RTE_ETH_TX_OFFLOAD_TCP_CKSUM}). */
    public static final long PORT_TCP_CKSUM = Dpdk.RTE_ETH_TX_OFFLOAD_TCP_CKSUM();

    /** The packet is IPv4 ({@code RTE_MBUF_F_TX_IPV4}). */
    public static final long MBUF_IPV4 = Dpdk.RTE_MBUF_F_TX_IPV4();
    /** The packet is IPv6 ({@code RTE_MBUF_F_TX_IPV6}). */
    public static final long MBUF_IPV6 = Dpdk.RTE_MBUF_F_TX_IPV6();
    /** Fill the IPv4 header checksum ({@code RTE_MBUF_F_TX_IP_CKSUM}). */
    public static final long MBUF_IP_CKSUM = Dpdk.RTE_MBUF_F_TX_IP_CKSUM();
    /** Fill the UDP checksum ({@code RTE_MBUF_F_TX_UDP_CKSUM}). */
    public static final long MBUF_UDP_CKSUM = Dpdk.RTE_MBUF_F_TX_UDP_CKSUM();
    /** Fill the TCP checksum ({@code RTE_MBUF_F_TX_TCP_CKSUM}). */
    public static final long MBUF_TCP_CKSUM = Dpdk.RTE_MBUF_F_TX_TCP_CKSUM();

    /** Every TX flag of ol_flags ({@code RTE_MBUF_F_TX_OFFLOAD_MASK}); the other bits are not ours to change. */
    public static final long MBUF_TX_MASK = Dpdk.RTE_MBUF_F_TX_OFFLOAD_MASK();

    private TxOffloads() {
    }
}
