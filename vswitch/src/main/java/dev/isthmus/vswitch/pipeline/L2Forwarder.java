package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.ring.FlowHash;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.LearnOutcome;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.Vtep;

/**
 * Switching inside a bridge domain (VPP's l2-learn, l2-fwd and l2-flood in one step): learn the source MAC against
 * where the frame came from, then send a known unicast frame to its access port or remote VTEP and flood every
 * other frame — broadcast, multicast, unknown unicast — to the domain's other access ports and, by head-end
 * replication, to every VTEP of its flood list.
 *
 * <p>Split horizon (RFC 7348 section 4: VTEPs form a full mesh, so a VTEP never relays between two others): a frame
 * that came from a remote VTEP is never sent to a remote VTEP, neither as known unicast nor in a flood.
 *
 * <p>Flood copies are full copies of the frame in fresh mbufs (every VTEP copy gets its own outer header); the
 * original goes to the last destination. FDB entries that point at a port or VTEP no longer in the domain (removed
 * a moment ago) are treated as unknown and flooded.
 */
final class L2Forwarder {

    private static final int VLAN_TAG = EthernetHeader.VLAN_TAG_LENGTH;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final VxlanEncap encap;
    private int[] destinations = new int[64];
    /** For each VTEP destination of a flood, the next-hop MAC its check read (written with that, not re-read). */
    private long[] nextHopMacs = new long[64];

    L2Forwarder(VxlanEncap encap) {
        this.encap = encap;
    }

    /**
     * Learns the source of packet {@code i} (an untagged inner frame) at {@code ingress}.
     *
     * @return false when the packet was dropped (group source address)
     */
    boolean learn(SwitchContext ctx, int i, BridgeDomain domain, int ingress) {
        final long source = sourceMac(ctx.at);
        if (MacAddress.isMulticast(source)) {
            ctx.drop(i, domain, VxlanDrop.GROUP_SOURCE_MAC);
            return false;
        }
        if (ctx.learnedDomain == domain && ctx.learnedMac == source && ctx.learnedTarget == ingress) {
            return true;
        }
        final int outcome = domain.fdb().learn(source, ingress, ctx.now);
        switch (outcome) {
            case LearnOutcome.HIT -> { }
            case LearnOutcome.LEARNED -> domain.counters().increment(ctx.lane, DomainCounter.LEARNED);
            case LearnOutcome.MOVED -> domain.counters().increment(ctx.lane, DomainCounter.MOVED);
            case LearnOutcome.LIMIT_REACHED -> domain.counters().increment(ctx.lane, DomainCounter.LEARN_LIMIT);
            case LearnOutcome.TABLE_FULL -> domain.counters().increment(ctx.lane, DomainCounter.LEARN_TABLE_FULL);
            default -> domain.counters().increment(ctx.lane, DomainCounter.LEARN_STATIC_CONFLICT);
        }
        if (outcome <= LearnOutcome.MOVED) {
            ctx.learnedDomain = domain;
            ctx.learnedMac = source;
            ctx.learnedTarget = ingress;
        }
        return true;
    }

    /**
     * Forwards packet {@code i}, an untagged inner frame of {@code domain} that came from {@code ingress}.
     *
     * @param fromRemote whether it came from a remote VTEP (split horizon)
     */
    void forward(SwitchContext ctx, int i, BridgeDomain domain, int ingress, boolean fromRemote) {
        final long destination = destinationMac(ctx.at);
        if (!MacAddress.isMulticast(destination)) {
            final int target;
            if (ctx.lookedUpDomain == domain && ctx.lookedUpMac == destination) {
                target = ctx.lookedUpTarget;
            } else {
                target = domain.fdb().lookup(destination);
                ctx.lookedUpDomain = domain;
                ctx.lookedUpMac = destination;
                ctx.lookedUpTarget = target;
            }
            if (target != FdbTarget.MISS) {
                if (target == ingress) {
                    ctx.drop(i, domain, VxlanDrop.SAME_PORT);
                    return;
                }
                if (FdbTarget.isLocal(target)) {
                    final int local = domain.localIndex(target);
                    if (local >= 0) {
                        deliver(ctx, i, domain, local);
                        return;
                    }
                } else {
                    if (fromRemote) {
                        ctx.drop(i, domain, VxlanDrop.SPLIT_HORIZON);
                        return;
                    }
                    final int vtepId = FdbTarget.vtepId(target);
                    final Vtep vtep = ctx.snapshot.vtep(vtepId);
                    if (vtep != null && domain.acceptsVtep(vtepId)) {
                        encap.encapsulate(ctx, i, domain, vtep);
                        return;
                    }
                }
            }
        }
        flood(ctx, i, domain, ingress, fromRemote);
    }

    // Callers pass frames of at least an Ethernet header (14 bytes), so one 8-byte load per MAC stays inside the
    // frame: bytes 0-7 hold the destination, bytes 4-11 end with the source.

    private static long destinationMac(long frame) {
        return PacketMemory.i64(frame) >>> 16;
    }

    private static long sourceMac(long frame) {
        return PacketMemory.i64(frame + EthernetHeader.SOURCE_OFFSET - 2) & MAC_MASK;
    }

