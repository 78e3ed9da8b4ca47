package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;

/**
 * The per-lcore state the vswitch's steps share while one frame is processed: the frame, the snapshot and second
 * read for it, this lcore's counter lane, a pool and scratch burst for flood copies and probes, and the one-entry
 * "last key" caches of learning and lookup (VPP's l2-learn keeps the same). Owned by one lcore thread.
 */
final class SwitchContext {

    static final int[] DROP_CODES;

    static {
        final VxlanDrop[] reasons = VxlanDrop.values();
        DROP_CODES = new int[reasons.length];
        for (VxlanDrop reason : reasons) {
            DROP_CODES[reason.ordinal()] = DropReasons.code(reason);
        }
    }

    final int lane;
    final Mempool pool;
    final FrameCounters counters;
    final MbufBurst copies = new MbufBurst();
    final MbufBurst probes = new MbufBurst();

    PacketFrame frame;
    MbufBurst burst;
    VswitchSnapshot snapshot;
    int now;
    /** The current packet's data address and length, kept up to date as its headers are stripped or added. */
    long at;
    int length;

    /** Last (domain, source MAC) learned at a target in this frame: the next identical packet skips the FDB. */
    BridgeDomain learnedDomain;
    long learnedMac;
    int learnedTarget;
    /** Last (domain, destination MAC) looked up in this frame and its target. */
    BridgeDomain lookedUpDomain;
    long lookedUpMac;
    int lookedUpTarget;
    /**
     * Last access port and VLAN a packet of this frame came in on (-1: none yet) and what they resolve to: its
     * domain, its {@link dev.isthmus.vswitch.fdb.FdbTarget} and its index among the domain's ports. A burst from an
     * access port mostly shares one VLAN.
     */
    int accessPort;
    int accessVlan;
    BridgeDomain accessDomain;
    int accessTarget;
    int accessIndex;
    /**
     * Last VNI a VxLAN packet of this frame carried (-1: none yet; a VNI has 24 bits) and its domain, null when the
     * snapshot has none: a burst from the uplink mostly carries one segment, so most packets skip the VNI table.
     */
    int vni;
    BridgeDomain vniDomain;

    SwitchContext(int lane, Mempool pool) {
        this.lane = lane;
        this.pool = pool;
        this.counters = new FrameCounters(lane);
    }

    void begin(PacketFrame frame, VswitchSnapshot snapshot, int now) {
        this.frame = frame;
        this.burst = frame.burst();
        this.snapshot = snapshot;
        this.now = now;
        this.learnedDomain = null;
        this.lookedUpDomain = null;
        this.accessPort = -1;
        this.vni = -1;
        this.vniDomain = null;
    }

    /** Drops packet {@code i} for a reason counted both by the dataplane and by the domain (when known). */
    void drop(int i, BridgeDomain domain, VxlanDrop reason) {
        frame.drop(i, DROP_CODES[reason.ordinal()]);
        if (domain != null) {
            domain.counters().drop(lane, reason);
        }
    }
}
