package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.ArpPacket;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.runtime.BridgeDomain;

/**
 * ARP suppression for a bridge domain: snoops the sender binding of every ARP packet in the domain (RFC 826,
 * "Packet Reception") and answers a broadcast request whose target address has a binding, in place, instead of
 * flooding it to every port and VTEP. Gratuitous ARP (sender address equal to the target address, RFC 5227 section
 * 3) and requests for the requester's own binding are never answered: they must reach everyone.
 */
final class ArpSuppressor {

    private final ArpPacket arp = new ArpPacket();

    /**
     * Snoops the ARP packet of inner frame {@code frame}, and when {@code answer} turns a request into a reply.
     *
     * @return true when the frame now holds a reply to send back to the requester
     */
    boolean handle(SwitchContext ctx, BridgeDomain domain, long frame, int length, boolean answer) {
        arp.wrap(frame + EthernetHeader.HEADER_LENGTH, length - EthernetHeader.HEADER_LENGTH);
        if (arp.validate() != DropReasons.VALID) {
            return false; // forwarded as any frame: the switch does not judge its stations' ARP
        }
        final ArpSuppressionTable table = domain.arp();
        final int senderIp = arp.senderIp();
        final long senderMac = arp.senderMac();
        if (senderIp != 0 && !MacAddress.isMulticast(senderMac)) {
            table.learn(senderIp, senderMac, ctx.now);
        }
        final int targetIp = arp.targetIp();
        if (!answer || arp.operation() != ArpPacket.OPERATION_REQUEST || senderIp == targetIp
                || PacketMemory.u48(frame) != MacAddress.BROADCAST.value()) {
            return false;
        }
        final long boundMac = table.lookup(targetIp);
        if (boundMac == ArpSuppressionTable.NONE || boundMac == senderMac) {
            return false;
        }
        // RFC 826: the reply swaps sender and target and fills in the sought hardware address.
        PacketMemory.put48(frame, senderMac);
        PacketMemory.put48(frame + EthernetHeader.SOURCE_OFFSET, boundMac);
        arp.operation(ArpPacket.OPERATION_REPLY)
                .targetMac(senderMac).targetIp(senderIp)
                .senderMac(boundMac).senderIp(targetIp);
        domain.counters().increment(ctx.lane, DomainCounter.ARP_SUPPRESSED);
        return true;
    }
}
