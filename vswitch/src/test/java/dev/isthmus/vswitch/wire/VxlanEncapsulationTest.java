package dev.isthmus.vswitch.wire;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.vswitch.wire.VxlanHeader;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outer headers we write, decoded and re-checksummed by scapy. */
class VxlanEncapsulationTest {

    private static final String INNER = "Ether(dst='02:00:00:00:00:02', src='02:00:00:00:00:01')"
            + "/IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1234, dport=5678)/Raw(b'hello vxlan'*5)";

    private static byte[] withHeadroom(byte[] inner, int headroom) {
        byte[] buffer = new byte[headroom + inner.length];
        System.arraycopy(inner, 0, buffer, headroom, inner.length);
        return buffer;
    }

    @Test
    void ipv4OuterHeadersDecodeAndChecksumAsScapySays() {
        byte[] inner = Scapy.build(INNER);
        try (NativeFrame frame = new NativeFrame(withHeadroom(inner, 50))) {
            int source = Ipv4Address.parse("198.18.0.1").value();
            int destination = Ipv4Address.parse("198.18.0.2").value();
            VxlanEncapsulation.writeIpv4(frame.address(), inner.length, 0x0200_0000_00BBL, 0x0200_0000_00AAL,
                    source, destination, VxlanEncapsulation.ipv4ConstantSum(source, destination),
                    VxlanEncapsulation.sourcePort(0x1234_5678_9ABCL), 4789, VxlanHeader.headerWord(0xABCDEF));
            String hex = HexFormat.of().formatHex(frame.bytes());
            List<String> out = Scapy.run("from scapy.all import *\n"
                    + "p=Ether(bytes.fromhex('" + hex + "'))\n"
                    + "ip=p[IP]; sent=ip.chksum; del ip.chksum\n"
                    + "again=Ether(bytes(p))[IP].chksum\n"
                    + "print(sent==again, ip.flags.DF, ip.ttl, ip.src, ip.dst, ip.len, p.dst, p.src)\n"
                    + "print(p[UDP].sport, p[UDP].dport, p[UDP].chksum, p[UDP].len)\n"
                    + "print(int(p[VXLAN].flags), p[VXLAN].vni, bytes(p[VXLAN].payload).hex())\n");
            assertEquals("True True 64 198.18.0.1 198.18.0.2 " + (inner.length + 36)
                    + " 02:00:00:00:00:bb 02:00:00:00:00:aa", out.get(0));
            String[] udp = out.get(1).split(" ");
            int sport = Integer.parseInt(udp[0]);
            assertTrue(sport >= 49152 && sport <= 65535, "dynamic source port: " + sport);
            assertEquals("4789", udp[1]);
            assertEquals("0", udp[2], "RFC 7348: zero UDP checksum over IPv4");
            assertEquals(String.valueOf(inner.length + 16), udp[3]);
            assertEquals("8 " + 0xABCDEF + " " + HexFormat.of().formatHex(inner), out.get(2));
        }
    }

    @Test
    void ipv6OuterHeadersCarryAValidUdpChecksum() {
        byte[] inner = Scapy.build(INNER);
        try (NativeFrame frame = new NativeFrame(withHeadroom(inner, 70))) {
            Ipv6Address source = Ipv6Address.parse("2001:db8::1");
            Ipv6Address destination = Ipv6Address.parse("2001:db8::2");
            VxlanEncapsulation.writeIpv6(frame.address(), inner.length, 0x0200_0000_00BBL, 0x0200_0000_00AAL,
                    source.high(), source.low(), destination.high(), destination.low(), 0xFEED_BEEFL, 4789,
                    VxlanHeader.headerWord(42));
            String hex = HexFormat.of().formatHex(frame.bytes());
            List<String> out = Scapy.run("from scapy.all import *\n"
                    + "p=Ether(bytes.fromhex('" + hex + "'))\n"
                    + "u=p[UDP]; sent=u.chksum; del u.chksum\n"
                    + "again=Ether(bytes(p))[UDP].chksum\n"
                    + "print(sent==again, sent!=0, p[IPv6].src, p[IPv6].dst, p[IPv6].hlim, p[IPv6].plen, p[IPv6].nh)\n"
                    + "print(p[VXLAN].vni, bytes(p[VXLAN].payload).hex())\n");
            assertEquals("True True 2001:db8::1 2001:db8::2 64 " + (inner.length + 16) + " 17", out.get(0));
            assertEquals("42 " + HexFormat.of().formatHex(inner), out.get(1));
        }
    }

    @Test
    void vxlanHeaderFlyweightReadsWhatScapyWrites() {
        List<byte[]> headers = Scapy.build(List.of("VXLAN(vni=5000)", "VXLAN(vni=1, flags=0x0C)",
                "VXLAN(vni=7, flags=0x00)", "VXLAN(vni=16777215, reserved2=1)"));
        VxlanHeader vxlan = new VxlanHeader();
        boolean[] wellFormed = {true, false, false, false};
        int[] vnis = {5000, 1, 7, 16777215};
        for (int k = 0; k < headers.size(); k++) {
            try (NativeFrame frame = new NativeFrame(headers.get(k))) {
                vxlan.wrap(frame.address(), frame.length());
                assertEquals(vnis[k], vxlan.vni());
                assertEquals(wellFormed[k], vxlan.isWellFormed(), "header " + k);
            }
        }
        try (NativeFrame frame = new NativeFrame(new byte[8])) {
            vxlan.wrap(frame.address(), 8).set(5000);
            assertEquals(HexFormat.of().formatHex(headers.getFirst()), HexFormat.of().formatHex(frame.bytes()));
        }
    }
}
