/**
 * Lock-free handoff of mbuf pointers between lcores: {@link dev.isthmus.dataplane.ring.MbufRing}, a Java
 * implementation of DPDK's rte_ring head/tail protocol over off-heap slots, and
 * {@link dev.isthmus.dataplane.ring.FlowHash}, which keeps every packet of a flow on the same worker.
 *
 * <p>Naming follows JCTools ({@code queues/package-info.java}): {@code lp}/{@code sp} plain load/store,
 * {@code la} load-acquire, {@code so} ordered store (store-release), {@code cas} compare-and-set. Every ordered
 * store and acquiring load carries a comment saying what it publishes or observes. Hot fields sit on their own
 * cache lines, padded by the class hierarchy (superclass fields are laid out first).
 */
package dev.isthmus.dataplane.ring;
