/*
 * Port data path: burst receive/transmit (static inline in rte_ethdev.h) and the link status bitfields.
 */
#include "isthmus_shim.h"

#include <rte_ethdev.h>
#include <rte_mbuf.h>

uint16_t isthmus_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, uint16_t n,
			  uint64_t *addrs, uint32_t *lens)
{
	uint16_t got = rte_eth_rx_burst(port, queue, mbufs, n);

	/* Filling the views here saves Java one read of each mbuf header through a second call. */
	for (uint16_t i = 0; i < got; i++) {
		struct rte_mbuf *m = mbufs[i];

		addrs[i] = (uint64_t)(uintptr_t)rte_pktmbuf_mtod(m, char *);
		lens[i] = m->data_len;
	}
	return got;
}

uint16_t isthmus_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, uint16_t n)
{
	return rte_eth_tx_burst(port, queue, mbufs, n);
}

int isthmus_link_get_nowait(uint16_t port, uint32_t *speed_mbps, uint32_t *flags)
{
	struct rte_eth_link link;
	int rc = rte_eth_link_get_nowait(port, &link);

	if (rc != 0)
		return rc;
	*speed_mbps = link.link_speed;
	*flags = (link.link_status == RTE_ETH_LINK_UP ? ISTHMUS_LINK_UP : 0)
		| (link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? ISTHMUS_LINK_FULL_DUPLEX : 0)
		| (link.link_autoneg == RTE_ETH_LINK_AUTONEG ? ISTHMUS_LINK_AUTONEG : 0);
	return 0;
}
