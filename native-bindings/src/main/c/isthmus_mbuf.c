/*
 * Mbuf allocation, release and resizing: all static inline in rte_mbuf.h. Bulk forms serve a burst per call.
 */
#include "isthmus_shim.h"

#include <rte_mbuf.h>

static inline void fill_view(struct rte_mbuf *const *mbufs, uint16_t n, uint64_t *addrs, uint32_t *lens)
{
	for (uint16_t i = 0; i < n; i++) {
		addrs[i] = (uint64_t)(uintptr_t)rte_pktmbuf_mtod(mbufs[i], char *);
		lens[i] = mbufs[i]->data_len;
	}
}

int isthmus_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint16_t n, uint64_t *addrs,
		       uint32_t *lens)
{
	int rc = rte_pktmbuf_alloc_bulk(pool, mbufs, n);

	if (rc == 0 && addrs != NULL)
		fill_view(mbufs, n, addrs, lens);
	return rc;
}

void isthmus_free_bulk(struct rte_mbuf **mbufs, uint16_t n)
{
	/* rte_pktmbuf_free_bulk frees whole chains and skips NULL entries. */
	rte_pktmbuf_free_bulk(mbufs, n);
}

void isthmus_burst_data(struct rte_mbuf *const *mbufs, uint16_t n, uint64_t *addrs, uint32_t *lens)
{
	fill_view(mbufs, n, addrs, lens);
}

uint64_t isthmus_pktmbuf_append(struct rte_mbuf *m, uint16_t len)
{
	return (uint64_t)(uintptr_t)rte_pktmbuf_append(m, len);
}

uint64_t isthmus_pktmbuf_prepend(struct rte_mbuf *m, uint16_t len)
{
	return (uint64_t)(uintptr_t)rte_pktmbuf_prepend(m, len);
}

uint64_t isthmus_pktmbuf_adj(struct rte_mbuf *m, uint16_t len)
{
	return (uint64_t)(uintptr_t)rte_pktmbuf_adj(m, len);
}

int isthmus_pktmbuf_trim(struct rte_mbuf *m, uint16_t len)
{
	return rte_pktmbuf_trim(m, len);
}

void isthmus_mbuf_set_tx_offload(struct rte_mbuf *m, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
				 uint64_t ol_flags)
{
	m->l2_len = l2_len;
	m->l3_len = l3_len;
	m->l4_len = l4_len;
	m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_OFFLOAD_MASK) | ol_flags;
}
