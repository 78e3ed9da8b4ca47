package dev.isthmus.dataplane.exception;

import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.IcmpHeader;
import dev.isthmus.dataplane.packet.Icmpv6Header;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.counters.DropReasons;
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
 * addressed to the port stays pending for the pipeline's fallback (dropped, counted). One instance per lcore.
 */
public final class ExceptionStage implements PacketStage {

    private final PortTable ports;
    private final int exceptionPort;
    private final EthernetHeader eth = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();

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
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                classify(frame, i);
            }
        }
    }

    private void classify(PacketFrame frame, int i) {
        final int port = frame.inputPort(i);
        if (port < 0 || port == exceptionPort) {
            return;
        }
        int verdict = eth.wrap(frame.address(i), frame.length(i)).validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        switch (eth.etherType()) {
            case EthernetHeader.TYPE_ARP -> arp(frame, i, port);
            case EthernetHeader.TYPE_IPV4 -> ipv4(frame, i, port);
            case EthernetHeader.TYPE_IPV6 -> ipv6(frame, i, port);
            default -> {
                // not IP: the host stage or the fallback
            }
        }
    }

    private void arp(PacketFrame frame, int i, int port) {
        if (arp.wrap(eth.payloadAddress(), eth.payloadLength()).validate() != DropReasons.VALID) {
            return; // the host stage drops it with its reason
        }
        if (arp.operation() == ArpPacket.OPERATION_REPLY && ports.ownsIpv4(port, arp.targetIp())) {
            frame.punt(i);
        }
    }

    private void ipv4(PacketFrame frame, int i, int port) {
        final Ipv4Header ip = ip4.wrap(eth.payloadAddress(), eth.payloadLength());
        int verdict = ip.validate(true);
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (!ports.ownsIpv4(port, ip.destination())) {
            return;
        }
        if (ip.protocol() == Ipv4Header.PROTOCOL_ICMP && ip.payloadLength() > 0
                && PacketMemory.u8(ip.payloadAddress()) == IcmpHeader.TYPE_ECHO_REQUEST) {
            return; // the host stage answers echo
        }
        frame.punt(i);
    }

    private void ipv6(PacketFrame frame, int i, int port) {
        final Ipv6Header ip = ip6.wrap(eth.payloadAddress(), eth.payloadLength());
        int verdict = ip.validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (!ports.ownsIpv6(port, ip.destinationHigh(), ip.destinationLow())) {
            return; // multicast (solicited-node NS included) or not ours: the host stage or the fallback
        }
        if (ip.upperLayerProtocol() == Ipv6Header.NEXT_ICMPV6 && ip.upperLayerLength() > 0) {
            int type = PacketMemory.u8(ip.upperLayerAddress());
            if (type == Icmpv6Header.TYPE_ECHO_REQUEST || type == Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION) {
                return;
            }
        }
        frame.punt(i);
    }
}
