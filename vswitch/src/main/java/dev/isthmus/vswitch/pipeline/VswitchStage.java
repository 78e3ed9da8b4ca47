package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.StripedCounters;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;

import java.util.function.Supplier;

/**
 * The VxLAN switch as a dataplane stage, one instance per lcore. Per frame it reads the published
 * {@link VswitchSnapshot} once and takes the learning clock's second from the frame's receipt time, then per pending
 * packet:
 * <ul>
 *   <li>from the underlay uplink: {@link VxlanDecap} — VxLAN for this VTEP is decapsulated, its inner source learned
 *   against the remote VTEP and the inner frame forwarded inside its domain (never to another VTEP); anything else
 *   stays pending for the host stage;</li>
 *   <li>from an access port: the 802.1Q tag (if any) selects the bridge domain and is removed, the source is learned
 *   against the port, ARP requests are answered from the suppression table when possible, and the frame is
 *   switched to a local port, encapsulated to its VTEP, or flooded;</li>
 *   <li>from any other port: left pending.</li>
 * </ul>
 */
public final class VswitchStage implements PacketStage {

    private final Supplier<VswitchSnapshot> snapshots;
    private final SwitchContext ctx;
    private final VxlanDecap decap = new VxlanDecap();
    private final L2Forwarder forwarder = new L2Forwarder(new VxlanEncap());
    private final ArpSuppressor arp = new ArpSuppressor();

    /**
     * @param snapshots where the current snapshot is read (e.g. {@code control::snapshot})
     * @param lcore the lcore this stage runs on
     */
    public VswitchStage(Supplier<VswitchSnapshot> snapshots, LcoreContext lcore) {
        this(snapshots, lcore.index(), lcore.mempool());
    }

    /**
     * @param snapshots where the current snapshot is read
     * @param lane this lcore's counter lane, below {@link StripedCounters#DATA_LANES}
     * @param pool where flood copies and probes are allocated
     */
    public VswitchStage(Supplier<VswitchSnapshot> snapshots, int lane, Mempool pool) {
        if (lane < 0 || lane >= StripedCounters.DATA_LANES) {
            throw new IllegalArgumentException("vswitch supports lcore indexes 0.." + (StripedCounters.DATA_LANES - 1)
                    + ", got " + lane);
        }
        this.snapshots = snapshots;
        this.ctx = new SwitchContext(lane, pool);
    }

    @Override
    public void process(PacketFrame frame) {
        final VswitchSnapshot snap = snapshots.get();
        if (snap.domainCount() == 0) {
            return;
        }
        ctx.begin(frame, snap, SecondsClock.at(frame.nanoTime()));
        final int uplink = snap.uplinkPort();
        final int n = frame.size();
        // A burst from a port (not a ring) has one input port: classify it once, not per packet.
        final int burstPort = frame.inputPort();
        if (burstPort >= 0 && burstPort == uplink) {
            uplinkBurst(frame, n);
        } else {
            mixedBurst(frame, n, snap, uplink, burstPort);
        }
        ctx.counters.flush();
    }

