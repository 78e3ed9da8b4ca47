package dev.isthmus.vswitch.wire;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.vswitch.wire.VxlanHeader;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The precomputed outer headers against the field-by-field {@link VxlanEncapsulation#writeIpv4}, byte for byte,
 * over inner lengths (odd, even, minimum, jumbo), addresses with high bits set, source ports across the dynamic
 * range and VNIs; and one of them decoded and re-checksummed by scapy.
 */
class Ipv4OuterTemplateTest {

    private static final int[] INNER_LENGTHS = {14, 15, 60, 61, 64, 1450, 1451, 1500, 1514, 1518, 9000, 65_499};

    private static byte[] encapsulate(boolean template, long uplinkMac, int source, int destination, int udpPort,
                                      int innerLength, long nextHopMac, int sourcePort, long vxlanHeader) {
        // Only the 50 outer bytes are written; the inner frame's bytes are never read.
        try (NativeFrame frame = new NativeFrame(new byte[VxlanEncapsulation.IPV4_OUTER_LENGTH])) {
            if (template) {
                new Ipv4OuterTemplate(uplinkMac, source, destination, udpPort)
                        .write(frame.address(), innerLength, nextHopMac, sourcePort, vxlanHeader);
            } else {
                VxlanEncapsulation.writeIpv4(frame.address(), innerLength, nextHopMac, uplinkMac, source, destination,
                        VxlanEncapsulation.ipv4ConstantSum(source, destination), sourcePort, udpPort, vxlanHeader);
            }
            return frame.bytes();
        }
    }

    @Test
    void writesWhatTheFieldByFieldEncapsulationWrites() {
        final Random random = new Random(7348);
        for (int round = 0; round < 200; round++) {
            final long uplinkMac = random.nextLong() & 0xFEFF_FFFF_FFFFL;
            final long nextHopMac = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            final int source = round == 0 ? 0xFFFF_FFFE : random.nextInt();
            final int destination = round == 0 ? 0xFFFF_FFFF : random.nextInt();
            final int udpPort = round == 0 ? 4789 : 1 + random.nextInt(65_535);
            final int sourcePort = VxlanEncapsulation.sourcePort(random.nextLong());
            final long vxlanHeader = VxlanHeader.headerWord(round == 1 ? VxlanHeader.MAX_VNI : random.nextInt(1 << 24));
            final int innerLength = round < INNER_LENGTHS.length ? INNER_LENGTHS[round] : 14 + random.nextInt(9000);
            assertEquals(
                    HexFormat.of().formatHex(encapsulate(false, uplinkMac, source, destination, udpPort, innerLength,
                            nextHopMac, sourcePort, vxlanHeader)),
                    HexFormat.of().formatHex(encapsulate(true, uplinkMac, source, destination, udpPort, innerLength,
                            nextHopMac, sourcePort, vxlanHeader)),
                    "round " + round + ", inner length " + innerLength);
        }
    }

    @Test
    void scapyDecodesTheTemplateAndAgreesWithItsChecksum() {
        // A VLAN-tagged inner frame of odd length: the template does not look at the inner frame at all.
        byte[] inner = Scapy.build("Ether(dst='02:00:00:00:00:02', src='02:00:00:00:00:01')/Dot1Q(vlan=10)"
                + "/IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1234, dport=5678)/Raw(b'odd'*7)");
        byte[] packet = new byte[VxlanEncapsulation.IPV4_OUTER_LENGTH + inner.length];
        System.arraycopy(inner, 0, packet, VxlanEncapsulation.IPV4_OUTER_LENGTH, inner.length);
        try (NativeFrame frame = new NativeFrame(packet)) {
            int source = Ipv4Address.parse("198.18.0.1").value();
            int destination = Ipv4Address.parse("203.0.113.250").value();
            new Ipv4OuterTemplate(0x0200_0000_00AAL, source, destination, 4789).write(frame.address(), inner.length,
                    0x0200_0000_00BBL, VxlanEncapsulation.sourcePort(0xFFFF_FFFF_FFFFL), VxlanHeader.headerWord(5000));
            List<String> out = Scapy.run("from scapy.all import *\n"
                    + "p=Ether(bytes.fromhex('" + HexFormat.of().formatHex(frame.bytes()) + "'))\n"
                    + "ip=p[IP]; sent=ip.chksum; del ip.chksum\n"
                    + "again=Ether(bytes(p))[IP].chksum\n"
                    + "print(sent==again, ip.flags.DF, ip.id, ip.ttl, ip.src, ip.dst, ip.len, p.dst, p.src)\n"
                    + "print(p[UDP].sport, p[UDP].dport, p[UDP].chksum, p[UDP].len)\n"
                    + "print(int(p[VXLAN].flags), p[VXLAN].vni, bytes(p[VXLAN].payload).hex())\n");
            assertEquals("True True 0 64 198.18.0.1 203.0.113.250 " + (inner.length + 36)
                    + " 02:00:00:00:00:bb 02:00:00:00:00:aa", out.get(0));
            assertEquals(VxlanEncapsulation.sourcePort(0xFFFF_FFFF_FFFFL) + " 4789 0 " + (inner.length + 16),
                    out.get(1));
            assertEquals("8 5000 " + HexFormat.of().formatHex(inner), out.get(2));
        }
    }
}
