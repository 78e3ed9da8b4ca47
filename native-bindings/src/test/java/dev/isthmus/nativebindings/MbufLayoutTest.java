package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.nativebindings.generated.rte_eth_conf;
import dev.isthmus.nativebindings.generated.rte_eth_dev_info;
import dev.isthmus.nativebindings.generated.rte_eth_stats;
import dev.isthmus.nativebindings.generated.rte_ether_addr;
import java.lang.foreign.MemoryLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What the Java side assumes about DPDK's ABI against offsetof/sizeof/_Alignof compiled from the real headers by the
 * shim ({@code isthmus_layout.c}).
 */
class MbufLayoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "buf_addr, 0", "data_off, 16", "refcnt, 18", "nb_segs, 20", "port, 22", "ol_flags, 24", "packet_type, 32",
        "pkt_len, 36", "data_len, 40", "vlan_tci, 42", "buf_len, 54", "pool, 56", "next, 64", "tx_offload, 72"})
    void mbufFieldOffsetsMatchTheHeaders(String field, long ignored) throws ReflectiveOperationException {
        long javaOffset = MbufLayout.class.getField(field.toUpperCase()).getLong(null);
        assertEquals(Shim.layout("rte_mbuf." + field), javaOffset, "offsetof(struct rte_mbuf, " + field + ")");
    }

    @Test
    void mbufSizeAndAlignmentMatchTheHeaders() {
        assertEquals(Shim.layout("sizeof.rte_mbuf"), MbufLayout.SIZE);
        assertEquals(Shim.layout("alignof.rte_mbuf"), MbufLayout.ALIGNMENT);
    }

    @Test
    void unknownNameIsReportedAsSuch() {
        assertEquals(-1, Shim.layout("rte_mbuf.no_such_field"));
    }

    @ParameterizedTest(name = "l2={0} l3={1} l4={2}")
    @CsvSource({"14, 20, 8", "18, 40, 20", "127, 511, 255", "0, 0, 0", "1, 1, 1"})
    void txOffloadPackingMatchesTheBitfields(int l2, int l3, int l4) {
        assertEquals(Shim.txOffloadPack(l2, l3, l4), MbufLayout.packTxOffload(l2, l3, l4));
    }

    @Test
    void jextractStructLayoutsHaveTheCompiledSizes() {
        assertStruct("rte_eth_conf", rte_eth_conf.layout());
        assertStruct("rte_eth_dev_info", rte_eth_dev_info.layout());
        assertStruct("rte_eth_stats", rte_eth_stats.layout());
        assertEquals(Shim.layout("sizeof.rte_ether_addr"), rte_ether_addr.layout().byteSize());
        assertEquals(Shim.layout("rte_eth_dev_info.tx_offload_capa"),
                rte_eth_dev_info.layout().byteOffset(MemoryLayout.PathElement.groupElement("tx_offload_capa")));
        assertEquals(Shim.layout("rte_eth_stats.rx_nombuf"),
                rte_eth_stats.layout().byteOffset(MemoryLayout.PathElement.groupElement("rx_nombuf")));
        assertEquals(Shim.layout("rte_eth_conf.txmode"),
                rte_eth_conf.layout().byteOffset(MemoryLayout.PathElement.groupElement("txmode")));
    }

    private static void assertStruct(String name, MemoryLayout layout) {
        assertEquals(Shim.layout("sizeof." + name), layout.byteSize(), "sizeof(struct " + name + ")");
        // jextract may under-align (cache-aligned structs come out 8-aligned); Java allocates them 64-aligned.
        assertTrue(NativeMemory.STRUCT_ALIGNMENT >= Shim.layout("alignof." + name), "alignment of " + name);
    }

    @Test
    void offloadConstantsMatchTheHeaders() {
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_IPV4"), TxOffloads.MBUF_IPV4);
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_IPV6"), TxOffloads.MBUF_IPV6);
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_IP_CKSUM"), TxOffloads.MBUF_IP_CKSUM);
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_UDP_CKSUM"), TxOffloads.MBUF_UDP_CKSUM);
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_TCP_CKSUM"), TxOffloads.MBUF_TCP_CKSUM);
        assertEquals(Shim.layout("const.RTE_MBUF_F_TX_OFFLOAD_MASK"), TxOffloads.MBUF_TX_MASK);
        assertEquals(Shim.layout("const.RTE_ETH_TX_OFFLOAD_IPV4_CKSUM"), TxOffloads.PORT_IPV4_CKSUM);
        assertEquals(Shim.layout("const.RTE_ETH_TX_OFFLOAD_UDP_CKSUM"), TxOffloads.PORT_UDP_CKSUM);
        assertEquals(Shim.layout("const.RTE_ETH_TX_OFFLOAD_TCP_CKSUM"), TxOffloads.PORT_TCP_CKSUM);
        assertEquals(Shim.layout("const.RTE_MBUF_DEFAULT_BUF_SIZE"), Mempool.DEFAULT_DATA_ROOM);
        assertEquals(0, TxOffloads.MBUF_TX_MASK & (Shim.layout("const.RTE_MBUF_F_INDIRECT")
                | Shim.layout("const.RTE_MBUF_F_EXTERNAL")), "setTxOffload must not touch the attach flags");
    }
}
