package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;

/**
 * Asks an underlay next hop for its MAC: an ARP request (RFC 826) for an IPv4 next hop, a neighbour solicitation to
 * its solicited-node multicast address (RFC 4861 section 7.2.2, with our link-layer address option) for IPv6. Sent
 * on the uplink from a fresh mbuf when encapsulation finds the next hop unresolved or due for a refresh; the reply
 * is snooped by {@link VxlanDecap}. When the pool is empty the probe is skipped (the next packet retries) and counted
 * as the lcore's {@code no_mbuf}.
 */
final class NeighborProber {

    private static final int ARP_FRAME = EthernetHeader.HEADER_LENGTH + ArpPacket.LENGTH;
    /** Ethernet's minimum frame without FCS; shorter frames are padded with zeros (IEEE 802.3 section 3.2.8). */
    private static final int MIN_FRAME = 60;
    private static final int NS_LENGTH = Icmpv6Header.ND_LENGTH + 8;
    private static final int NS_FRAME = EthernetHeader.HEADER_LENGTH + 40 + NS_LENGTH;

    private final ArpPacket arp = new ArpPacket();

    void probe(SwitchContext ctx, Neighbor hop) {
        final MbufBurst scratch = ctx.probes;
        if (!scratch.allocate(ctx.pool, 1)) {
            ctx.frame.noMbuf(1);
            return;
        }
        final VswitchSnapshot snap = ctx.snapshot;
        final VtepAddress target = hop.address();
        final int length = target.ipv6() ? NS_FRAME : MIN_FRAME;
        scratch.setDataLength(0, length);
        final long frame = scratch.dataAddress(0);
        if (target.ipv6()) {
            writeSolicitation(frame, snap, target);
        } else {
            writeArpRequest(frame, snap, target.ipv4());
        }
        ctx.frame.transmitNew(scratch.take(0), snap.uplinkPort());
        scratch.freeAll();
    }

    private void writeArpRequest(long frame, VswitchSnapshot snap, int targetIp) {
        PacketMemory.put48(frame, 0xFFFF_FFFF_FFFFL);
        PacketMemory.put48(frame + EthernetHeader.SOURCE_OFFSET, snap.uplinkMac());
        PacketMemory.put16(frame + EthernetHeader.TYPE_OFFSET, EthernetHeader.TYPE_ARP);
        arp.wrap(frame + EthernetHeader.HEADER_LENGTH, ArpPacket.LENGTH)
                .writeEthernetIpv4(ArpPacket.OPERATION_REQUEST)
                .senderMac(snap.uplinkMac()).senderIp(snap.ipv4())
                .targetMac(0).targetIp(targetIp);
        for (long at = frame + ARP_FRAME; at < frame + MIN_FRAME; at++) {
            PacketMemory.put8(at, 0);
        }
    }

    private static void writeSolicitation(long frame, VswitchSnapshot snap, VtepAddress target) {
        final Ipv6Address solicited = new Ipv6Address(target.high(), target.low()).solicitedNode();
        // RFC 2464 section 7: IPv6 multicast maps to 33:33 followed by the address's last four bytes.
        PacketMemory.put48(frame, 0x3333_0000_0000L | (solicited.low() & 0xFFFF_FFFFL));
        PacketMemory.put48(frame + EthernetHeader.SOURCE_OFFSET, snap.uplinkMac());
        PacketMemory.put16(frame + EthernetHeader.TYPE_OFFSET, EthernetHeader.TYPE_IPV6);
        final long ip = frame + EthernetHeader.HEADER_LENGTH;
        PacketMemory.put32(ip, 0x6000_0000);
        // RFC 4861 section 7.1.1: hop limit 255, so receivers know it was not forwarded.
        PacketMemory.put32(ip + 4, NS_LENGTH << 16 | 58 << 8 | 255);
        PacketMemory.put64(ip + 8, snap.ipv6High());
        PacketMemory.put64(ip + 16, snap.ipv6Low());
        PacketMemory.put64(ip + 24, solicited.high());
        PacketMemory.put64(ip + 32, solicited.low());
        final long icmp = ip + 40;
        PacketMemory.put32(icmp, Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION << 24);
        PacketMemory.put32(icmp + 4, 0);
        PacketMemory.put64(icmp + Icmpv6Header.TARGET_OFFSET, target.high());
        PacketMemory.put64(icmp + Icmpv6Header.TARGET_OFFSET + 8, target.low());
        PacketMemory.put8(icmp + Icmpv6Header.ND_OPTIONS_OFFSET, Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS);
        PacketMemory.put8(icmp + Icmpv6Header.ND_OPTIONS_OFFSET + 1, 1);
        PacketMemory.put48(icmp + Icmpv6Header.ND_OPTIONS_OFFSET + 2, snap.uplinkMac());
        final long sum = InternetChecksum.ipv6PseudoHeader(ip + 8, NS_LENGTH, 58);
        PacketMemory.put16(icmp + 2, InternetChecksum.finish(InternetChecksum.sum(icmp, NS_LENGTH, sum)));
    }
}