    /**
     * A burst from the uplink: its headers are parsed before the loop (one call per burst), so that the loop over the
     * packets holds no call but the decapsulation's.
     */
    private void uplinkBurst(PacketFrame frame, int n) {
        final PacketHeaders headers = frame.headers();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                ctx.at = frame.address(i);
                ctx.length = frame.length(i);
                fromUplink(i, headers);
            }
        }
    }

    /** A burst from an access port, another port, or a ring (whose packets each name their input port). */
    private void mixedBurst(PacketFrame frame, int n, VswitchSnapshot snap, int uplink, int burstPort) {
        final boolean burstFromAccess = burstPort >= 0 && snap.isAccessPort(burstPort);
        // The parsed headers, asked for at the first packet from the uplink: an access port's frames are switched on
        // their Ethernet header alone, so a burst of them is never parsed.
        PacketHeaders headers = null;
        for (int i = 0; i < n; i++) {
            if (!frame.isPending(i)) {
                continue;
            }
            final int port = burstPort >= 0 ? burstPort : frame.inputPort(i);
            ctx.at = frame.address(i);
            ctx.length = frame.length(i);
            if (port == uplink) {
                if (headers == null) {
                    headers = frame.headers();
                }
                fromUplink(i, headers);
            } else if (burstFromAccess || snap.isAccessPort(port)) {
                fromAccessPort(i, port);
            }
        }
    }

    private void fromUplink(int i, PacketHeaders headers) {
        final int vtepId = decap.decapsulate(ctx, i, headers);
        if (vtepId < 0) {
            return;
        }
        final BridgeDomain domain = decap.domain;
        ctx.counters.count(domain.counters(), DomainCounter.RX_REMOTE);
        final int ingress = FdbTarget.remote(vtepId);
        if (!forwarder.learn(ctx, i, domain, ingress)) {
            return;
        }
        if (domain.arpSuppression() && isArp(ctx.at)) {
            arp.handle(ctx, domain, ctx.at, ctx.length, false);
        }
        forwarder.forward(ctx, i, domain, ingress, true);
    }

    private void fromAccessPort(int i, int port) {
        final PacketFrame frame = ctx.frame;
        long at = ctx.at;
        int length = ctx.length;
        if (length < EthernetHeader.HEADER_LENGTH) {
            ctx.drop(i, null, VxlanDrop.INNER_TRUNCATED);
            return;
        }
        int vlan = 0;
        final boolean tagged = PacketMemory.u16(at + EthernetHeader.TYPE_OFFSET) == EthernetHeader.TYPE_VLAN;
        if (tagged) {
            if (length < EthernetHeader.HEADER_LENGTH + EthernetHeader.VLAN_TAG_LENGTH) {
                ctx.drop(i, null, VxlanDrop.INNER_TRUNCATED);
                return;
            }
            // IEEE 802.1Q section 9.6: VID 0 is a priority tag, the frame belongs to the port's untagged domain.
            vlan = PacketMemory.u16(at + EthernetHeader.TYPE_OFFSET + 2) & 0x0FFF;
        }
        final BridgeDomain domain;
        final int ingress;
        final int local;
        if (port == ctx.accessPort && vlan == ctx.accessVlan) {
            domain = ctx.accessDomain;
            ingress = ctx.accessTarget;
            local = ctx.accessIndex;
        } else {
            domain = ctx.snapshot.domainOf(port, vlan);
            if (domain == null) {
                ctx.drop(i, null, VxlanDrop.NO_BRIDGE_DOMAIN);
                return;
            }
            ingress = FdbTarget.local(port, vlan);
            local = domain.localIndex(ingress);
            ctx.accessPort = port;
            ctx.accessVlan = vlan;
            ctx.accessDomain = domain;
            ctx.accessTarget = ingress;
            ctx.accessIndex = local;
        }
        if (tagged) {
            // Inside the domain frames are untagged: the VNI identifies the segment (RFC 7348 section 6.1).
            PacketMemory.copy(at, at + EthernetHeader.VLAN_TAG_LENGTH, 2 * 6);
            at = ctx.burst.adj(i, EthernetHeader.VLAN_TAG_LENGTH);
            length -= EthernetHeader.VLAN_TAG_LENGTH;
            ctx.at = at;
            ctx.length = length;
        }
        ctx.counters.count(domain.counters(), DomainCounter.RX_LOCAL);
        ctx.counters.portReceived(domain.localCounters(local), length);
        if (!forwarder.learn(ctx, i, domain, ingress)) {
            return;
        }
        if (domain.arpSuppression() && isArp(at) && arp.handle(ctx, domain, at, length, true)) {
            forwarder.deliver(ctx, i, domain, local);
            return;
        }
        forwarder.forward(ctx, i, domain, ingress, false);
    }

    private static boolean isArp(long frame) {
        return PacketMemory.u16(frame + EthernetHeader.TYPE_OFFSET) == EthernetHeader.TYPE_ARP;
    }
}
