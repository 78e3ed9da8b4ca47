package dev.isthmus.nativebindings;

/**
 * Offsets of the {@code struct rte_mbuf} fields Java reads and writes directly (DPDK 22.11, x86-64), so that a
 * packet's header fields cost a memory access, not a downcall. Access them through {@link NativeMemory#ALL} at
 * {@code mbufAddress + OFFSET}, in native byte order.
 *
 * <p>{@code MbufLayoutTest} checks every constant here against {@code offsetof}/{@code sizeof} compiled from the
 * real headers by the shim; change them only together with the DPDK version.
 *
 * <pre>
 * cache line 0:
 *   0  void *buf_addr          8  iova / next (build dependent)
 *  16  u16 data_off  18 u16 refcnt  20 u16 nb_segs  22 u16 port
 *  24  u64 ol_flags
 *  32  u32 packet_type  36 u32 pkt_len  40 u16 data_len  42 u16 vlan_tci
 *  ...
 *  54  u16 buf_len  56  struct rte_mempool *pool
 * cache line 1:
 *  64  struct rte_mbuf *next  72 u64 tx_offload (l2_len:7 l3_len:9 l4_len:8 tso_segsz:16 ...)
 * </pre>
 */
public final class MbufLayout {

    /** {@code void *buf_addr}: start of the buffer (the headroom precedes the data). */
    public static final long BUF_ADDR = 0;
    /** {@code uint16_t data_off}: data starts at {@code buf_addr + data_off}. */
    public static final long DATA_OFF = 16;
    /** {@code uint16_t refcnt}. */
    public static final long REFCNT = 18;
    /** {@code uint16_t nb_segs}: segments in the chain (1 for the mbufs Isthmus uses). */
    public static final long NB_SEGS = 20;
    /** {@code uint16_t port}: input port. */
    public static final long PORT = 22;
    /**
     * {@code uint64_t ol_flags}: RX and TX offload flags ({@code RTE_MBUF_F_*}, see {@link RxOffloads} and
     * {@link TxOffloads}).
     */
    public static final long OL_FLAGS = 24;
    /** {@code uint32_t packet_type}. */
    public static final long PACKET_TYPE = 32;
    /** {@code uint32_t pkt_len}: length of the whole chain. */
    public static final long PKT_LEN = 36;
    /** {@code uint16_t data_len}: length of this segment's data. */
    public static final long DATA_LEN = 40;
    /** {@code uint16_t vlan_tci}. */
    public static final long VLAN_TCI = 42;
    /** {@code uint16_t buf_len}: size of the buffer at buf_addr. */
    public static final long BUF_LEN = 54;
    /** {@code struct rte_mempool *pool}: the pool the mbuf returns to. */
    public static final long POOL = 56;
    /** {@code struct rte_mbuf *next}: next segment of a chain. */
    public static final long NEXT = 64;
    /** {@code uint64_t tx_offload}: the packed l2_len/l3_len/l4_len/... bitfields. */
    public static final long TX_OFFLOAD = 72;

    /** {@code sizeof(struct rte_mbuf)}. */
    public static final long SIZE = 128;
    /** {@code _Alignof(struct rte_mbuf)}: cache aligned. */
    public static final long ALIGNMENT = 64;

    /** Bit widths of the tx_offload bitfields ({@code RTE_MBUF_L2_LEN_BITS} ...), low bits first. */
    public static final int L2_LEN_BITS = 7;
    public static final int L3_LEN_BITS = 9;
    public static final int L4_LEN_BITS = 8;

    private static final int L3_LEN_SHIFT = L2_LEN_BITS;
    private static final int L4_LEN_SHIFT = L2_LEN_BITS + L3_LEN_BITS;

    private MbufLayout() {
    }

    /**
     * The tx_offload word for these header lengths, as the C bitfields pack it (tso_segsz and outer lengths zero).
     * Lengths must fit their fields: l2 &lt; 128, l3 &lt; 512, l4 &lt; 256.
     */
    public static long packTxOffload(int l2Len, int l3Len, int l4Len) {
        return (l2Len & ((1L << L2_LEN_BITS) - 1))
                | (l3Len & ((1L << L3_LEN_BITS) - 1)) << L3_LEN_SHIFT
                | (l4Len & ((1L << L4_LEN_BITS) - 1)) << L4_LEN_SHIFT;
    }
}
