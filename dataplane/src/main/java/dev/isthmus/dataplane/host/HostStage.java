package dev.isthmus.dataplane.host;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.IcmpHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.port.PortTable;

/**
 * Answers ARP, ICMP echo, neighbour solicitation and ICMPv6 echo for the addresses each port owns, in place, and
 * drops malformed Ethernet/ARP/IPv4/IPv6/ICMP with their reasons. Packets it has no business with (not addressed to
 * the port, or another protocol) stay pending for the next stage or the pipeline's fallback.
 *
 * <p>Reads the headers the frame parsed once ({@link PacketFrame#headers()}): malformed Ethernet/ARP/IP is dropped
 * with the parser's reason, and an ICMP/ICMPv6 checksum is summed only for a message addressed to the port.
 *
 * <p>One instance per lcore (it holds flyweights).
 */
public final class HostStage implements PacketStage {

    /** Hop limit of our echo replies (RFC 1700's recommended default TTL). */
    private static final int DEFAULT_TTL = 64;
    /** ff02::1, all-nodes, where an answer to a DAD probe goes (RFC 4861 §7.2.4). */
    private static final long ALL_NODES_HIGH = 0xFF02_0000_0000_0000L;
    private static final long ALL_NODES_LOW = 1L;
    /** 33:33:00:00:00:01, the Ethernet multicast MAC of ff02::1 (RFC 2464 §7). */
    private static final long ALL_NODES_MAC = 0x3333_0000_0001L;
    private static final int NA_LENGTH = Icmpv6Header.ND_LENGTH + 8;

