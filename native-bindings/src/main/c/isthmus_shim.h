/*
 * Isthmus C shim: what jextract cannot bind from DPDK 22.11 (static inline functions, macros, thread-locals,
 * bitfields), exposed as plain functions that Java calls through FFM. Burst-oriented: one call serves a burst.
 */
#ifndef ISTHMUS_SHIM_H
#define ISTHMUS_SHIM_H

#include <stdint.h>

/* rte_lcore_id() of the calling thread: a thread-local in DPDK, so it cannot be read as a global. */
uint32_t isthmus_lcore_id(void);

/* rte_errno of the calling thread (a thread-local, see above). */
int isthmus_errno(void);

#endif
