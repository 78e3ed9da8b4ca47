/*
 * C reference for RxFreeBenchmark: the same rte_eth_rx_burst(32) + rte_pktmbuf_free_bulk loop on the same
 * net_null port, EAL arguments and pool as the Java benchmark, in a process of its own. Prints one line per round
 * with the wall-clock and the thread's CPU time per burst, then "c_ns_per_op X.XX" (the best wall-clock round)
 * for bench-native.sh. On a shared machine the CPU time shows how much of the wall-clock time others took.
 * Built by perf/scripts/build-native-bench.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST 32
#define ROUNDS 5
#define OPS_PER_ROUND 2000000L

static void die(const char *call, int err)
{
	fprintf(stderr, "%s failed: %s\n", call, rte_strerror(err < 0 ? -err : err));
	exit(1);
}

static double now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *mbufs[BURST];
	struct rte_mempool *pool;
	uint16_t port;
	double best = 1e18;
	uint64_t received = 0;
	int rc;

	rc = rte_eal_init(argc, argv);
	if (rc < 0)
		die("rte_eal_init", rte_errno);
	pool = rte_pktmbuf_pool_create("bench_pool", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL)
		die("rte_pktmbuf_pool_create", rte_errno);
	if ((rc = rte_vdev_init("net_null_bench", "size=64")) != 0)
		die("rte_vdev_init", rc);
	if ((rc = rte_eth_dev_get_port_by_name("net_null_bench", &port)) != 0)
		die("rte_eth_dev_get_port_by_name", rc);
	if ((rc = rte_eth_dev_configure(port, 1, 1, &conf)) != 0)
		die("rte_eth_dev_configure", rc);
	if ((rc = rte_eth_rx_queue_setup(port, 0, 1024, rte_socket_id(), NULL, pool)) != 0)
		die("rte_eth_rx_queue_setup", rc);
	if ((rc = rte_eth_tx_queue_setup(port, 0, 1024, rte_socket_id(), NULL)) != 0)
		die("rte_eth_tx_queue_setup", rc);
	if ((rc = rte_eth_dev_start(port)) != 0)
		die("rte_eth_dev_start", rc);

	for (int round = 0; round < ROUNDS; round++) {
		double start = now_ns(CLOCK_MONOTONIC);
		double start_cpu = now_ns(CLOCK_THREAD_CPUTIME_ID);

		for (long i = 0; i < OPS_PER_ROUND; i++) {
			uint16_t n = rte_eth_rx_burst(port, 0, mbufs, BURST);

			rte_pktmbuf_free_bulk(mbufs, n);
			received += n;
		}
		double per_op = (now_ns(CLOCK_MONOTONIC) - start) / OPS_PER_ROUND;
		double cpu_per_op = (now_ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu) / OPS_PER_ROUND;

		printf("round %d: %.2f ns/op wall, %.2f ns/op thread CPU\n", round, per_op, cpu_per_op);
		if (per_op < best)
			best = per_op;
	}
	printf("packets received: %lu (%.1f per burst)\n", (unsigned long)received,
	       (double)received / (ROUNDS * OPS_PER_ROUND));
	printf("c_ns_per_op %.2f\n", best);
	rte_eth_dev_stop(port);
	rte_vdev_uninit("net_null_bench");
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return 0;
}
