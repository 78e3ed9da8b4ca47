/*
 * The DPDK 22.11 headers whose exported functions Isthmus binds with jextract (see ../../../regenerate.sh).
 * rte_config.h comes first, as pkg-config's "-include rte_config.h" does for C builds.
 */
#include <rte_config.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_dev.h>
#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_mempool.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
