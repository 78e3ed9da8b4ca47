package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.ring.FlowHash;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.wire.Ipv4OuterTemplate;
import dev.isthmus.vswitch.wire.VxlanEncapsulation;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.Vtep;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;

/**
 * Sends an inner frame to a remote VTEP (VPP's vxlan4-encap/vxlan6-encap): checks it fits the underlay MTU once
 * encapsulated (RFC 7348 section 4.3: VTEPs must not fragment, so an oversized frame is dropped and counted), that
 * the VTEP is reachable and its next hop's MAC is known (probing it when due), then prepends and writes the outer
 * headers ({@link VxlanEncapsulation}) and transmits on the uplink — the packet itself, or a copy for head-end
 * replication.
 */
final class VxlanEncap {

    private static final VxlanDrop[] REASONS = VxlanDrop.values();

    private final NeighborProber prober = new NeighborProber();

    /**
     * Whether a frame of {@code innerLength} bytes can go to {@code vtep} now; counts the reason when not.
     *
     * <p>The next hop's MAC is read here, once, and handed to the write: the control thread may expire the neighbour
     * at any moment, and a second read could find {@link Neighbor#UNRESOLVED} (all ones: a broadcast outer
     * destination) after the check passed.
     *
     * @return the next hop's MAC to write (48 bits, not negative) when it can go, else a negative value that
     *     {@link #refusal} turns into the drop reason (already counted on the VTEP; the caller counts the domain)
     */
    long check(SwitchContext ctx, BridgeDomain domain, Vtep vtep, int innerLength) {
        final VswitchSnapshot snap = ctx.snapshot;
        final boolean overIpv6 = vtep.overIpv6();
        final VxlanDrop reason;
        if (innerLength > snap.maxInnerFrame(overIpv6)) {
            reason = VxlanDrop.MTU_EXCEEDED;
        } else {
            final Neighbor hop = vtep.nextHop();
            if (hop == null) {
                reason = VxlanDrop.VTEP_UNREACHABLE;
            } else {
                if (hop.takeProbe(ctx.now)) {
                    prober.probe(ctx, hop);
                }
                final long mac = hop.mac();
                if (mac != Neighbor.UNRESOLVED) {
                    return mac;
                }
                reason = VxlanDrop.NEXT_HOP_UNRESOLVED;
            }
        }
        vtep.counters().dropped(ctx.lane);
        return ~reason.ordinal();
    }

    /** @return the reason a negative {@link #check} result stands for */
    static VxlanDrop refusal(long checked) {
        return REASONS[(int) ~checked];
    }

    /** Encapsulates packet {@code i} of the frame in place towards {@code vtep} and transmits it on the uplink. */
    void encapsulate(SwitchContext ctx, int i, BridgeDomain domain, Vtep vtep) {
        final long nextHopMac = check(ctx, domain, vtep, ctx.length);
        if (nextHopMac < 0) {
            ctx.drop(i, domain, refusal(nextHopMac));
            return;
        }
        encapsulate(ctx, i, domain, vtep, nextHopMac);
    }

    /**
     * Encapsulates packet {@code i} towards {@code vtep}, already {@link #check checked}, with the next-hop MAC that
     * check returned.
     */
    void encapsulate(SwitchContext ctx, int i, BridgeDomain domain, Vtep vtep, long nextHopMac) {
        final int innerLength = ctx.length;
        final long flowHash = FlowHash.hash(ctx.at, innerLength, false);
        final int outerLength = vtep.overIpv6() ? VxlanEncapsulation.IPV6_OUTER_LENGTH
                : VxlanEncapsulation.IPV4_OUTER_LENGTH;
        final long outer = ctx.burst.prepend(i, outerLength);
        if (outer == 0) {
            ctx.drop(i, domain, VxlanDrop.NO_HEADROOM);
            return;
        }
        write(ctx.snapshot, outer, innerLength, domain, vtep, flowHash, nextHopMac);
        ctx.frame.transmit(i, ctx.snapshot.uplinkPort());
        sent(ctx, domain, vtep, innerLength);
    }

    /**
     * Encapsulates a copy of an inner frame into slot {@code slot} of {@code copies} (a fresh mbuf) and transmits
     * it on the uplink. The caller has already {@link #check checked} the VTEP, which gave {@code nextHopMac}.
     */
    void encapsulateCopy(SwitchContext ctx, MbufBurst copies, int slot, long inner, int innerLength,
                         long flowHash, BridgeDomain domain, Vtep vtep, long nextHopMac) {
        final long to = copies.append(slot, innerLength);
        if (to == 0) {
            domain.counters().drop(ctx.lane, VxlanDrop.NO_HEADROOM);
            return; // freed with the batch
        }
        PacketMemory.copy(inner, to, innerLength);
        final int outerLength = vtep.overIpv6() ? VxlanEncapsulation.IPV6_OUTER_LENGTH
                : VxlanEncapsulation.IPV4_OUTER_LENGTH;
        final long outer = copies.prepend(slot, outerLength);
        if (outer == 0) {
            domain.counters().drop(ctx.lane, VxlanDrop.NO_HEADROOM);
            return; // the copy stays in the scratch burst and is freed with it
        }
        write(ctx.snapshot, outer, innerLength, domain, vtep, flowHash, nextHopMac);
        ctx.frame.transmitNew(copies.take(slot), ctx.snapshot.uplinkPort());
        sent(ctx, domain, vtep, innerLength);
    }

    private static void write(VswitchSnapshot snap, long outer, int innerLength, BridgeDomain domain, Vtep vtep,
                              long flowHash, long nextHopMac) {
        final Ipv4OuterTemplate overIpv4 = vtep.ipv4Template();
        if (overIpv4 != null) {
            overIpv4.write(outer, innerLength, nextHopMac, VxlanEncapsulation.sourcePort(flowHash),
                    domain.vxlanHeader());
        } else {
            final VtepAddress remote = vtep.address();
            VxlanEncapsulation.writeIpv6(outer, innerLength, nextHopMac, snap.uplinkMac(), snap.ipv6High(),
                    snap.ipv6Low(), remote.high(), remote.low(), flowHash, snap.udpPort(), domain.vxlanHeader());
        }
    }

    private static void sent(SwitchContext ctx, BridgeDomain domain, Vtep vtep, int innerLength) {
        ctx.counters.count(domain.counters(), DomainCounter.TX_REMOTE);
        ctx.counters.vtepSent(vtep, innerLength);
    }
}
