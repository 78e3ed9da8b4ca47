package dev.isthmus.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.nativebindings.RxOffloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HeaderParser} against a reference: thousands of frames (well-formed templates built by scapy, then
 * truncated, bytes flipped, IHL/version/lengths/flags rewritten with the IPv4 checksum fixed up or not, VLAN tags
 * inserted, padding added; seeded, so every run sees the same cases) are parsed by the parser and judged by
 * {@code parser-reference.py} (scapy's dissectors and checksum routines, one Python run over a file of all the
 * cases), and the verdicts must agree line for line: valid or the drop reason, EtherType, L3 and L4 offsets,
 * protocol, upper-layer length and status, ports, the flags, and the upper-layer checksum verdict.
 */
class HeaderParserDifferentialTest {

    private static final long SEED = 0x15_7A_05L;
    private static final int CASES = 6000;
    /** Well-formed UDP in the reference's format: the destination port is group 1. */
    private static final Pattern WELL_FORMED_UDP = Pattern.compile("^VALID .* proto=17 .* VALID \\d+/(\\d+) ");

    /** Well-formed starting points: every header kind the parser walks. */
    private static final List<String> TEMPLATES = List.of(
            "Ether()/IP(src='198.18.0.1', dst='198.18.0.53')/UDP(sport=5353, dport=53)/DNS(rd=1, qd=DNSQR(qname='www.example.test'))",
            "Ether()/IP(src='198.18.0.1', dst='198.18.0.53')/UDP(sport=5353, dport=53, chksum=0)/Raw(b'q' * 20)",
            "Ether()/IP(src='198.18.0.2', dst='198.18.0.1', options=IPOption(b'\\x01\\x01\\x01\\x00'))/UDP(dport=53)/Raw(b'x' * 12)",
            "Ether()/IP(src='198.18.0.3', dst='198.18.0.1')/TCP(sport=40000, dport=53, flags='S')",
            "Ether()/IP(src='198.18.0.4', dst='198.18.0.1')/ICMP(type=8)/Raw(b'ping' * 8)",
            "Ether()/IP(src='198.18.0.5', dst='198.18.0.1', flags='MF')/UDP(dport=53)/Raw(b'f' * 16)",
            "Ether()/IP(src='198.18.0.5', dst='198.18.0.1', frag=3)/Raw(b'f' * 16)",
            "Ether()/IP(src='198.18.0.6', dst='198.18.0.1', proto=47)/Raw(b'g' * 24)",
            "Ether()/Dot1Q(vlan=5)/IP(src='198.18.0.7', dst='198.18.0.53')/UDP(dport=53)/Raw(b'v' * 12)",
            "Ether()/Dot1AD(vlan=6)/Dot1Q(vlan=7)/IP(src='198.18.0.8', dst='198.18.0.53')/UDP(dport=53)/Raw(b'w' * 12)",
            "Ether()/Dot1Q(vlan=1)/Dot1Q(vlan=2)/Dot1Q(vlan=3)/IP(dst='198.18.0.53')/UDP()",
            "Ether()/IP(src='198.18.1.1', dst='198.18.0.1')/UDP(sport=49152, dport=4789, chksum=0)/VXLAN(flags=0x08, vni=100)/Ether()/IP()/UDP()",
            "Ether()/IP(src='198.18.0.9', dst='198.18.0.1')/UDP(dport=9)/Raw(b'a' * 3)",
            "Ether()/IPv6(src='2001:db8::1', dst='2001:db8::53')/UDP(sport=5353, dport=53)/DNS(rd=1, qd=DNSQR(qname='www.example.test'))",
            "Ether()/IPv6(src='2001:db8::2', dst='2001:db8::53')/IPv6ExtHdrHopByHop()/UDP(dport=53)/Raw(b'h' * 10)",
            "Ether()/IPv6(src='2001:db8::3', dst='2001:db8::53')/IPv6ExtHdrDestOpt()/IPv6ExtHdrRouting()/TCP(dport=53)",
            "Ether()/IPv6(src='2001:db8::4', dst='2001:db8::53')/IPv6ExtHdrFragment(offset=0, m=0)/UDP(dport=53)/Raw(b'a' * 8)",
            "Ether()/IPv6(src='2001:db8::5', dst='2001:db8::53')/IPv6ExtHdrFragment(offset=1, m=1)/Raw(b'b' * 8)",
            "Ether()/IPv6(src='2001:db8::6', dst='2001:db8::53', nh=51)/AH(nh=17, payloadlen=4, icv=b'\\x00' * 12)/UDP(dport=53)",
            "Ether()/IPv6(src='2001:db8::7', dst='2001:db8::53')/ICMPv6EchoRequest(data=b'six' * 5)",
            "Ether()/IPv6(src='fe80::1', dst='ff02::1:ff00:53', hlim=255)/ICMPv6ND_NS(tgt='2001:db8::53')/ICMPv6NDOptSrcLLAddr(lladdr='02:00:00:00:00:01')",
            "Ether()/IPv6(src='2001:db8::8', dst='2001:db8::53', nh=59)",
            "Ether()/ARP(op=1, psrc='198.18.0.1', pdst='198.18.0.53')",
            "Ether()/ARP(op=2, hwtype=6, psrc='198.18.0.1', pdst='198.18.0.53')",
            "Ether(type=0x88cc)/Raw(b'lldp' * 10)",
            "Ether()/IP(src='198.18.0.10', dst='198.18.0.53')/UDP(dport=53)/Raw(b'p')/Padding(b'\\x00' * 20)");

