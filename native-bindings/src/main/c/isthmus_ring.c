/*
 * rte_ring burst/bulk enqueue and dequeue, and its counts: static inline in rte_ring.h. The ring's own flags
 * (single/multi producer/consumer, chosen at rte_ring_create) select the synchronisation mode.
 */
#include "isthmus_shim.h"

#include <rte_ring.h>

uint32_t isthmus_ring_enqueue_burst(struct rte_ring *r, void *const *objs, uint32_t n, uint32_t *free_space)
{
	return rte_ring_enqueue_burst(r, objs, n, free_space);
}

uint32_t isthmus_ring_enqueue_bulk(struct rte_ring *r, void *const *objs, uint32_t n, uint32_t *free_space)
{
	return rte_ring_enqueue_bulk(r, objs, n, free_space);
}

uint32_t isthmus_ring_dequeue_burst(struct rte_ring *r, void **objs, uint32_t n, uint32_t *available)
{
	return rte_ring_dequeue_burst(r, objs, n, available);
}

uint32_t isthmus_ring_dequeue_bulk(struct rte_ring *r, void **objs, uint32_t n, uint32_t *available)
{
	return rte_ring_dequeue_bulk(r, objs, n, available);
}

uint32_t isthmus_ring_dequeue_mbufs(struct rte_ring *r, struct rte_mbuf **mbufs, uint32_t n, uint64_t *addrs,
				    uint32_t *lens)
{
	uint32_t got = rte_ring_dequeue_burst(r, (void **)mbufs, n, NULL);

	isthmus_burst_data(mbufs, (uint16_t)got, addrs, lens);
	return got;
}

uint32_t isthmus_ring_count(const struct rte_ring *r)
{
	return rte_ring_count(r);
}

uint32_t isthmus_ring_free_count(const struct rte_ring *r)
{
	return rte_ring_free_count(r);
}
