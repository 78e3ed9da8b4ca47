package dev.isthmus.nativebindings;

import dev.isthmus.nativebindings.generated.Dpdk;

/**
 * RX checksum offload bits, in the two places DPDK uses them: what a port can do and is configured to do
 * ({@code RTE_ETH_RX_OFFLOAD_*}, see {@link EthPort#configure(int, int, long, long)} and
 * {@link DeviceInfo#rxOffloadCapabilities()}), and what the driver found for one received packet
 * ({@code RTE_MBUF_F_RX_*} in the mbuf's ol_flags, at {@link MbufLayout#OL_FLAGS}).
 *
 * <p>Each checksum has a two-bit status in ol_flags: {@code flags & MBUF_IP_CKSUM_MASK} (the IPv4 header checksum)
 * and {@code flags & MBUF_L4_CKSUM_MASK} (the UDP/TCP checksum) are each one of GOOD (verified), BAD (verified
 * wrong), NONE (not correct in the packet, but the data is: e.g. a packet looped back inside the host) or UNKNOWN
 * (not verified: the driver could not or did not look). Only GOOD and BAD say anything about the packet's bytes.
 */
public final class RxOffloads {

    static {
        Shim.ensureLoaded();
    }

    /** Port verifies IPv4 header checksums ({@code RTE_ETH_RX_OFFLOAD_IPV4_CKSUM}). */
    public static final long PORT_IPV4_CKSUM = Dpdk.RTE_ETH_RX_OFFLOAD_IPV4_CKSUM();
    /** Port verifies UDP checksums ({@code RTE_ETH_RX_OFFLOAD_UDP_CKSUM}). */
    public static final long PORT_UDP_CKSUM = Dpdk.RTE_ETH_RX_OFFLOAD_UDP_CKSUM();

    /** The IPv4 header checksum status bits of ol_flags ({@code RTE_MBUF_F_RX_IP_CKSUM_MASK}). */
    public static final long MBUF_IP_CKSUM_MASK = Dpdk.RTE_MBUF_F_RX_IP_CKSUM_MASK();
    /** Not verified ({@code RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN}). */
    public static final long MBUF_IP_CKSUM_UNKNOWN = Dpdk.RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN();
    /** Verified wrong ({@code RTE_MBUF_F_RX_IP_CKSUM_BAD}). */
    public static final long MBUF_IP_CKSUM_BAD = Dpdk.RTE_MBUF_F_RX_IP_CKSUM_BAD();
    /** Verified right ({@code RTE_MBUF_F_RX_IP_CKSUM_GOOD}). */
    public static final long MBUF_IP_CKSUM_GOOD = Dpdk.RTE_MBUF_F_RX_IP_CKSUM_GOOD();
    /** Not correct in the packet but the header is intact ({@code RTE_MBUF_F_RX_IP_CKSUM_NONE}). */
    public static final long MBUF_IP_CKSUM_NONE = Dpdk.RTE_MBUF_F_RX_IP_CKSUM_NONE();

    /** The L4 (UDP/TCP) checksum status bits of ol_flags ({@code RTE_MBUF_F_RX_L4_CKSUM_MASK}). */
    public static final long MBUF_L4_CKSUM_MASK = Dpdk.RTE_MBUF_F_RX_L4_CKSUM_MASK();
    /** Not verified ({@code RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN}). */
    public static final long MBUF_L4_CKSUM_UNKNOWN = Dpdk.RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN();
    /** Verified wrong ({@code RTE_MBUF_F_RX_L4_CKSUM_BAD}). */
    public static final long MBUF_L4_CKSUM_BAD = Dpdk.RTE_MBUF_F_RX_L4_CKSUM_BAD();
    /** Verified right ({@code RTE_MBUF_F_RX_L4_CKSUM_GOOD}). */
    public static final long MBUF_L4_CKSUM_GOOD = Dpdk.RTE_MBUF_F_RX_L4_CKSUM_GOOD();
    /** Not correct in the packet but the data is intact ({@code RTE_MBUF_F_RX_L4_CKSUM_NONE}). */
    public static final long MBUF_L4_CKSUM_NONE = Dpdk.RTE_MBUF_F_RX_L4_CKSUM_NONE();

    private RxOffloads() {
    }
}