    @TempDir
    Path dir;

    /** The templates, then seeded mutations of them: {@link #CASES} frames. */
    private static List<byte[]> cases() {
        List<byte[]> templates = Scapy.build(TEMPLATES);
        Random random = new Random(SEED);
        List<byte[]> cases = new ArrayList<>(templates);
        while (cases.size() < CASES) {
            cases.add(mutate(templates.get(random.nextInt(templates.size())), random));
        }
        return cases;
    }

    /**
     * The parser's common-case shortcut (UDP over untagged IPv4 without options) against its field-by-field walk, on
     * the same cases under every combination of NIC checksum verdicts a port may give (IP and L4 each GOOD, BAD,
     * UNKNOWN or NONE): both words of every packet equal, so the parser stays one validator however a packet is told.
     */
    @Test
    void commonCaseShortcutLeavesWhatTheFieldByFieldWalkLeaves() {
        long[] ipVerdicts = {RxOffloads.MBUF_IP_CKSUM_UNKNOWN, RxOffloads.MBUF_IP_CKSUM_GOOD,
                RxOffloads.MBUF_IP_CKSUM_BAD, RxOffloads.MBUF_IP_CKSUM_NONE};
        long[] l4Verdicts = {RxOffloads.MBUF_L4_CKSUM_UNKNOWN, RxOffloads.MBUF_L4_CKSUM_GOOD,
                RxOffloads.MBUF_L4_CKSUM_BAD, RxOffloads.MBUF_L4_CKSUM_NONE};
        PacketHeaders parsed = new PacketHeaders();
        PacketHeaders walked = new PacketHeaders();
        int plainUdp = 0;
        int compared = 0;
        for (byte[] c : cases()) {
            try (NativeFrame frame = new NativeFrame(c, 64)) {
                for (long ip : ipVerdicts) {
                    for (long l4 : l4Verdicts) {
                        HeaderParser.parse(frame.address(), c.length, ip | l4, parsed, 3);
                        HeaderParser.parseByField(frame.address(), c.length, ip | l4, walked, 3);
                        String what = HexFormat.of().formatHex(c) + " ol_flags " + Long.toHexString(ip | l4);
                        assertEquals(walked.packet[3], parsed.packet[3], "packet word of " + what);
                        if (walked.protocol(3) != -1) {
                            assertEquals(walked.upper[3], parsed.upper[3], "upper-layer word of " + what);
                        }
                        if (walked.status(3) == DropReasons.VALID && walked.l4Status(3) == DropReasons.VALID
                                && walked.protocol(3) == Ipv4Header.PROTOCOL_UDP && walked.isIpv4(3)
                                && (walked.flags(3) & (PacketHeaders.VLAN | PacketHeaders.IP_OPTIONS)) == 0) {
                            plainUdp++;
                        }
                        compared++;
                    }
                }
            }
        }
        // Enough of the cases must be the common case for the comparison to test the shortcut.
        assertTrue(plainUdp > compared / 40, plainUdp + " of " + compared + " were well-formed UDP over plain IPv4");
    }

