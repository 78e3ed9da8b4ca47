/*
 * Per-thread state of DPDK (thread-locals read wrong through FFM as globals) and CPU pinning of poll threads.
 */
#define _GNU_SOURCE
#include "isthmus_shim.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include <rte_errno.h>
#include <rte_lcore.h>

uint32_t isthmus_lcore_id(void)
{
	return rte_lcore_id();
}

int isthmus_errno(void)
{
	return rte_errno;
}

/* Poll threads are Java threads, not EAL-launched lcores, so EAL never pins them; this does. */
int isthmus_pin_current_thread(uint32_t cpu)
{
	cpu_set_t set;

	if (cpu >= CPU_SETSIZE)
		return EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

uint32_t isthmus_cpuset_size(void)
{
	return sizeof(cpu_set_t);
}

int isthmus_get_affinity(void *cpuset)
{
	return pthread_getaffinity_np(pthread_self(), sizeof(cpu_set_t), cpuset);
}

int isthmus_set_affinity(const void *cpuset)
{
	return pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), cpuset);
}
