/*
 * Isthmus C shim: what jextract cannot bind from DPDK 22.11 (static inline functions, macros, thread-locals,
 * bitfields), exposed as plain functions that Java calls through FFM.
 *
 * Burst-oriented: every data-path function serves a whole burst in one call, so that the cost of a downcall is
 * paid once per 32 packets, never per packet. Arrays are owned by the caller (Java allocates them once per
 * poll loop); the shim never allocates. Functions that take a count accept 0 and do nothing.
 *
 * Everything exported here is bound by hand in dev.isthmus.nativebindings.Shim; keep the two in step.
 */
#ifndef ISTHMUS_SHIM_H
#define ISTHMUS_SHIM_H

#include <stdint.h>

struct rte_mbuf;
struct rte_mempool;
struct rte_ring;

/* ---- Thread-locals: DPDK keeps these per thread, so they cannot be read as globals through FFM. ---- */

/* rte_lcore_id() of the calling thread (UINT32_MAX when the thread is not an EAL lcore). */
uint32_t isthmus_lcore_id(void);

/* rte_errno of the calling thread: why the last failing DPDK call of this thread failed. */
int isthmus_errno(void);

/* Pins the calling thread to one CPU with pthread_setaffinity_np; 0 or a positive errno value. */
int isthmus_pin_current_thread(uint32_t cpu);

/*
 * Save and restore the calling thread's CPU set. rte_eal_init pins the thread that calls it to the main lcore's
 * CPU, and every thread the JVM starts from it later would inherit that; Eal restores the set around the call.
 * isthmus_cpuset_size() is the size of the opaque buffer the other two take. They return 0 or an errno value.
 */
uint32_t isthmus_cpuset_size(void);
int isthmus_get_affinity(void *cpuset);
int isthmus_set_affinity(const void *cpuset);

/* ---- Port RX/TX (rte_eth_rx_burst / rte_eth_tx_burst are static inline) ---- */

/*
 * Receives up to n packets into mbufs[] and, in the same call, writes for each received packet i the address of
 * its first data byte to addrs[i] and its data length to lens[i], so Java can parse packets without touching the
 * mbuf header. Returns how many packets were received.
 */
uint16_t isthmus_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, uint16_t n,
			  uint64_t *addrs, uint32_t *lens);

/* Hands up to n packets to the port; returns how many it took. The caller still owns mbufs[taken..n). */
uint16_t isthmus_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **mbufs, uint16_t n);

/* ---- Mbufs ---- */

/*
 * Allocates n mbufs from the pool, all or none (rte_pktmbuf_alloc_bulk). When addrs is not NULL, also writes each
 * mbuf's data address (after the headroom) to addrs[i] and 0 to lens[i]. Returns 0, or -ENOENT when the pool has
 * fewer than n free mbufs.
 */
int isthmus_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint16_t n, uint64_t *addrs,
		       uint32_t *lens);

/* Returns n mbufs (whole chains) to their pools; NULL entries are skipped. */
void isthmus_free_bulk(struct rte_mbuf **mbufs, uint16_t n);

/* Writes the data address and data length of each of n mbufs to addrs[i] / lens[i] (after a ring dequeue). */
void isthmus_burst_data(struct rte_mbuf *const *mbufs, uint16_t n, uint64_t *addrs, uint32_t *lens);

/* rte_pktmbuf_append/prepend: address of the added room, or 0 when it does not fit. */
uint64_t isthmus_pktmbuf_append(struct rte_mbuf *m, uint16_t len);
uint64_t isthmus_pktmbuf_prepend(struct rte_mbuf *m, uint16_t len);

/* rte_pktmbuf_adj (drop len bytes at the front): the new data address, or 0 when len is too long. */
uint64_t isthmus_pktmbuf_adj(struct rte_mbuf *m, uint16_t len);

/* rte_pktmbuf_trim (drop len bytes at the end): 0, or -1 when len is too long. */
int isthmus_pktmbuf_trim(struct rte_mbuf *m, uint16_t len);

/*
 * Sets the TX offload request of one mbuf: l2_len/l3_len bitfields and ol_flags (RTE_MBUF_F_TX_*). The data path
 * writes the packed tx_offload word directly (see MbufLayout); this function is the reference the layout test
 * compares that packing with.
 */
void isthmus_mbuf_set_tx_offload(struct rte_mbuf *m, uint16_t l2_len, uint16_t l3_len, uint16_t l4_len,
				 uint64_t ol_flags);

/* ---- Link status (struct rte_eth_link has bitfields) ---- */

#define ISTHMUS_LINK_UP          (1u << 0)
#define ISTHMUS_LINK_FULL_DUPLEX (1u << 1)
#define ISTHMUS_LINK_AUTONEG     (1u << 2)

/*
 * rte_eth_link_get_nowait, unpacked: *speed_mbps gets link_speed and *flags the ISTHMUS_LINK_* bits.
 * Returns 0 or a negative errno value.
 */
int isthmus_link_get_nowait(uint16_t port, uint32_t *speed_mbps, uint32_t *flags);

/* ---- Rings (the rte_ring enqueue/dequeue/count functions are static inline) ---- */

/* Enqueues up to n objects; returns how many. *free_space (if not NULL) gets the room left. */
uint32_t isthmus_ring_enqueue_burst(struct rte_ring *r, void *const *objs, uint32_t n, uint32_t *free_space);

/* Enqueues all n objects or none; returns n or 0. */
uint32_t isthmus_ring_enqueue_bulk(struct rte_ring *r, void *const *objs, uint32_t n, uint32_t *free_space);

/* Dequeues up to n objects; returns how many. *available (if not NULL) gets how many are left. */
uint32_t isthmus_ring_dequeue_burst(struct rte_ring *r, void **objs, uint32_t n, uint32_t *available);

/* Dequeues exactly n objects or none; returns n or 0. */
uint32_t isthmus_ring_dequeue_bulk(struct rte_ring *r, void **objs, uint32_t n, uint32_t *available);

/*
 * Dequeues up to n mbufs like isthmus_ring_dequeue_burst and, in the same call, fills their data addresses and
 * lengths as isthmus_rx_burst does, so a burst handed over between lcores costs one call on each side.
 */
uint32_t isthmus_ring_dequeue_mbufs(struct rte_ring *r, struct rte_mbuf **mbufs, uint32_t n, uint64_t *addrs,
				    uint32_t *lens);

/* Number of objects in the ring, and room left. */
uint32_t isthmus_ring_count(const struct rte_ring *r);
uint32_t isthmus_ring_free_count(const struct rte_ring *r);

/* ---- Layout reporting for the Java layout test ---- */

/*
 * offsetof/sizeof as compiled from the real headers, by name ("rte_mbuf.data_off", "sizeof.rte_mbuf",
 * "const.RTE_PKTMBUF_HEADROOM", ...). Returns -1 for a name it does not know, so a typo in the test fails it.
 */
int64_t isthmus_layout(const char *name);

/* The packed tx_offload word the C bitfields produce for these lengths (the reference for Java's packing). */
uint64_t isthmus_tx_offload_pack(uint16_t l2_len, uint16_t l3_len, uint16_t l4_len);

#endif
