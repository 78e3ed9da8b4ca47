/**
 * The vswitch's run-time state and the compiled snapshot the data path reads.
 *
 * <p>{@link dev.isthmus.vswitch.runtime.VswitchSnapshot} is immutable: arrays indexed by port and VLAN, VNI and VTEP
 * id, built by the control side from a {@link dev.isthmus.vswitch.config.VswitchConfig} and published with one
 * volatile write. The mutable state it points at — each domain's FDB, ARP table and counters, each VTEP's counters,
 * each underlay next hop's resolved MAC — lives in objects that survive from one snapshot to the next
 * ({@link dev.isthmus.vswitch.runtime.VswitchState}), so a configuration change loses no learned MAC or counter.
 */
package dev.isthmus.vswitch.runtime;
