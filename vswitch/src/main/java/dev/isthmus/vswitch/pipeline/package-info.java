/**
 * The vswitch's data path, plugged into the dataplane's pipeline as one {@link
 * dev.isthmus.dataplane.pipeline.PacketStage} per lcore ({@link dev.isthmus.vswitch.pipeline.VswitchStage}), a
 * frame at a time in VPP's style: the snapshot and the clock are read once per frame, each packet gets one verdict
 * (transmit, drop with a reason) or is left pending for the next stage when it is not the switch's (ARP and ping for
 * the VTEP's own address, traffic on ports of no bridge domain).
 *
 * <p>One class per step: {@link dev.isthmus.vswitch.pipeline.VxlanDecap} validates and strips outer headers,
 * {@link dev.isthmus.vswitch.pipeline.L2Forwarder} learns and forwards inside a bridge domain (flooding with
 * head-end replication, split horizon), {@link dev.isthmus.vswitch.pipeline.VxlanEncap} adds outer headers
 * (written by {@link dev.isthmus.vswitch.wire.VxlanEncapsulation}), {@link
 * dev.isthmus.vswitch.pipeline.ArpSuppressor} answers ARP from the domain's bindings, {@link
 * dev.isthmus.vswitch.pipeline.NeighborProber} resolves underlay next hops. Per-lcore state they share lives in
 * {@link dev.isthmus.vswitch.pipeline.SwitchContext}.
 */
package dev.isthmus.vswitch.pipeline;
