/**
 * What the vswitch counts: its drop reasons ({@link dev.isthmus.vswitch.counters.VxlanDrop}, registered with the
 * dataplane's {@link dev.isthmus.dataplane.counters.DropReasons}) and counters per bridge domain, access port and
 * VTEP, striped per lcore lane so that poll loops never contend ({@link
 * dev.isthmus.vswitch.counters.StripedCounters}) and readable from any thread at any time.
 */
package dev.isthmus.vswitch.counters;
