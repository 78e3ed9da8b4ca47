package dev.isthmus.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Field reads of every flyweight, and {@link HeaderParser}'s verdicts and offsets, on packets built by scapy,
 * well-formed and malformed.
 */
class HeaderParsingTest {

    private static final String ETH = "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')";
    private static List<byte[]> p;

    @BeforeAll
    static void buildWithScapy() {
        p = Scapy.build(List.of(
                ETH + "/Dot1Q(vlan=100, prio=5)/IP(src='198.18.0.1', dst='198.18.0.2')/UDP(sport=1, dport=2)",   // 0
                ETH + "/Dot1AD(vlan=7)/Dot1Q(vlan=100)/IPv6()/UDP()",                                             // 1
                ETH + "/ARP(op=1, hwsrc='02:00:00:00:00:01', psrc='198.18.0.1', pdst='198.18.0.53')",            // 2
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', flags='MF')/UDP()/Raw(b'x'*20)",                  // 3
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', frag=10)/Raw(b'x'*20)",                          // 4
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', ihl=15)/UDP()",                                   // 5
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', len=200)/UDP()",                                  // 6
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', chksum=0x1234)/UDP()",                            // 7
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', ihl=3)/UDP()",                                    // 8
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2')/UDP(len=100)/Raw(b'abc')",                        // 9
                ETH + "/IPv6()/IPv6ExtHdrFragment(offset=5, m=1)/UDP()",                                         // 10
                ETH + "/IPv6()/IPv6ExtHdrFragment(offset=0, m=0)/UDP()",                                         // 11
                ETH + "/IPv6(plen=500)/UDP()",                                                                   // 12
                ETH + "/IPv6()/IPv6ExtHdrRouting()/IPv6ExtHdrDestOpt()/ICMPv6EchoRequest()",                     // 13
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6EchoRequest(cksum=0xbeef)",             // 14
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2')/ICMP(chksum=0xdead)",                             // 15
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2')/UDP(sport=7, dport=4789, chksum=0)/Raw(b'v'*30)", // 16
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.2', proto=17)"                                        // 17
                        + "/Raw(bytes(UDP(sport=7, dport=4789, chksum=0)/Raw(b'v'*30)) + b'pad')",
                ETH + "/Dot1Q(vlan=5)/IP(src='198.18.0.1', dst='198.18.0.2')/UDP(sport=7, dport=53)/Raw(b'q')",  // 18
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=7, dport=53)/Raw(b'q'*3)"));       // 19
    }

    /** The frame parsed into slot 0 (no NIC verdicts). */
    static PacketHeaders parse(NativeFrame frame, int length) {
        PacketHeaders headers = new PacketHeaders();
        HeaderParser.parse(frame.address(), length, HeaderParser.NO_VERDICTS, headers, 0);
        return headers;
    }

    static PacketHeaders parse(NativeFrame frame) {
        return parse(frame, frame.length());
    }

    private static int verdict(int index) {
        try (NativeFrame frame = new NativeFrame(p.get(index))) {
            return parse(frame).status(0);
        }
    }

    @Test
    void vlanTaggedFrameResolvesInnerTypeAndVlan() {
        try (NativeFrame frame = new NativeFrame(p.get(0))) {
            EthernetHeader eth = new EthernetHeader().wrap(frame.address(), frame.length());
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(MacAddress.parse("02:00:00:00:00:02").value(), eth.destination());
            assertEquals(MacAddress.parse("02:00:00:00:00:01").value(), eth.source());
            assertEquals(EthernetHeader.TYPE_VLAN, eth.outerType());
            assertEquals(EthernetHeader.TYPE_IPV4, headers.etherType(0));
            assertEquals(PacketHeaders.VLAN | PacketHeaders.IPV4, headers.flags(0) & (PacketHeaders.VLAN
                    | PacketHeaders.IPV4 | PacketHeaders.IPV6));
            assertEquals(100, eth.vlanId());
            assertEquals(5, eth.vlanPriority());
            assertEquals(18, headers.l3Offset(0));
            assertEquals(38, headers.l4Offset(0));
            assertEquals((1 << 16) | 2, headers.ports(0));
            Ipv4Header ip = new Ipv4Header().wrap(frame.address() + 18, frame.length() - 18);
            assertEquals(Ipv4Address.parse("198.18.0.1").value(), ip.source());
            assertEquals(Ipv4Address.parse("198.18.0.2").value(), ip.destination());
        }
    }

    @Test
    void qinqFrameSkipsBothTags() {
        try (NativeFrame frame = new NativeFrame(p.get(1))) {
            EthernetHeader eth = new EthernetHeader().wrap(frame.address(), frame.length());
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(7, eth.vlanId());
            assertEquals(EthernetHeader.TYPE_IPV6, headers.etherType(0));
            assertEquals(22, headers.l3Offset(0));
        }
    }

    @Test
    void truncatedEthernetIsRejected() {
        try (NativeFrame frame = new NativeFrame(new byte[13])) {
            assertEquals(DropReasons.code(DataplaneDrop.ETHERNET_TRUNCATED), parse(frame, 13).status(0));
        }
        byte[] tagOnly = java.util.Arrays.copyOf(p.get(0), 16);
        try (NativeFrame frame = new NativeFrame(tagOnly)) {
            assertEquals(DropReasons.code(DataplaneDrop.ETHERNET_TRUNCATED), parse(frame, 16).status(0));
        }
    }

    @Test
    void arpRequestFields() {
        try (NativeFrame frame = new NativeFrame(p.get(2))) {
            ArpPacket arp = new ArpPacket().wrap(frame.address() + 14, frame.length() - 14);
            assertEquals(DropReasons.VALID, arp.validate());
            assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
            assertEquals(Ipv4Address.parse("198.18.0.1").value(), arp.senderIp());
            assertEquals(Ipv4Address.parse("198.18.0.53").value(), arp.targetIp());
            assertEquals(MacAddress.parse("02:00:00:00:00:01").value(), arp.senderMac());
            assertEquals(DropReasons.code(DataplaneDrop.ARP_MALFORMED), arp.wrap(frame.address() + 14, 27).validate());
            assertEquals(DropReasons.VALID, parse(frame).status(0));
            assertEquals(DropReasons.code(DataplaneDrop.ARP_MALFORMED), parse(frame, 14 + 27).status(0));
        }
    }

    @Test
    void malformedIpv4IsRejectedWithItsReason() {
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_FRAGMENT), verdict(3));
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_FRAGMENT), verdict(4));
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_BAD_IHL), verdict(5));
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_BAD_TOTAL_LENGTH), verdict(6));
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_BAD_CHECKSUM), verdict(7));
        assertEquals(DropReasons.code(DataplaneDrop.IPV4_BAD_IHL), verdict(8));
        for (int cut = 0; cut < 20; cut++) {
            try (NativeFrame frame = new NativeFrame(p.get(0))) {
                assertEquals(DropReasons.code(DataplaneDrop.IPV4_TRUNCATED), parse(frame, 18 + cut).status(0));
            }
        }
    }

    @Test
    void udpLengthBeyondThePayloadIsRejected() {
        try (NativeFrame frame = new NativeFrame(p.get(9))) {
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(DropReasons.code(DataplaneDrop.UDP_BAD_LENGTH), headers.l4Status(0));
            assertEquals(-1, headers.ports(0));
        }
        byte[] shortUdp = p.get(9).clone();
        shortUdp[14 + 3] = 20 + 7; // Total Length: 7 bytes of UDP
        shortUdp[14 + 10] = 0;
        shortUdp[14 + 11] = 0;
        try (NativeFrame frame = new NativeFrame(shortUdp)) {
            new Ipv4Header().wrap(frame.address() + 14, 20).updateChecksum();
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(DropReasons.code(DataplaneDrop.UDP_TRUNCATED), headers.l4Status(0));
        }
    }

    /**
     * UDP_FILLS_PAYLOAD says that l4Length is the UDP Length (a stage reads it instead of the field): set for a
     * datagram that is the whole IP payload, over IPv4 (the common-case parse) as behind a tag or over IPv6 (the
     * field-by-field walk); not for one followed by octets inside the IP packet, whose l4Length stays the IP payload.
     */
    @Test
    void udpFillingTheIpPayloadIsFlaggedWithItsLength() {
        int[][] cases = {{16, 38, 1}, {17, 41, 0}, {18, 9, 1}, {19, 11, 1}}; // frame, l4Length, flagged
        for (int[] c : cases) {
            try (NativeFrame frame = new NativeFrame(p.get(c[0]))) {
                PacketHeaders headers = parse(frame);
                assertEquals(DropReasons.VALID, headers.l4Status(0), "frame " + c[0]);
                assertEquals(c[1], headers.l4Length(0), "frame " + c[0]);
                assertEquals(c[2] == 1, (headers.flags(0) & PacketHeaders.UDP_FILLS_PAYLOAD) != 0, "frame " + c[0]);
                // Zero checksums, so the parser settles them: only the first is the common case decap reads.
                assertEquals(c[0] == 16, headers.isUdpOverPlainIpv4(0), "frame " + c[0]);
                if (c[2] == 1) {
                    assertEquals(PacketMemory.u16(frame.address() + headers.l4Offset(0) + UdpHeader.LENGTH_OFFSET),
                            headers.l4Length(0), "frame " + c[0] + ": l4Length is the UDP Length");
                }
            }
        }
    }

    @Test
    void ipv6FragmentsDroppedAtomicFragmentsSkipped() {
        assertEquals(DropReasons.code(DataplaneDrop.IPV6_FRAGMENT), verdict(10));
        assertEquals(DropReasons.VALID, verdict(11));
        assertEquals(DropReasons.code(DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH), verdict(12));
    }

    @Test
    void ipv6ExtensionChainIsWalkedToTheUpperLayer() {
        try (NativeFrame frame = new NativeFrame(p.get(13))) {
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.status(0));
            assertEquals(Ipv6Header.NEXT_ICMPV6, headers.protocol(0));
            assertEquals(14 + 40 + 8 + 8, headers.l4Offset(0));
            assertEquals(PacketHeaders.IPV6 | PacketHeaders.IP_OPTIONS, headers.flags(0)
                    & (PacketHeaders.IPV6 | PacketHeaders.IP_OPTIONS));
        }
    }

    @Test
    void ipv6ExtensionOverrunningThePayloadIsRejected() {
        byte[] bytes = p.get(13).clone();
        bytes[14 + 40 + 1] = (byte) 200; // Routing header claims (200+1)*8 bytes
        try (NativeFrame frame = new NativeFrame(bytes)) {
            assertEquals(DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION), parse(frame).status(0));
        }
    }

    @Test
    void badIcmpChecksumsAreRejected() {
        try (NativeFrame frame = new NativeFrame(p.get(14))) {
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.l4Status(0));
            assertEquals(false, headers.l4ChecksumValid(0, frame.address()));
        }
        try (NativeFrame frame = new NativeFrame(p.get(15))) {
            PacketHeaders headers = parse(frame);
            assertEquals(DropReasons.VALID, headers.l4Status(0));
            assertEquals(false, headers.l4ChecksumValid(0, frame.address()));
        }
    }

    @Test
    void setterWritesAreBigEndianAndRoundTrip() {
        try (NativeFrame frame = new NativeFrame(new byte[64])) {
            EthernetHeader eth = new EthernetHeader().wrap(frame.address(), 64);
            eth.destination(0x0102_0304_0506L).source(0x0A0B_0C0D_0E0FL).outerType(EthernetHeader.TYPE_IPV6);
            eth.swapMacs();
            assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15, 1, 2, 3, 4, 5, 6, (byte) 0x86, (byte) 0xDD},
                    frame.bytes(14));
            UdpHeader udp = new UdpHeader().wrap(frame.address() + 20, 8).sourcePort(0x1234).destinationPort(53);
            udp.swapPorts();
            assertEquals(53, udp.sourcePort());
            assertEquals(0x1234, udp.destinationPort());
        }
    }

    @Test
    void addressesParseAndPrint() {
        assertEquals("02:00:5e:10:00:01", MacAddress.parse("02:00:5E:10:00:01").toString());
        assertEquals("198.18.0.53", Ipv4Address.parse("198.18.0.53").toString());
        Ipv6Address v6 = Ipv6Address.parse("2001:db8::53");
        assertEquals(0x2001_0db8_0000_0000L, v6.high());
        assertEquals(0x53L, v6.low());
        assertEquals(Ipv6Address.parse("ff02::1:ff00:53"), v6.solicitedNode());
        assertEquals("2001:db8::53", v6.toString());
        assertEquals("::", Ipv6Address.parse("::").toString());
        assertEquals("::1", Ipv6Address.parse("::1").toString());
        assertEquals("fe80::", Ipv6Address.parse("fe80::").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Address.parse("2001:db8:0:1:1:1:1:1").toString(), "RFC 5952 §4.2.2");
        assertEquals("2001:0:0:1::1", Ipv6Address.parse("2001:0:0:1:0:0:0:1").toString(), "longest run");
        assertEquals("2001:db8::1:0:0:1", Ipv6Address.parse("2001:db8:0:0:1:0:0:1").toString(), "first of equal runs");
        assertEquals(Ipv6Address.parse("fe80::ff:fe00:1"), Ipv6Address.linkLocalFor(MacAddress.parse("02:00:00:00:00:01")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("1.2.3.256"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse("example.test"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00"));
    }
}
