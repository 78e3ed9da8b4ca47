package dev.isthmus.dataplane.exception;

import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.IcmpHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.port.PortTable;

/**
 * Punts to the exception path (the kernel that owns the appliance's addresses, see the package documentation)
 * what is addressed to the appliance and answered neither by the DNS stage before it nor by the host stage after
 * it: TCP (DNS over TCP after a truncated answer, RFC 7766), UDP to other ports, IPv4 with options, IPv6 with
 * extension headers, other IP protocols, ICMP other than echo requests (errors feed the kernel's path MTU and
 * connection state), ICMPv6 other than echo requests and neighbour solicitations (the kernel must see neighbour
 * advertisements to resolve its peers), and ARP replies to our addresses (the kernel's own ARP requests are
 * answered to the appliance's MAC, which the kernel side shares).
 *
 * <p>ARP requests, echo requests and neighbour solicitations stay pending for the host stage; traffic not
 * addressed to the port stays pending for the pipeline's fallback (dropped, counted). Reads the headers the frame
 * parsed once ({@link PacketFrame#headers()}); validates nothing itself. One instance per lcore.
 */
public final class ExceptionStage implements PacketStage {

    private final PortTable ports;
    private final int exceptionPort;

    /**
     * @param ports         the ports and their addresses
     * @param exceptionPort the exception port's number (its own traffic is never punted back), or -1
     */
    public ExceptionStage(PortTable ports, int exceptionPort) {
        this.ports = ports;
        this.exceptionPort = exceptionPort;
    }

    @Override
    public void process(PacketFrame frame) {
        final int n = frame.size();
        final PacketHeaders headers = frame.headers();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                classify(frame, i, headers);
            }
        }
    }

    private void classify(PacketFrame frame, int i, PacketHeaders headers) {
        final int port = frame.inputPort(i);
        if (port < 0 || port == exceptionPort) {
            return;
        }
        if (frame.dropIfMalformed(i)) {
            return; // malformed, as the parser found: dropped with its reason (ARP left to the host stage)
        }
        final long frameAddress = frame.address(i);
        final long l3 = frameAddress + headers.l3Offset(i);
        switch (headers.etherType(i)) {
            case EthernetHeader.TYPE_ARP -> {
                if (PacketMemory.u16(l3 + ArpPacket.OPERATION_OFFSET) == ArpPacket.OPERATION_REPLY
                        && ports.ownsIpv4(port, PacketMemory.i32(l3 + ArpPacket.TARGET_IP_OFFSET))) {
                    frame.punt(i);
                }
            }
            case EthernetHeader.TYPE_IPV4 -> ipv4(frame, i, port, headers, frameAddress, l3);
            case EthernetHeader.TYPE_IPV6 -> ipv6(frame, i, port, headers, frameAddress, l3);
            default -> {
                // not IP: the host stage or the fallback
            }
        }
    }

    private void ipv4(PacketFrame frame, int i, int port, PacketHeaders headers, long frameAddress, long l3) {
        if (!ports.ownsIpv4(port, PacketMemory.i32(l3 + Ipv4Header.DESTINATION_OFFSET))) {
            return;
        }
        if (headers.protocol(i) == Ipv4Header.PROTOCOL_ICMP && headers.l4Length(i) > 0
                && PacketMemory.u8(frameAddress + headers.l4Offset(i)) == IcmpHeader.TYPE_ECHO_REQUEST) {
            return; // the host stage answers echo
        }
        frame.punt(i);
    }

    private void ipv6(PacketFrame frame, int i, int port, PacketHeaders headers, long frameAddress, long l3) {
        if (!ports.ownsIpv6(port, PacketMemory.i64(l3 + Ipv6Header.DESTINATION_OFFSET),
                PacketMemory.i64(l3 + Ipv6Header.DESTINATION_OFFSET + 8))) {
            return; // multicast (solicited-node NS included) or not ours: the host stage or the fallback
        }
        if (headers.protocol(i) == Ipv6Header.NEXT_ICMPV6 && headers.l4Length(i) > 0) {
            int type = PacketMemory.u8(frameAddress + headers.l4Offset(i));
            if (type == Icmpv6Header.TYPE_ECHO_REQUEST || type == Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION) {
                return;
            }
        }
        frame.punt(i);
    }
}
