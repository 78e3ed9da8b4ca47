package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.packet.UdpHeader;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import dev.isthmus.vswitch.wire.VxlanHeader;

/**
 * Frames arriving on the uplink: VxLAN for this VTEP is validated and its outer headers stripped (VPP's
 * vxlan4-input/vxlan6-input); ARP and IPv6 neighbour advertisements from underlay next hops refresh their MAC;
 * everything else is left to the next stage (the host answers ARP and ping for the VTEP's address).
 *
 * <p>A VxLAN packet is accepted only if, in this order: the outer IPv4 header is well formed with a correct checksum
 * and not a fragment (RFC 791), or the outer IPv6 header and its extension chain are (RFC 8200) — both as the frame's
 * one parse found them ({@code PacketFrame.headers()}, {@code HeaderParser}), not checked again here; the UDP length
 * fits and a non-zero checksum (always, over IPv6) is correct (RFC 768, RFC 8200 section 8.1; summed here only when
 * neither a zero checksum nor the NIC settled it); the VxLAN header has exactly the I flag set (RFC 7348 section 5);
 * its VNI names a bridge domain; the outer source is a VTEP on that domain's flood list or one it learned; and an
 * inner Ethernet header follows. From any other source, in a domain that learns VTEPs, the packet is dropped and the
 * control side asked to learn the source. Each failure is a drop with its own reason.
 */
final class VxlanDecap {

    /** {@link #decapsulate} result: not VxLAN for this VTEP, left pending. */
    static final int NOT_OURS = -1;
    /** {@link #decapsulate} result: dropped (the verdict is given). */
    static final int DROPPED = -2;