    /** Sends packet {@code i} out of access port {@code local} of the domain, tagging it when that port is a VLAN. */
    void deliver(SwitchContext ctx, int i, BridgeDomain domain, int local) {
        final int target = domain.localTarget(local);
        final int vlan = FdbTarget.vlan(target);
        int length = ctx.length;
        if (vlan != 0) {
            final long tagged = ctx.burst.prepend(i, VLAN_TAG);
            length += VLAN_TAG;
            if (tagged == 0) {
                ctx.drop(i, domain, VxlanDrop.NO_HEADROOM);
                return;
            }
            PacketMemory.copy(tagged + VLAN_TAG, tagged, 2 * 6);
            PacketMemory.put16(tagged + EthernetHeader.TYPE_OFFSET, EthernetHeader.TYPE_VLAN);
            PacketMemory.put16(tagged + EthernetHeader.TYPE_OFFSET + 2, vlan);
        }
        ctx.frame.transmit(i, FdbTarget.portId(target));
        ctx.counters.count(domain.counters(), DomainCounter.TX_LOCAL);
        ctx.counters.portSent(domain.localCounters(local), length);
    }

    private void flood(SwitchContext ctx, int i, BridgeDomain domain, int ingress, boolean fromRemote) {
        final long frame = ctx.at;
        final int length = ctx.length;
        final int locals = domain.localCount();
        final int vteps = fromRemote ? 0 : domain.floodCount();
        if (destinations.length < locals + vteps) {
            destinations = new int[Integer.highestOneBit(locals + vteps) << 1];
            nextHopMacs = new long[destinations.length];
        }
        final int[] to = destinations;
        final long[] macs = nextHopMacs;
        int n = 0;
        for (int k = 0; k < locals; k++) {
            if (domain.localTarget(k) != ingress) {
                to[n++] = k;
            }
        }
        VxlanDrop lastRefused = null;
        for (int j = 0; j < vteps; j++) {
            final Vtep vtep = domain.floodVtep(j);
            final long checked = encap.check(ctx, domain, vtep, length);
            if (checked >= 0) {
                macs[n] = checked;
                to[n++] = ~j;
            } else {
                lastRefused = VxlanEncap.refusal(checked);
                domain.counters().drop(ctx.lane, lastRefused);
            }
        }
        if (n == 0) {
            if (lastRefused != null) {
                // There were VTEPs to flood to, each refused and counted on the domain above: the packet is one
                // drop, under that reason, not also "nowhere to flood".
                ctx.frame.drop(i, SwitchContext.DROP_CODES[lastRefused.ordinal()]);
            } else {
                ctx.drop(i, domain, VxlanDrop.NOWHERE_TO_FLOOD);
            }
            return;
        }
        domain.counters().increment(ctx.lane, DomainCounter.FLOODED);
        final long flowHash = vteps > 0 ? FlowHash.hash(frame, length, false) : 0;
        // Copies first, from the untouched original; then the original, modified in place, to the last destination.
        final MbufBurst copies = ctx.copies;
        int next = 0;
        while (next < n - 1) {
            final int batch = Math.min(n - 1 - next, MbufBurst.MAX);
            if (!copies.allocate(ctx.pool, batch)) {
                for (int d = next; d < n - 1; d++) {
                    domain.counters().drop(ctx.lane, VxlanDrop.REPLICATION_FAILED);
                }
                break;
            }
            for (int s = 0; s < batch; s++) {
                final int d = to[next + s];
                if (d >= 0) {
                    copyToLocal(ctx, copies, s, frame, length, domain, d);
                } else {
                    encap.encapsulateCopy(ctx, copies, s, frame, length, flowHash, domain, domain.floodVtep(~d),
                            macs[next + s]);
                }
            }
            copies.freeAll(); // only copies that failed are still here
            domain.counters().add(ctx.lane, DomainCounter.REPLICAS, batch);
            next += batch;
        }
        final int last = to[n - 1];
        if (last >= 0) {
            deliver(ctx, i, domain, last);
        } else {
            encap.encapsulate(ctx, i, domain, domain.floodVtep(~last), macs[n - 1]);
        }
    }

    private void copyToLocal(SwitchContext ctx, MbufBurst copies, int slot, long frame, int length,
                             BridgeDomain domain, int local) {
        final int target = domain.localTarget(local);
        final int vlan = FdbTarget.vlan(target);
        final int copyLength = vlan == 0 ? length : length + VLAN_TAG;
        final long to = copies.append(slot, copyLength);
        if (to == 0) {
            // A frame filling the whole buffer has no room for the tag: this copy is dropped, freed with the batch.
            domain.counters().drop(ctx.lane, VxlanDrop.NO_HEADROOM);
            return;
        }
        if (vlan == 0) {
            PacketMemory.copy(frame, to, length);
        } else {
            PacketMemory.copy(frame, to, 2 * 6);
            PacketMemory.put16(to + EthernetHeader.TYPE_OFFSET, EthernetHeader.TYPE_VLAN);
            PacketMemory.put16(to + EthernetHeader.TYPE_OFFSET + 2, vlan);
            PacketMemory.copy(frame + EthernetHeader.TYPE_OFFSET, to + EthernetHeader.TYPE_OFFSET + VLAN_TAG,
                    length - EthernetHeader.TYPE_OFFSET);
        }
        ctx.frame.transmitNew(copies.take(slot), FdbTarget.portId(target));
        ctx.counters.count(domain.counters(), DomainCounter.TX_LOCAL);
        ctx.counters.portSent(domain.localCounters(local), copyLength);
    }
}
