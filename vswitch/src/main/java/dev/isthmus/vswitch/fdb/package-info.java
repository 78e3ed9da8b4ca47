/**
 * The forwarding database of a bridge domain: which MAC lives behind which local access port or remote VTEP.
 *
 * <p>{@link dev.isthmus.vswitch.fdb.LearningTable} is the lock-free open-addressing table underneath (lookups and
 * learning from any number of poll-mode lcores, maintenance from one control thread);
 * {@link dev.isthmus.vswitch.fdb.Fdb} gives it MAC-table semantics (targets, static entries, aging, the per-domain
 * learning limit). Targets are {@code int}s encoded by {@link dev.isthmus.vswitch.fdb.FdbTarget} so the data path
 * never allocates.
 */
package dev.isthmus.vswitch.fdb;
