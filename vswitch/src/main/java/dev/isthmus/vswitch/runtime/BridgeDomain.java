package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.fdb.Fdb;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.wire.VxlanHeader;

/**
 * One bridge domain as the data path reads it: immutable arrays compiled from its configuration (access ports as
 * {@link FdbTarget}s, flood-list VTEPs, learned VTEPs, which VTEP ids may send to it) beside its long-lived FDB, ARP table and
 * counters.
 */
public final class BridgeDomain {

    private final BridgeDomainConfig config;
    private final DomainState state;
    private final int[] localTargets;
    private final TrafficCounters[] portCounters;
    private final Vtep[] floodList;
    private final Vtep[] learnedVteps;
    private final boolean[] acceptsVtep;
    private final long vxlanHeader;

    BridgeDomain(BridgeDomainConfig config, DomainState state, int[] localTargets, TrafficCounters[] portCounters,
                 Vtep[] floodList, Vtep[] learnedVteps, int vtepIdBound) {
        this.config = config;
        this.state = state;
        this.localTargets = localTargets;
        this.portCounters = portCounters;
        this.floodList = floodList;
        this.learnedVteps = learnedVteps;
        this.acceptsVtep = new boolean[vtepIdBound];
        for (Vtep vtep : floodList) {
            acceptsVtep[vtep.id()] = true;
        }
        // Learned VTEPs send and receive unicast like configured ones, but get no head-end replicated copies.
        for (Vtep vtep : learnedVteps) {
            acceptsVtep[vtep.id()] = true;
        }
        this.vxlanHeader = VxlanHeader.headerWord(config.vni());
    }

    /** @return the configuration this was compiled from */
    public BridgeDomainConfig config() {
        return config;
    }

    /** @return the VNI */
    public int vni() {
        return config.vni();
    }

    /** @return the MAC table */
    public Fdb fdb() {
        return state.fdb();
    }

    /** @return the ARP-suppression table */
    public ArpSuppressionTable arp() {
        return state.arp();
    }

    /** @return whether ARP suppression is on */
    public boolean arpSuppression() {
        return config.arpSuppression();
    }

    /** @return the domain's counters */
    public DomainCounters counters() {
        return state.counters();
    }

    /** @return how many access ports */
    public int localCount() {
        return localTargets.length;
    }

    /** @param i an index below {@link #localCount()} @return that access port as an {@link FdbTarget} */
    public int localTarget(int i) {
        return localTargets[i];
    }

    /** @param i an index below {@link #localCount()} @return that access port's counters */
    public TrafficCounters localCounters(int i) {
        return portCounters[i];
    }

    /**
     * @param target a local {@link FdbTarget}
     * @return its index among the access ports, or -1 when it is no longer one (a stale FDB entry)
     */
    public int localIndex(int target) {
        final int[] targets = localTargets;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** @return how many VTEPs are on the flood list */
    public int floodCount() {
        return floodList.length;
    }

    /** @param i an index below {@link #floodCount()} @return that VTEP */
    public Vtep floodVtep(int i) {
        return floodList[i];
    }

    /** @return how many VTEPs were learned (accepted, not flooded to) */
    public int learnedCount() {
        return learnedVteps.length;
    }

    /** @param i an index below {@link #learnedCount()} @return that VTEP */
    public Vtep learnedVtep(int i) {
        return learnedVteps[i];
    }

    /** @return whether VxLAN from a VTEP this domain does not accept asks the control side to learn it */
    public boolean learnsVteps() {
        return config.learnVteps();
    }

    /**
     * @param vtepId a VTEP id
     * @return whether VxLAN from that VTEP is accepted for this VNI (on the flood list or learned)
     */
    public boolean acceptsVtep(int vtepId) {
        return vtepId >= 0 && vtepId < acceptsVtep.length && acceptsVtep[vtepId];
    }

    /** @return the 8 bytes of this domain's VxLAN header as one big-endian long */
    public long vxlanHeader() {
        return vxlanHeader;
    }
}
