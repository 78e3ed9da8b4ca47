/*
 * The rx_free_bench loop as a library function, so that RxFreeBenchmark.cLoop can run the C loop inside the same
 * JMH run, on the same thread and port as the Java variants: on a shared machine, measurements taken in different
 * processes at different moments are not comparable. Built by perf/scripts/build-native-bench.sh.
 */
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

uint64_t isthmus_bench_rx_free_loop(uint16_t port, uint16_t queue, uint64_t iterations);

/* Runs `iterations` times rte_eth_rx_burst(32) + rte_pktmbuf_free_bulk; returns the packets received. */
uint64_t isthmus_bench_rx_free_loop(uint16_t port, uint16_t queue, uint64_t iterations)
{
	struct rte_mbuf *mbufs[32];
	uint64_t received = 0;

	for (uint64_t i = 0; i < iterations; i++) {
		uint16_t n = rte_eth_rx_burst(port, queue, mbufs, 32);

		rte_pktmbuf_free_bulk(mbufs, n);
		received += n;
	}
	return received;
}

uint64_t isthmus_bench_rx_view_free_loop(uint16_t port, uint16_t queue, uint64_t iterations);

/*
 * The same loop doing also what isthmus_rx_burst adds for Java: each packet's data address and length written to
 * caller arrays. The difference to the Java variants is then the cost of crossing into native code alone.
 */
uint64_t isthmus_bench_rx_view_free_loop(uint16_t port, uint16_t queue, uint64_t iterations)
{
	struct rte_mbuf *mbufs[32];
	static uint64_t addrs[32];
	static uint32_t lens[32];
	uint64_t received = 0;

	for (uint64_t i = 0; i < iterations; i++) {
		uint16_t n = rte_eth_rx_burst(port, queue, mbufs, 32);

		for (uint16_t j = 0; j < n; j++) {
			addrs[j] = (uint64_t)(uintptr_t)rte_pktmbuf_mtod(mbufs[j], char *);
			lens[j] = mbufs[j]->data_len;
		}
		/* Keeps the compiler from dropping the stores it would otherwise see as dead. */
		__asm__ volatile("" : : "r"(addrs), "r"(lens) : "memory");
		rte_pktmbuf_free_bulk(mbufs, n);
		received += n;
	}
	return received;
}
