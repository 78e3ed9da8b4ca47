#include "isthmus_shim.h"

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