    private static final int UDP_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);
    private static final int MIN_VXLAN_PAYLOAD = VxlanHeader.LENGTH + EthernetHeader.HEADER_LENGTH;

    private final VxlanHeader vxlan = new VxlanHeader();
    private final ArpPacket arp = new ArpPacket();

    /** The bridge domain of the last packet {@link #decapsulate} accepted. */
    BridgeDomain domain;

    /**
     * Decapsulates packet {@code i} in place: on success the packet is the inner frame and {@link #domain} is set.
     *
     * @param headers the frame's parsed headers ({@code PacketFrame.headers()}), which this reads instead of
     *                validating the outer headers again
     * @return the source VTEP's id, {@link #NOT_OURS} or {@link #DROPPED}
     */
    int decapsulate(SwitchContext ctx, int i, PacketHeaders headers) {
        final VswitchSnapshot snap = ctx.snapshot;
        final long frame = ctx.at;
        if (headers.isUdpOverPlainIpv4(i)) {
            // The common case, told by one compare of the parsed packet word: untagged IPv4 without options, headers
            // well formed, UDP whose checksum is settled correct (zero, as RFC 7348 section 5 asks senders, or the
            // NIC's verdict) and whose Length, in the parsed upper-layer word with the ports, is the whole IP
            // payload. What is left is this stage's, read in two loads: the outer addresses (ours, and the source
            // VTEP) and the VxLAN header.
            final long l3 = frame + EthernetHeader.HEADER_LENGTH;
            final long addresses = PacketMemory.i64(l3 + Ipv4Header.SOURCE_OFFSET); // source, destination
            if (!snap.hasIpv4() || headers.destinationPort(i) != snap.udpPort() || (int) addresses != snap.ipv4()) {
                return NOT_OURS;
            }
            final int udpLength = headers.l4Length(i);
            if (udpLength - UdpHeader.HEADER_LENGTH < MIN_VXLAN_PAYLOAD) {
                ctx.drop(i, null, VxlanDrop.VXLAN_TRUNCATED);
                return DROPPED;
            }
            // Within the frame: the parser found the UDP Length within the IP packet, and the IP packet within it.
            final long vxlanAt = l3 + Ipv4Header.MIN_HEADER_LENGTH + UdpHeader.HEADER_LENGTH;
            final long header = PacketMemory.i64(vxlanAt); // flags and reserved, VNI and reserved
            final int vniWord = (int) header;
            if (!VxlanHeader.isWellFormed((int) (header >>> 32), vniWord)) {
                ctx.drop(i, null, VxlanDrop.VXLAN_BAD_FLAGS);
                return DROPPED;
            }
            return accept(ctx, i, snap, frame, ctx.length, vxlanAt, udpLength, vniWord >>> 8,
                    snap.vtepIdOf((int) (addresses >>> 32)));
        }
        return decapsulateByField(ctx, i, headers);
    }

    /** {@link #decapsulate} for everything but the common case: each header's verdict read on its own. */
    private int decapsulateByField(SwitchContext ctx, int i, PacketHeaders headers) {
        final VswitchSnapshot snap = ctx.snapshot;
        final long frame = ctx.at;
        final int length = ctx.length;
        if (length < EthernetHeader.HEADER_LENGTH || (headers.flags(i) & PacketHeaders.VLAN) != 0) {
            return NOT_OURS; // the uplink is untagged
        }
        final int type = headers.etherType(i);
        final long l3 = frame + EthernetHeader.HEADER_LENGTH;
        final int status = headers.status(i);
        final int vtepId;
        if (type == EthernetHeader.TYPE_IPV4) {
            if (!snap.hasIpv4()) {
                return NOT_OURS;
            }
            if (status != DropReasons.VALID) {
                // UDP to this VTEP with a malformed outer header (RFC 791, as the parser found) is dropped here;
                // anything else malformed is the host stage's to count.
                if (length - EthernetHeader.HEADER_LENGTH >= Ipv4Header.MIN_HEADER_LENGTH
                        && PacketMemory.u8(l3 + Ipv4Header.PROTOCOL_OFFSET) == Ipv4Header.PROTOCOL_UDP
                        && PacketMemory.i32(l3 + Ipv4Header.DESTINATION_OFFSET) == snap.ipv4()) {
                    ctx.frame.drop(i, status);
                    return DROPPED;
                }
                return NOT_OURS;
            }
            if (headers.protocol(i) != Ipv4Header.PROTOCOL_UDP
                    || PacketMemory.i32(l3 + Ipv4Header.DESTINATION_OFFSET) != snap.ipv4()
                    || !isVxlanPort(frame, headers, i, snap)) {
                return NOT_OURS;
            }
            vtepId = snap.vtepIdOf(PacketMemory.i32(l3 + Ipv4Header.SOURCE_OFFSET));
        } else if (type == EthernetHeader.TYPE_IPV6) {
            if (!snap.hasIpv6() || status != DropReasons.VALID) {
                return NOT_OURS; // malformed IPv6 not for a VxLAN port: the host stage counts it
            }
            final int protocol = headers.protocol(i);
            if (protocol == Ipv6Header.NEXT_ICMPV6) {
                snoopNeighborAdvertisement(ctx, frame, headers, i);
                return NOT_OURS;
            }
            if (protocol != Ipv6Header.NEXT_UDP
                    || PacketMemory.i64(l3 + Ipv6Header.DESTINATION_OFFSET) != snap.ipv6High()
                    || PacketMemory.i64(l3 + Ipv6Header.DESTINATION_OFFSET + 8) != snap.ipv6Low()
                    || !isVxlanPort(frame, headers, i, snap)) {
                return NOT_OURS;
            }
            vtepId = snap.vtepIdOf(PacketMemory.i64(l3 + Ipv6Header.SOURCE_OFFSET),
                    PacketMemory.i64(l3 + Ipv6Header.SOURCE_OFFSET + 8));
        } else {
            if (type == EthernetHeader.TYPE_ARP && status == DropReasons.VALID) {
                snoopArp(ctx, frame, length);
            }
            return NOT_OURS;
        }
        final int udpStatus = headers.l4Status(i);
        if (udpStatus != DropReasons.VALID) {
            ctx.frame.drop(i, udpStatus);
            return DROPPED;
        }
        // RFC 7348 section 5: senders SHOULD send a zero checksum over IPv4, but a receiver must check a non-zero
        // one (RFC 768). Over IPv6 zero is not "no checksum" (RFC 8200 section 8.1); RFC 6935/6936 let tunnels opt
        // out, which this VTEP (like Linux's default, udp6zerocsumrx off) does not. The parser settled the zero and
        // NIC-verified cases; anything else is summed here, once.
        if (!headers.l4ChecksumValid(i, frame)) {
            ctx.frame.drop(i, UDP_BAD_CHECKSUM);
            return DROPPED;
        }
        return vxlan(ctx, i, snap, frame, frame + headers.l4Offset(i), vtepId);
    }

    /**
     * The checks from the UDP Length on, for a datagram to this VTEP's address and port whose IP and UDP headers and
     * checksum are valid: room for the VxLAN header and an inner Ethernet header, the VxLAN flags, then
     * {@link #accept}.
     */
    private int vxlan(SwitchContext ctx, int i, VswitchSnapshot snap, long frame, long udpAt, int vtepId) {
        final int udpLength = PacketMemory.u16(udpAt + UdpHeader.LENGTH_OFFSET);
        if (udpLength - UdpHeader.HEADER_LENGTH < MIN_VXLAN_PAYLOAD) {
            ctx.drop(i, null, VxlanDrop.VXLAN_TRUNCATED);
            return DROPPED;
        }
        final long vxlanAt = udpAt + UdpHeader.HEADER_LENGTH;
        vxlan.wrap(vxlanAt, VxlanHeader.LENGTH);
        if (!vxlan.isWellFormed()) {
            ctx.drop(i, null, VxlanDrop.VXLAN_BAD_FLAGS);
            return DROPPED;
        }
        return accept(ctx, i, snap, frame, ctx.length, vxlanAt, udpLength, vxlan.vni(), vtepId);
    }

    /**
     * The checks after the VxLAN header's: its VNI names a domain that lists the source VTEP; then strips the outer
     * headers and counts the packet.
     */
    private int accept(SwitchContext ctx, int i, VswitchSnapshot snap, long frame, int length, long vxlanAt,
                       int udpLength, int vni, int vtepId) {
        final BridgeDomain found;
        if (vni == ctx.vni) {
            found = ctx.vniDomain;
        } else {
            found = snap.domainByVni(vni);
            ctx.vni = vni;
            ctx.vniDomain = found;
        }
        if (found == null) {
            ctx.drop(i, null, VxlanDrop.UNKNOWN_VNI);
            return DROPPED;
        }
        if (!found.acceptsVtep(vtepId)) {
            if (found.learnsVteps()) {
                requestLearning(ctx, snap, found, frame, vni);
                ctx.drop(i, found, VxlanDrop.VTEP_LEARNING);
            } else {
                ctx.drop(i, found, VxlanDrop.UNKNOWN_VTEP);
            }
            return DROPPED;
        }
        final int innerOffset = (int) (vxlanAt + VxlanHeader.LENGTH - frame);
        final int innerLength = udpLength - UdpHeader.HEADER_LENGTH - VxlanHeader.LENGTH;
        // Strip the outer headers, and any Ethernet padding after the outer IP packet.
        ctx.at = ctx.burst.adj(i, innerOffset);
        final int trailing = length - innerOffset - innerLength;
        if (trailing > 0) {
            ctx.burst.trim(i, trailing);
        }
        ctx.length = innerLength;
        final dev.isthmus.vswitch.runtime.Vtep vtep = snap.vtep(vtepId);
        ctx.counters.vtepReceived(vtep, innerLength);
        domain = found;
        return vtepId;
    }

    /**
     * Asks the control side to learn the packet's outer source as a VTEP of {@code domain} (RFC 7348 section 4.1:
     * the mapping of inner MAC to outer source is learned from received packets; here the VTEP itself as well). The
     * packet is dropped all the same: until the control side publishes a snapshot that accepts the VTEP, its frames
     * are not switched. The source is read again from the outer header, on this path only, so the common path
     * carries no address. One lock-free, allocation-free queue per lcore; when it is full the request is counted and
     * lost, and a later packet asks again.
     */
    private static void requestLearning(SwitchContext ctx, VswitchSnapshot snap, BridgeDomain domain, long frame,
                                        int vni) {
        final long l3 = frame + EthernetHeader.HEADER_LENGTH;
        final boolean overIpv6 = PacketMemory.u16(frame + EthernetHeader.TYPE_OFFSET) == EthernetHeader.TYPE_IPV6;
        final boolean queued = overIpv6
                ? snap.learnRequests().lane(ctx.lane).offer(vni, true, PacketMemory.i64(l3 + Ipv6Header.SOURCE_OFFSET),
                        PacketMemory.i64(l3 + Ipv6Header.SOURCE_OFFSET + 8))
                : snap.learnRequests().lane(ctx.lane).offer(vni, false, 0,
                        PacketMemory.i32(l3 + Ipv4Header.SOURCE_OFFSET) & 0xFFFF_FFFFL);
        if (!queued) {
            domain.counters().increment(ctx.lane, DomainCounter.VTEP_LEARN_QUEUE_FULL);
        }
    }

    /**
     * Whether the UDP destination port is the VTEP's: the parsed one, or for a malformed UDP header (which the parser
     * gives no ports) the field as it stands, so that a malformed datagram to the VxLAN port is dropped with its
     * reason.
     */
    private static boolean isVxlanPort(long frame, PacketHeaders headers, int i, VswitchSnapshot snap) {
        final int ports = headers.ports(i);
        final int destination = ports != -1 ? ports & 0xFFFF
                : PacketMemory.u16(frame + headers.l4Offset(i) + UdpHeader.DESTINATION_PORT_OFFSET);
        return destination == snap.udpPort();
    }

    /** RFC 826, "Packet Reception": a sender's (IP, MAC) pair updates the receiver's entry for that IP. */
    private void snoopArp(SwitchContext ctx, long frame, int length) {
        arp.wrap(frame + EthernetHeader.HEADER_LENGTH, length - EthernetHeader.HEADER_LENGTH);
        final Neighbor neighbor = ctx.snapshot.neighborOf(arp.senderIp());
        if (neighbor != null) {
            neighbor.confirm(arp.senderMac(), ctx.now);
        }
    }

    /**
     * RFC 4861 section 7.2.5: a neighbour advertisement for a next hop's address confirms its MAC (from the target
     * link-layer address option, or the frame's source). Only hop limit 255 is accepted (section 7.1.2).
     */
    private static void snoopNeighborAdvertisement(SwitchContext ctx, long frame, PacketHeaders headers, int i) {
        final long icmp = frame + headers.l4Offset(i);
        final int icmpLength = headers.l4Length(i);
        if (icmpLength < Icmpv6Header.ND_LENGTH
                || PacketMemory.u8(frame + headers.l3Offset(i) + Ipv6Header.HOP_LIMIT_OFFSET) != 255
                || PacketMemory.u8(icmp) != Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT) {
            return;
        }
        final Neighbor neighbor = ctx.snapshot.neighborOf(PacketMemory.i64(icmp + Icmpv6Header.TARGET_OFFSET),
                PacketMemory.i64(icmp + Icmpv6Header.TARGET_OFFSET + 8));
        if (neighbor == null) {
            return;
        }
        long mac = PacketMemory.u48(frame + EthernetHeader.SOURCE_OFFSET);
        for (int at = Icmpv6Header.ND_OPTIONS_OFFSET; at + 8 <= icmpLength; ) {
            final int optionType = PacketMemory.u8(icmp + at);
            final int optionLength = PacketMemory.u8(icmp + at + 1) * 8;
            if (optionLength == 0) {
                return; // RFC 4861 section 4.6: a zero length option is invalid
            }
            if (optionType == 2 && optionLength >= 8) { // Target Link-Layer Address
                mac = PacketMemory.u48(icmp + at + 2);
            }
            at += optionLength;
        }
        neighbor.confirm(mac, ctx.now);
    }
}
