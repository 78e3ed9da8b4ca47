package dev.isthmus.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our checksums, full and incremental, against the values scapy computes for the same packets. */
class ChecksumAgainstScapyTest {

    private static final String ETH = "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')";
    private static List<byte[]> packets;

    @BeforeAll
    static void buildWithScapy() {
        packets = Scapy.build(List.of(
                // 0: IPv4 with a Record Route option, UDP with an odd-length payload
                ETH + "/IP(src='198.18.0.1', dst='198.19.255.254', id=4242, ttl=64, options=[IPOption_RR(routers=['1.2.3.4'])])"
                        + "/UDP(sport=40000, dport=53)/Raw(b'odd-length-payload!')",
                // 1: the same packet after a router decremented TTL (for RFC 1624 incremental update)
                ETH + "/IP(src='198.18.0.1', dst='198.19.255.254', id=4242, ttl=63, options=[IPOption_RR(routers=['1.2.3.4'])])"
                        + "/UDP(sport=40000, dport=53)/Raw(b'odd-length-payload!')",
                // 2: the same packet with a rewritten destination address
                ETH + "/IP(src='198.18.0.1', dst='198.18.7.9', id=4242, ttl=64, options=[IPOption_RR(routers=['1.2.3.4'])])"
                        + "/UDP(sport=40000, dport=53)/Raw(b'odd-length-payload!')",
                // 3: UDP over IPv6
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::53', hlim=64)/UDP(sport=5353, dport=53)/Raw(b'\\x00\\x01abc')",
                // 4: ICMP echo request with data
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2')/ICMP(type=8, id=7, seq=3)/Raw(b'0123456789abcdefXYZ')",
                // 5: ICMPv6 echo request
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6EchoRequest(id=9, seq=1, data=b'ping6-data')",
                // 6: ICMPv6 neighbour solicitation with source link-layer option
                ETH + "/IPv6(src='fe80::1', dst='ff02::1:ff00:2', hlim=255)/ICMPv6ND_NS(tgt='2001:db8::2')"
                        + "/ICMPv6NDOptSrcLLAddr(lladdr='02:00:00:00:00:01')",
                // 7: UDP over IPv6 after a Hop-by-Hop and a Destination Options header
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::53')/IPv6ExtHdrHopByHop()/IPv6ExtHdrDestOpt()"
                        + "/UDP(sport=1, dport=53)/Raw(b'x' * 33)"));
    }

    @Test
    void ipv4HeaderChecksumWithOptionsMatchesScapy() {
        try (NativeFrame frame = new NativeFrame(packets.get(0))) {
            Ipv4Header ip = new Ipv4Header().wrap(frame.address() + 14, frame.length() - 14);
            assertEquals(DropReasons.VALID, HeaderParsingTest.parse(frame).status(0));
            assertTrue(ip.checksumValid());
            assertEquals(28, ip.headerLength());
            int scapyChecksum = ip.checksum();
            ip.checksum(0x1234);
            assertFalse(ip.checksumValid());
            assertEquals(scapyChecksum, ip.updateChecksum().checksum());
        }
    }

    @Test
    void udpOverIpv4WithOddPayloadMatchesScapy() {
        try (NativeFrame frame = new NativeFrame(packets.get(0))) {
            Ipv4Header ip = new Ipv4Header().wrap(frame.address() + 14, frame.length() - 14);
            UdpHeader udp = new UdpHeader().wrap(ip.payloadAddress(), ip.payloadLength());
            PacketHeaders headers = HeaderParsingTest.parse(frame);
            assertEquals(DropReasons.VALID, headers.l4Status(0));
            assertTrue(headers.l4ChecksumValid(0, frame.address()));
            assertTrue(udp.checksumValid(ip.pseudoHeaderSum(), true));
            int scapyChecksum = udp.checksum();
            assertEquals(scapyChecksum, udp.updateChecksum(ip.pseudoHeaderSum()).checksum());
        }
    }

    @Test
    void incrementalUpdateOfTtlMatchesScapyFullComputation() {
        try (NativeFrame before = new NativeFrame(packets.get(0)); NativeFrame after = new NativeFrame(packets.get(1))) {
            Ipv4Header ip = new Ipv4Header().wrap(before.address() + 14, before.length() - 14);
            Ipv4Header expected = new Ipv4Header().wrap(after.address() + 14, after.length() - 14);
            // TTL shares its 16-bit word with Protocol (RFC 1624 §3 works on whole words)
            int oldWord = PacketMemory.u16(ip.address() + Ipv4Header.TTL_OFFSET);
            ip.ttl(ip.ttl() - 1);
            int newWord = PacketMemory.u16(ip.address() + Ipv4Header.TTL_OFFSET);
            ip.checksum(InternetChecksum.update16(ip.checksum(), oldWord, newWord));
            assertEquals(expected.checksum(), ip.checksum());
        }
    }