    @Test
    void parserAgreesWithScapyOnRandomAndMutatedHeaders() throws IOException {
        List<byte[]> cases = cases();
        Path file = dir.resolve("cases.txt");
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < cases.size(); k++) {
            text.append(k).append(' ').append(HexFormat.of().formatHex(cases.get(k))).append('\n');
        }
        Files.writeString(file, text);
        List<String> expected = Scapy.run(reference() + "\n", file.toString());
        assertEquals(cases.size(), expected.size(), "one reference verdict per case");

        PacketHeaders headers = new PacketHeaders();
        int mismatches = 0;
        StringBuilder report = new StringBuilder();
        int valid = 0;
        for (int k = 0; k < cases.size(); k++) {
            byte[] c = cases.get(k);
            String got;
            try (NativeFrame frame = new NativeFrame(c, 64)) {
                HeaderParser.parse(frame.address(), c.length, HeaderParser.NO_VERDICTS, headers, 0);
                got = verdict(headers, 0, frame.address());
                // The one-compare accessor the DNS stage tests first agrees with the reference's verdict too.
                int udpPort = headers.udpDestinationPort(0);
                if (udpPort != expectedUdpDestinationPort(expected.get(k))) {
                    got += " udpDestinationPort=" + udpPort;
                }
            }
            if (got.startsWith("VALID")) {
                valid++;
            }
            if (!got.equals(expected.get(k))) {
                if (mismatches++ < 10) {
                    report.append("\n case ").append(k).append(" ").append(HexFormat.of().formatHex(c))
                            .append("\n   parser: ").append(got).append("\n   scapy:  ").append(expected.get(k));
                }
            }
        }
        assertEquals(0, mismatches, mismatches + " of " + cases.size() + " verdicts differ:" + report);
        // The mutations must leave enough cases valid (and enough malformed) for the comparison to mean something.
        assertTrue(valid > CASES / 5 && valid < CASES * 4 / 5, valid + " of " + CASES + " valid");
    }

    /** What {@link PacketHeaders#udpDestinationPort} must give for a reference verdict. */
    private static int expectedUdpDestinationPort(String verdict) {
        Matcher m = WELL_FORMED_UDP.matcher(verdict);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The parser's verdict in the reference's format. */
    private static String verdict(PacketHeaders h, int i, long frame) {
        int status = h.status(i);
        if (status != DropReasons.VALID) {
            return ((Enum<?>) DropReasons.reason(status)).name();
        }
        String head = String.format("VALID et=%04x l3=%d", h.etherType(i), h.l3Offset(i));
        boolean v4 = h.isIpv4(i);
        boolean v6 = h.isIpv6(i);
        if (!v4 && !v6) {
            return head;
        }
        boolean options = (h.flags(i) & PacketHeaders.IP_OPTIONS) != 0;
        List<String> flags = new ArrayList<>();
        flags.add(v4 ? "v4" : "v6");
        if (options) {
            flags.add("opt");
        }
        if ((h.flags(i) & PacketHeaders.VLAN) != 0) {
            flags.add("vlan");
        }
        String line = String.format("%s proto=%d l4=%d l4len=%d flags=%s ", head, h.protocol(i), h.l4Offset(i),
                h.l4Length(i), String.join(",", flags));
        if (h.l4Status(i) != DropReasons.VALID) {
            return line + ((Enum<?>) DropReasons.reason(h.l4Status(i))).name() + " -";
        }
        int proto = h.protocol(i);
        String ports = h.ports(i) == -1 ? "-" : h.sourcePort(i) + "/" + h.destinationPort(i);
        boolean summed = proto == Ipv4Header.PROTOCOL_UDP
                || proto == Ipv4Header.PROTOCOL_TCP && h.l4Length(i) >= 20
                || proto == Ipv4Header.PROTOCOL_ICMP && v4 || proto == Ipv6Header.NEXT_ICMPV6 && v6;
        String cksum = options || !summed ? "-" : h.l4ChecksumValid(i, frame) ? "good" : "bad";
        return line + "VALID " + ports + " cksum=" + cksum;
    }

    /** One seeded mutation of a template (sometimes two). */
    private static byte[] mutate(byte[] template, Random random) {
        byte[] b = template.clone();
        int rounds = 1 + random.nextInt(2);
        for (int r = 0; r < rounds; r++) {
            int l3 = l3Offset(b);
            switch (random.nextInt(9)) {
                case 0 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncated anywhere
                case 1 -> b = java.util.Arrays.copyOf(b, Math.max(0, b.length - 1 - random.nextInt(8)));
                case 2 -> { // a byte of the headers flipped
                    if (b.length > 0) {
                        b[random.nextInt(Math.min(b.length, 90))] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 3 -> { // padding after the packet (Ethernet pads short frames)
                    b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(30));
                }
                case 4 -> { // IPv4 version/IHL rewritten
                    if (l3 >= 0 && l3 < b.length) {
                        b[l3] = (byte) (random.nextBoolean() ? (b[l3] & 0xF0) | random.nextInt(16) : random.nextInt(256));
                    }
                }
                case 5 -> { // IPv4 Total Length or IPv6 Payload Length rewritten
                    int at = l3 + (ipVersion(b, l3) == 6 ? 4 : 2);
                    if (l3 >= 0 && at + 1 < b.length) {
                        int delta = random.nextInt(41) - 20;
                        int v = ((b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF)) + delta;
                        b[at] = (byte) (v >>> 8);
                        b[at + 1] = (byte) v;
                    }
                }
                case 6 -> { // IPv4 flags/fragment offset rewritten
                    if (l3 >= 0 && l3 + 7 < b.length) {
                        b[l3 + 6] = (byte) (random.nextInt(4) == 0 ? 0x40 : random.nextInt(256));
                        b[l3 + 7] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
                    }
                }
                case 7 -> { // a VLAN tag inserted after the MAC addresses
                    if (b.length >= 14) {
                        byte[] t = new byte[b.length + 4];
                        System.arraycopy(b, 0, t, 0, 12);
                        t[12] = (byte) (random.nextBoolean() ? 0x81 : 0x88);
                        t[13] = (byte) (t[12] == (byte) 0x81 ? 0x00 : 0xA8);
                        t[15] = (byte) random.nextInt(256);
                        System.arraycopy(b, 12, t, 16, b.length - 12);
                        b = t;
                    }
                }
                default -> { // a byte of the upper layer (ports, lengths, checksum) rewritten
                    if (l3 >= 0 && b.length > l3 + 20) {
                        int at = l3 + 20 + random.nextInt(Math.min(48, b.length - l3 - 20));
                        b[at] = (byte) random.nextInt(256);
                    }
                }
            }
            // Half the time the IPv4 header checksum is made right again, so the checks behind it are reached.
            if (random.nextBoolean()) {
                fixIpv4Checksum(b);
            }
        }
        return b;
    }

    /** Where the network header starts (after up to two tags), or -1 when the frame is too short to say. */
    private static int l3Offset(byte[] b) {
        int off = 12;
        for (int tags = 0; tags < 2 && off + 2 <= b.length; tags++) {
            int type = (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
            if (type != 0x8100 && type != 0x88A8) {
                break;
            }
            off += 4;
        }
        return off + 2 <= b.length ? off + 2 : -1;
    }

    private static int ipVersion(byte[] b, int l3) {
        return l3 >= 0 && l3 < b.length ? (b[l3] & 0xFF) >>> 4 : -1;
    }

    private static void fixIpv4Checksum(byte[] b) {
        int l3 = l3Offset(b);
        if (l3 < 0 || ipVersion(b, l3) != 4 || (b[l3 - 2] & 0xFF) != 0x08 || (b[l3 - 1] & 0xFF) != 0x00) {
            return;
        }
        int hl = (b[l3] & 0x0F) * 4;
        if (hl < 20 || l3 + hl > b.length) {
            return;
        }
        b[l3 + 10] = 0;
        b[l3 + 11] = 0;
        long sum = 0;
        for (int k = 0; k < hl; k += 2) {
            sum += (b[l3 + k] & 0xFF) << 8 | (b[l3 + k + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int c = ~(int) sum & 0xFFFF;
        b[l3 + 10] = (byte) (c >>> 8);
        b[l3 + 11] = (byte) c;
    }

    private static String reference() throws IOException {
        try (InputStream in = HeaderParserDifferentialTest.class.getResourceAsStream("/parser-reference.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
