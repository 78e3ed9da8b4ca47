/**
 * jcstress tests of {@link dev.isthmus.dataplane.ring.MbufRing}'s head/tail protocol (DPDK rte_ring's): each class
 * races the actors of one side or both over a fresh ring and lists every outcome the protocol allows, with why, and
 * forbids the rest — a slot read before its write was published, an element lost or delivered twice, a bulk
 * operation that moved part of its elements, a producer overwriting a slot a consumer had not finished reading.
 *
 * <p>Every test takes its ring from {@link dev.isthmus.dataplane.ring.jcstress.Rings} and its {@code @Arbiter} gives
 * it back drained: the slots are native memory in a shared arena, and jcstress creates millions of states. Run by the {@code jcstress} execution of this module in {@code verify}
 * (docs/testing.md).
 */
package dev.isthmus.dataplane.ring.jcstress;