    private static final int ICMP_UNHANDLED = DropReasons.code(DataplaneDrop.ICMP_UNHANDLED);
    private static final int ND_INVALID = DropReasons.code(DataplaneDrop.ND_INVALID);
    private static final int IPV4_BAD_SOURCE = DropReasons.code(DataplaneDrop.IPV4_BAD_SOURCE);
    private static final int ICMP_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.ICMP_BAD_CHECKSUM);

    private final PortTable ports;
    private final EthernetHeader eth = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ip = new Ipv4Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final Icmpv6Header icmp6 = new Icmpv6Header();

    public HostStage(PortTable ports) {
        this.ports = ports;
    }

    @Override
    public void process(PacketFrame frame) {
        final int n = frame.size();
        final PacketHeaders headers = frame.headers();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                handle(frame, i, headers);
            }
        }
    }

    private void handle(PacketFrame frame, int i, PacketHeaders headers) {
        int port = frame.inputPort(i);
        if (port < 0) {
            return;
        }
        int verdict = headers.status(i);
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        final long address = frame.address(i);
        final int length = frame.length(i);
        eth.wrap(address, length);
        final int l3 = headers.l3Offset(i);
        switch (headers.etherType(i)) {
            case EthernetHeader.TYPE_ARP -> arp(frame, i, port, address + l3, length - l3);
            case EthernetHeader.TYPE_IPV4 -> ipv4(frame, i, port, headers, address, l3);
            case EthernetHeader.TYPE_IPV6 -> ipv6(frame, i, port, headers, address, l3);
            default -> {
                // not ours to judge: another stage or the fallback decides
            }
        }
    }

    /** RFC 826 "Packet Reception": a request for one of our protocol addresses is answered by swapping in place. */
    private void arp(PacketFrame frame, int i, int port, long l3, int l3Length) {
        arp.wrap(l3, l3Length);
        int target = arp.targetIp();
        if (arp.operation() != ArpPacket.OPERATION_REQUEST || !ports.ownsIpv4(port, target)) {
            return;
        }
        long mac = ports.mac(port);
        long requesterMac = arp.senderMac();
        int requesterIp = arp.senderIp();
        // "swap hardware and protocol fields, putting the local hardware and protocol addresses in the sender fields"
        arp.targetMac(requesterMac).targetIp(requesterIp).senderMac(mac).senderIp(target)
                .operation(ArpPacket.OPERATION_REPLY);
        eth.destination(eth.source()).source(mac);
        frame.transmitBack(i);
    }

    private void ipv4(PacketFrame frame, int i, int port, PacketHeaders headers, long address, int l3) {
        ip.wrap(address + l3, frame.length(i) - l3);
        if (headers.protocol(i) != Ipv4Header.PROTOCOL_ICMP || !ports.ownsIpv4(port, ip.destination())) {
            return;
        }
        int verdict = headers.l4Status(i);
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (!headers.l4ChecksumValid(i, address)) {
            frame.drop(i, ICMP_BAD_CHECKSUM);
            return;
        }
        icmp.wrap(address + headers.l4Offset(i), headers.l4Length(i));
        if (icmp.type() != IcmpHeader.TYPE_ECHO_REQUEST) {
            frame.drop(i, ICMP_UNHANDLED);
            return;
        }
        // RFC 1122 §3.2.2.6 answers echo to unicast; a reply to a bogus source would go nowhere or to a victim.
        if (Ipv4Header.isBogusSource(ip.source())) {
            frame.drop(i, IPV4_BAD_SOURCE);
            return;
        }
        // RFC 792: "the source and destination addresses are simply reversed, the type code changed to 0".
        icmp.typeUpdatingChecksum(IcmpHeader.TYPE_ECHO_REPLY);
        ip.swapAddresses();
        int oldTtlWord = PacketMemory.u16(ip.address() + Ipv4Header.TTL_OFFSET);
        ip.ttl(DEFAULT_TTL);
        ip.checksum(InternetChecksum.update16(ip.checksum(), oldTtlWord,
                PacketMemory.u16(ip.address() + Ipv4Header.TTL_OFFSET)));
        eth.destination(eth.source()).source(ports.mac(port));
        frame.transmitBack(i);
    }

    private void ipv6(PacketFrame frame, int i, int port, PacketHeaders headers, long address, int l3) {
        if (headers.protocol(i) != Ipv6Header.NEXT_ICMPV6) {
            return;
        }
        ip6.wrap(address + l3, frame.length(i) - l3);
        long dstHigh = ip6.destinationHigh();
        long dstLow = ip6.destinationLow();
        boolean unicastToUs = ports.ownsIpv6(port, dstHigh, dstLow);
        if (!unicastToUs && !ports.isSolicitedNodeOf(port, dstHigh, dstLow)) {
            return;
        }
        int verdict = headers.l4Status(i);
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (!headers.l4ChecksumValid(i, address)) {
            frame.drop(i, ICMP_BAD_CHECKSUM);
            return;
        }
        icmp6.wrap(address + headers.l4Offset(i), headers.l4Length(i));
        switch (icmp6.type()) {
            case Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION -> neighbourSolicitation(frame, i, port, l3);
            case Icmpv6Header.TYPE_ECHO_REQUEST -> {
                if (unicastToUs) {
                    echo6(frame, i, port);
                }
            }
            default -> {
                if (unicastToUs) {
                    frame.drop(i, ICMP_UNHANDLED);
                }
            }
        }
    }

    /** RFC 4443 §4.2: the reply swaps addresses and carries the request's identifier, sequence and data. */
    private void echo6(PacketFrame frame, int i, int port) {
        int oldWord = PacketMemory.u16(icmp6.address());
        icmp6.type(Icmpv6Header.TYPE_ECHO_REPLY);
        // The pseudo-header sum does not change when the addresses swap, so the checksum follows the type alone.
        icmp6.checksum(InternetChecksum.update16(icmp6.checksum(), oldWord, PacketMemory.u16(icmp6.address())));
        ip6.swapAddresses().hopLimit(DEFAULT_TTL);
        eth.destination(eth.source()).source(ports.mac(port));
        frame.transmitBack(i);
    }

    /**
     * Validates a Neighbor Solicitation (RFC 4861 §7.1.1) and answers it with a Neighbor Advertisement carrying our
     * link-layer address (§7.2.4), written over the solicitation.
     */
    private void neighbourSolicitation(PacketFrame frame, int i, int port, int l3) {
        boolean fromUnspecified = ip6.sourceHigh() == 0 && ip6.sourceLow() == 0;
        // §7.1.1: hop limit 255 (never forwarded), code 0, at least 24 octets, target not multicast, options sane,
        // and from the unspecified address (DAD) only to a solicited-node address and without a source link option.
        if (ip6.hopLimit() != 255 || icmp6.code() != 0 || icmp6.length() < Icmpv6Header.ND_LENGTH
                || (icmp6.targetHigh() >>> 56) == 0xFF) {
            frame.drop(i, ND_INVALID);
            return;
        }
        int sourceOption = icmp6.findNdOption(Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS);
        if (sourceOption == -2 || (fromUnspecified && (sourceOption >= 0
                || !ports.isSolicitedNodeOf(port, ip6.destinationHigh(), ip6.destinationLow())))) {
            frame.drop(i, ND_INVALID);
            return;
        }
        long targetHigh = icmp6.targetHigh();
        long targetLow = icmp6.targetLow();
        if (!ports.ownsIpv6(port, targetHigh, targetLow)) {
            return;
        }
        long mac = ports.mac(port);
        long requesterMac = sourceOption >= 0 ? PacketMemory.u48(icmp6.address() + sourceOption + 2) : eth.source();
        int frameLength = l3 + Ipv6Header.HEADER_LENGTH + NA_LENGTH;
        if (frameLength > frame.length(i)) {
            frame.burst().setDataLength(i, frameLength);
        } else if (frameLength < frame.length(i)) {
            frame.burst().trim(i, frame.length(i) - frameLength);
        }
        // IPv6 header: from the target address, to the solicitor (or all-nodes for DAD), hop limit 255, no extensions.
        if (fromUnspecified) {
            ip6.destination(ALL_NODES_HIGH, ALL_NODES_LOW);
        } else {
            ip6.destination(ip6.sourceHigh(), ip6.sourceLow());
        }
        ip6.source(targetHigh, targetLow).versionClassFlow(0, 0).payloadLength(NA_LENGTH)
                .nextHeader(Ipv6Header.NEXT_ICMPV6).hopLimit(255);
        long na = ip6.address() + Ipv6Header.HEADER_LENGTH;
        icmp6.wrap(na, NA_LENGTH).type(Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT).code(0);
        // §7.2.4: Solicited set unless answering DAD; Override set (we are the address's owner); Router clear.
        int flags = Icmpv6Header.NA_FLAG_OVERRIDE | (fromUnspecified ? 0 : Icmpv6Header.NA_FLAG_SOLICITED);
        icmp6.word1(flags << 24).target(targetHigh, targetLow);
        PacketMemory.put8(na + Icmpv6Header.ND_OPTIONS_OFFSET, Icmpv6Header.OPTION_TARGET_LINK_ADDRESS);
        PacketMemory.put8(na + Icmpv6Header.ND_OPTIONS_OFFSET + 1, 1);
        PacketMemory.put48(na + Icmpv6Header.ND_OPTIONS_OFFSET + 2, mac);
        icmp6.updateChecksum(ip6.pseudoHeaderSum(NA_LENGTH, Ipv6Header.NEXT_ICMPV6));
        eth.destination(fromUnspecified ? ALL_NODES_MAC : requesterMac).source(mac);
        frame.transmitBack(i);
    }
}
