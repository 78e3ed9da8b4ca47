/*
 * Layout facts compiled from the real DPDK headers, for the Java test that checks MbufLayout and the sizes and
 * alignments Java allocates structs with. Nothing on the data path calls this.
 */
#include "isthmus_shim.h"

#include <stddef.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

struct layout_entry {
	const char *name;
	int64_t value;
};

#define OFFSET(type, field) { #type "." #field, (int64_t)offsetof(struct type, field) }
#define SIZE(type) { "sizeof." #type, (int64_t)sizeof(struct type) }
#define ALIGN(type) { "alignof." #type, (int64_t)_Alignof(struct type) }
#define CONST(name) { "const." #name, (int64_t)(name) }

static const struct layout_entry entries[] = {
	OFFSET(rte_mbuf, buf_addr),
	OFFSET(rte_mbuf, data_off),
	OFFSET(rte_mbuf, refcnt),
	OFFSET(rte_mbuf, nb_segs),
	OFFSET(rte_mbuf, port),
	OFFSET(rte_mbuf, ol_flags),
	OFFSET(rte_mbuf, packet_type),
	OFFSET(rte_mbuf, pkt_len),
	OFFSET(rte_mbuf, data_len),
	OFFSET(rte_mbuf, vlan_tci),
	OFFSET(rte_mbuf, buf_len),
	OFFSET(rte_mbuf, pool),
	OFFSET(rte_mbuf, next),
	OFFSET(rte_mbuf, tx_offload),
	SIZE(rte_mbuf),
	ALIGN(rte_mbuf),
	SIZE(rte_eth_conf),
	ALIGN(rte_eth_conf),
	SIZE(rte_eth_dev_info),
	ALIGN(rte_eth_dev_info),
	SIZE(rte_eth_stats),
	ALIGN(rte_eth_stats),
	SIZE(rte_eth_rxconf),
	SIZE(rte_eth_txconf),
	SIZE(rte_ether_addr),
	OFFSET(rte_eth_conf, rxmode),
	OFFSET(rte_eth_conf, txmode),
	OFFSET(rte_eth_dev_info, tx_offload_capa),
	OFFSET(rte_eth_dev_info, rx_offload_capa),
	OFFSET(rte_eth_dev_info, max_rx_queues),
	OFFSET(rte_eth_dev_info, max_tx_queues),
	OFFSET(rte_eth_dev_info, max_mtu),
	OFFSET(rte_eth_dev_info, min_mtu),
	OFFSET(rte_eth_stats, ipackets),
	OFFSET(rte_eth_stats, opackets),
	OFFSET(rte_eth_stats, ibytes),
	OFFSET(rte_eth_stats, obytes),
	OFFSET(rte_eth_stats, imissed),
	OFFSET(rte_eth_stats, ierrors),
	OFFSET(rte_eth_stats, oerrors),
	OFFSET(rte_eth_stats, rx_nombuf),
	CONST(RTE_PKTMBUF_HEADROOM),
	CONST(RTE_MBUF_DEFAULT_BUF_SIZE),
	CONST(RTE_CACHE_LINE_SIZE),
	CONST(RTE_MBUF_F_TX_IPV4),
	CONST(RTE_MBUF_F_TX_IPV6),
	CONST(RTE_MBUF_F_TX_IP_CKSUM),
	CONST(RTE_MBUF_F_TX_UDP_CKSUM),
	CONST(RTE_MBUF_F_TX_TCP_CKSUM),
	CONST(RTE_MBUF_F_TX_OFFLOAD_MASK),
	CONST(RTE_MBUF_F_INDIRECT),
	CONST(RTE_MBUF_F_EXTERNAL),
	CONST(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM),
	CONST(RTE_ETH_TX_OFFLOAD_UDP_CKSUM),
	CONST(RTE_ETH_TX_OFFLOAD_TCP_CKSUM),
	CONST(RING_F_SP_ENQ),
	CONST(RING_F_SC_DEQ),
	CONST(RTE_MAX_ETHPORTS),
};

int64_t isthmus_layout(const char *name)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strcmp(entries[i].name, name) == 0)
			return entries[i].value;
	return -1;
}

uint64_t isthmus_tx_offload_pack(uint16_t l2_len, uint16_t l3_len, uint16_t l4_len)
{
	struct rte_mbuf m;

	memset(&m, 0, sizeof(m));
	m.l2_len = l2_len;
	m.l3_len = l3_len;
	m.l4_len = l4_len;
	return m.tx_offload;
}