    @Test
    void incrementalUpdateOfAddressMatchesScapyForIpAndUdp() {
        try (NativeFrame before = new NativeFrame(packets.get(0)); NativeFrame after = new NativeFrame(packets.get(2))) {
            Ipv4Header ip = new Ipv4Header().wrap(before.address() + 14, before.length() - 14);
            UdpHeader udp = new UdpHeader().wrap(ip.payloadAddress(), ip.payloadLength());
            Ipv4Header expectedIp = new Ipv4Header().wrap(after.address() + 14, after.length() - 14);
            UdpHeader expectedUdp = new UdpHeader().wrap(expectedIp.payloadAddress(), expectedIp.payloadLength());
            int oldAddress = ip.destination();
            int newAddress = expectedIp.destination();
            ip.destination(newAddress);
            ip.checksum(InternetChecksum.update32(ip.checksum(), oldAddress, newAddress));
            // the UDP checksum covers the address through the pseudo-header
            udp.checksum(InternetChecksum.update32(udp.checksum(), oldAddress, newAddress));
            assertEquals(expectedIp.checksum(), ip.checksum());
            assertEquals(expectedUdp.checksum(), udp.checksum());
        }
    }

    @Test
    void udpOverIpv6MatchesScapy() {
        try (NativeFrame frame = new NativeFrame(packets.get(3))) {
            Ipv6Header ip6 = new Ipv6Header().wrap(frame.address() + 14, frame.length() - 14);
            PacketHeaders headers = HeaderParsingTest.parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(Ipv6Header.NEXT_UDP, headers.protocol(0));
            UdpHeader udp = new UdpHeader().wrap(frame.address() + headers.l4Offset(0), headers.l4Length(0));
            long pseudo = ip6.pseudoHeaderSum(udp.length(), Ipv6Header.NEXT_UDP);
            assertTrue(udp.checksumValid(pseudo, false));
            assertTrue(headers.l4ChecksumValid(0, frame.address()));
            int scapyChecksum = udp.checksum();
            assertEquals(scapyChecksum, udp.updateChecksum(pseudo).checksum());
        }
    }

    @Test
    void udpOverIpv6AfterExtensionHeadersMatchesScapy() {
        try (NativeFrame frame = new NativeFrame(packets.get(7))) {
            Ipv6Header ip6 = new Ipv6Header().wrap(frame.address() + 14, frame.length() - 14);
            PacketHeaders headers = HeaderParsingTest.parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(Ipv6Header.NEXT_UDP, headers.protocol(0));
            assertEquals(14 + 40 + 8 + 8, headers.l4Offset(0));
            UdpHeader udp = new UdpHeader().wrap(frame.address() + headers.l4Offset(0), headers.l4Length(0));
            assertEquals(DropReasons.VALID, headers.l4Status(0));
            assertEquals(41, udp.length());
            long pseudo = ip6.pseudoHeaderSum(udp.length(), Ipv6Header.NEXT_UDP);
            int scapyChecksum = udp.checksum();
            assertEquals(scapyChecksum, udp.updateChecksum(pseudo).checksum());
        }
    }

    @Test
    void icmpEchoMatchesScapyAndTurnsIntoAReplyIncrementally() {
        try (NativeFrame frame = new NativeFrame(packets.get(4))) {
            Ipv4Header ip = new Ipv4Header().wrap(frame.address() + 14, frame.length() - 14);
            IcmpHeader icmp = new IcmpHeader().wrap(ip.payloadAddress(), ip.payloadLength());
            assertTrue(icmp.checksumValid());
            assertTrue(HeaderParsingTest.parse(frame).l4ChecksumValid(0, frame.address()));
            assertEquals(IcmpHeader.TYPE_ECHO_REQUEST, icmp.type());
            assertEquals(7, icmp.identifier());
            assertEquals(3, icmp.sequence());
            int scapyChecksum = icmp.checksum();
            assertEquals(scapyChecksum, icmp.updateChecksum().checksum());
            icmp.typeUpdatingChecksum(IcmpHeader.TYPE_ECHO_REPLY);
            assertTrue(icmp.checksumValid());
        }
    }

    @Test
    void icmpv6EchoAndNeighbourSolicitationMatchScapy() {
        for (int index : new int[] {5, 6}) {
            try (NativeFrame frame = new NativeFrame(packets.get(index))) {
                Ipv6Header ip6 = new Ipv6Header().wrap(frame.address() + 14, frame.length() - 14);
                PacketHeaders headers = HeaderParsingTest.parse(frame);
                assertEquals(DropReasons.VALID, headers.status(0));
                Icmpv6Header icmp6 = new Icmpv6Header().wrap(frame.address() + headers.l4Offset(0),
                        headers.l4Length(0));
                long pseudo = ip6.pseudoHeaderSum(headers.l4Length(0), Ipv6Header.NEXT_ICMPV6);
                assertTrue(icmp6.checksumValid(pseudo));
                assertTrue(headers.l4ChecksumValid(0, frame.address()));
                int scapyChecksum = icmp6.checksum();
                assertEquals(scapyChecksum, icmp6.updateChecksum(pseudo).checksum(), "packet " + index);
            }
        }
    }

    @Test
    void oddLengthSumPadsTheLastByteOnTheRight() {
        try (NativeFrame frame = new NativeFrame(new byte[] {0x01, 0x02, 0x03})) {
            // 0x0102 + 0x0300 = 0x0402, complement 0xFBFD (RFC 1071 §4.1)
            assertEquals(0xFBFD, InternetChecksum.compute(frame.address(), 3));
        }
    }

    @Test
    void foldCarriesAroundTwice() {
        assertEquals(0x0001, InternetChecksum.fold(0x1_0000L));
        assertEquals(0xFFFF, InternetChecksum.fold(0xFFFF_FFFFL * 3));
    }
}
