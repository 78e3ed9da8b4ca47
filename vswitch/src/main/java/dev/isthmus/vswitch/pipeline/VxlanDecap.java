package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
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
 * and not a fragment (RFC 791), or the outer IPv6 header and its extension chain are (RFC 8200); the UDP length fits
 * and a non-zero checksum (always, over IPv6) is correct (RFC 768, RFC 8200 section 8.1); the VxLAN header has
 * exactly the I flag set (RFC 7348 section 5); its VNI names a bridge domain; the outer source is a VTEP on that
 * domain's flood list or one it learned; and an inner Ethernet header follows. From any other source, in a domain
 * that learns VTEPs, the packet is dropped and the control side asked to learn the source. Each failure is a drop
 * with its own reason. The common case over IPv4 (no options, zero UDP checksum) is recognised first from a few
 * whole-word loads ({@link #commonIpv4}); anything else takes the field-by-field path, so verdicts and reasons are
 * the same.
 */
final class VxlanDecap {

    /** {@link #decapsulate} result: not VxLAN for this VTEP, left pending. */
    static final int NOT_OURS = -1;
    /** {@link #decapsulate} result: dropped (the verdict is given). */
    static final int DROPPED = -2;

    private static final int UDP_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);
    private static final int MIN_VXLAN_PAYLOAD = VxlanHeader.LENGTH + EthernetHeader.HEADER_LENGTH;
    /** Outer IPv4 without options, UDP and VxLAN headers: what {@link #commonIpv4} reads. */
    private static final int IPV4_UDP_VXLAN = Ipv4Header.MIN_HEADER_LENGTH + UdpHeader.HEADER_LENGTH
            + VxlanHeader.LENGTH;
    private static final int IPV4_VERSION_5_WORDS = 0x45;
    private static final int IPV4_MF_AND_OFFSET = Ipv4Header.FLAG_MF | 0x1FFF;
    private static final int VXLAN_WORD0_VALID = VxlanHeader.FLAG_I << 24;

    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final UdpHeader udp = new UdpHeader();
    private final VxlanHeader vxlan = new VxlanHeader();
    private final ArpPacket arp = new ArpPacket();

    /** The bridge domain of the last packet {@link #decapsulate} accepted. */
    BridgeDomain domain;

    /**
     * Decapsulates packet {@code i} in place: on success the packet is the inner frame and {@link #domain} is set.
     *
     * @return the source VTEP's id, {@link #NOT_OURS} or {@link #DROPPED}
     */
    int decapsulate(SwitchContext ctx, int i) {
        final VswitchSnapshot snap = ctx.snapshot;
        final long frame = ctx.at;
        final int length = ctx.length;
        if (length < EthernetHeader.HEADER_LENGTH) {
            return NOT_OURS;
        }
        final int type = PacketMemory.u16(frame + EthernetHeader.TYPE_OFFSET);
        final long l3 = frame + EthernetHeader.HEADER_LENGTH;
        final int l3Length = length - EthernetHeader.HEADER_LENGTH;
        long udpAt;
        int vtepId;
        if (type == EthernetHeader.TYPE_IPV4) {
            if (!snap.hasIpv4() || l3Length < Ipv4Header.MIN_HEADER_LENGTH
                    || PacketMemory.u8(l3 + Ipv4Header.PROTOCOL_OFFSET) != Ipv4Header.PROTOCOL_UDP
                    || PacketMemory.i32(l3 + Ipv4Header.DESTINATION_OFFSET) != snap.ipv4()) {
                return NOT_OURS;
            }
            if (l3Length >= IPV4_UDP_VXLAN && commonIpv4(l3, l3Length, snap.udpPort())) {
                final int udpLength = PacketMemory.u16(l3 + Ipv4Header.MIN_HEADER_LENGTH + UdpHeader.LENGTH_OFFSET);
                final long vxlanAt = l3 + Ipv4Header.MIN_HEADER_LENGTH + UdpHeader.HEADER_LENGTH;
                return accept(ctx, i, snap, frame, length, vxlanAt, udpLength,
                        PacketMemory.i32(vxlanAt + VxlanHeader.VNI_OFFSET) >>> 8,
                        snap.vtepIdOf(PacketMemory.i32(l3 + Ipv4Header.SOURCE_OFFSET)));
            }
            ipv4.wrap(l3, l3Length);
            final int invalid = ipv4.validate(true);
            if (invalid != DropReasons.VALID) {
                ctx.frame.drop(i, invalid);
                return DROPPED;
            }
            udpAt = ipv4.payloadAddress();
            udp.wrap(udpAt, ipv4.payloadLength());
            if (!isVxlanPort(snap)) {
                return NOT_OURS;
            }
            final int udpInvalid = udp.validate();
            if (udpInvalid != DropReasons.VALID) {
                ctx.frame.drop(i, udpInvalid);
                return DROPPED;
            }
            // RFC 7348 section 5: senders SHOULD send zero, but a receiver must check a non-zero checksum (RFC 768).
            if (udp.checksum() != 0 && !udp.checksumValid(ipv4.pseudoHeaderSum(), true)) {
                ctx.frame.drop(i, UDP_BAD_CHECKSUM);
                return DROPPED;
            }
            vtepId = snap.vtepIdOf(ipv4.source());
        } else if (type == EthernetHeader.TYPE_IPV6) {
            if (!snap.hasIpv6()) {
                return NOT_OURS;
            }
            ipv6.wrap(l3, l3Length);
            if (ipv6.validate() != DropReasons.VALID) {
                return NOT_OURS; // malformed IPv6 not for a VxLAN port: the host stage counts it
            }
            if (ipv6.upperLayerProtocol() == Ipv6Header.NEXT_ICMPV6) {
                snoopNeighborAdvertisement(ctx, frame);
                return NOT_OURS;
            }
            if (ipv6.upperLayerProtocol() != Ipv6Header.NEXT_UDP
                    || ipv6.destinationHigh() != snap.ipv6High() || ipv6.destinationLow() != snap.ipv6Low()) {
                return NOT_OURS;
            }
            udpAt = ipv6.upperLayerAddress();
            udp.wrap(udpAt, ipv6.upperLayerLength());
            if (!isVxlanPort(snap)) {
                return NOT_OURS;
            }
            final int udpInvalid = udp.validate();
            if (udpInvalid != DropReasons.VALID) {
                ctx.frame.drop(i, udpInvalid);
                return DROPPED;
            }
            // RFC 8200 section 8.1: zero is not "no checksum" over IPv6; RFC 6935/6936 let tunnels opt out, which
            // this VTEP (like Linux's default, udp6zerocsumrx off) does not.
            if (!udp.checksumValid(ipv6.pseudoHeaderSum(udp.length(), Ipv6Header.NEXT_UDP), false)) {
                ctx.frame.drop(i, UDP_BAD_CHECKSUM);
                return DROPPED;
            }
            vtepId = snap.vtepIdOf(ipv6.sourceHigh(), ipv6.sourceLow());
        } else {
            if (type == EthernetHeader.TYPE_ARP) {
                snoopArp(ctx, frame, length);
            }
            return NOT_OURS;
        }

        final int udpLength = udp.length();
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
        return accept(ctx, i, snap, frame, length, vxlanAt, udpLength, vxlan.vni(), vtepId);
    }

    /**
     * Whether the IPv4 packet at {@code l3} is the common case of VxLAN for this VTEP, judged from five loads instead
     * of a load per field: no options, not a fragment, lengths that hold the UDP and VxLAN headers and an inner
     * Ethernet header, a correct header checksum (RFC 791 section 3.1; the sum of the ten 16-bit words, taken here
     * as 32-bit halves, RFC 1071 section 2(C)), the VxLAN port, a zero UDP checksum (what RFC 7348 section 5 asks
     * senders to send) and a VxLAN header with only the I flag set. It accepts nothing the field-by-field checks in
     * {@link #decapsulate} would refuse; a packet it does not accept goes through those checks, which find the exact
     * reason (or accept it, e.g. with options or a non-zero UDP checksum to verify).
     *
     * @param l3 the outer IPv4 header, whose protocol (UDP) and destination (this VTEP) were checked
     * @param l3Length bytes of the frame from there, at least {@link #IPV4_UDP_VXLAN}
     */
    private static boolean commonIpv4(long l3, int l3Length, int udpPort) {
        final long versionToFragment = PacketMemory.i64(l3);
        final long ttlToSource = PacketMemory.i64(l3 + 8);
        final long destinationToPorts = PacketMemory.i64(l3 + 16);
        final long udpLengthToVxlanFlags = PacketMemory.i64(l3 + 24);
        final int vniWord = PacketMemory.i32(l3 + 32);
        final int totalLength = (int) (versionToFragment >>> 32) & 0xFFFF;
        final int udpLength = (int) (udpLengthToVxlanFlags >>> 48);
        final long headerSum = (versionToFragment >>> 32) + (versionToFragment & 0xFFFF_FFFFL)
                + (ttlToSource >>> 32) + (ttlToSource & 0xFFFF_FFFFL) + (destinationToPorts >>> 32);
        return (int) (versionToFragment >>> 56) == IPV4_VERSION_5_WORDS
                && ((int) versionToFragment & IPV4_MF_AND_OFFSET) == 0
                && totalLength <= l3Length
                && udpLength >= UdpHeader.HEADER_LENGTH + MIN_VXLAN_PAYLOAD
                && udpLength <= totalLength - Ipv4Header.MIN_HEADER_LENGTH
                && ((int) destinationToPorts & 0xFFFF) == udpPort
                && ((int) (udpLengthToVxlanFlags >>> 32) & 0xFFFF) == 0
                && (int) udpLengthToVxlanFlags == VXLAN_WORD0_VALID
                && (vniWord & 0xFF) == 0
                && InternetChecksum.fold(headerSum) == 0xFFFF;
    }

    /**
     * The checks after the VxLAN header's: its VNI names a domain that lists the source VTEP; then strips the outer
     * headers and counts the packet.
     */
    private int accept(SwitchContext ctx, int i, VswitchSnapshot snap, long frame, int length, long vxlanAt,
                       int udpLength, int vni, int vtepId) {
        final BridgeDomain found = snap.domainByVni(vni);
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

    private boolean isVxlanPort(VswitchSnapshot snap) {
        return udp.destinationPort() == snap.udpPort();
    }

    /** RFC 826, "Packet Reception": a sender's (IP, MAC) pair updates the receiver's entry for that IP. */
    private void snoopArp(SwitchContext ctx, long frame, int length) {
        arp.wrap(frame + EthernetHeader.HEADER_LENGTH, length - EthernetHeader.HEADER_LENGTH);
        if (arp.validate() != DropReasons.VALID) {
            return;
        }
        final Neighbor neighbor = ctx.snapshot.neighborOf(arp.senderIp());
        if (neighbor != null) {
            neighbor.confirm(arp.senderMac(), ctx.now);
        }
    }

    /**
     * RFC 4861 section 7.2.5: a neighbour advertisement for a next hop's address confirms its MAC (from the target
     * link-layer address option, or the frame's source). Only hop limit 255 is accepted (section 7.1.2).
     */
    private void snoopNeighborAdvertisement(SwitchContext ctx, long frame) {
        final long icmp = ipv6.upperLayerAddress();
        final int icmpLength = ipv6.upperLayerLength();
        if (icmpLength < Icmpv6Header.ND_LENGTH || ipv6.hopLimit() != 255
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
