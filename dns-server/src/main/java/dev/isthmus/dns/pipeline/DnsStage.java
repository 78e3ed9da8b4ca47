package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.packet.UdpHeader;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.nativebindings.MbufLayout;
import dev.isthmus.nativebindings.NativeMemory;
import dev.isthmus.nativebindings.TxOffloads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Answers DNS over UDP on the data plane: a query to one of the input port's own addresses, UDP port 53, over IPv4
 * or IPv6 (untagged or 802.1Q/802.1ad), becomes its response in the same mbuf and goes back out of the port and
 * queue it came from. The engine writes the DNS payload in place; this stage turns the headers around:
 *
 * <ul>
 *   <li>Ethernet: destination = the query's source, source = the port's MAC; VLAN tags kept (same VLAN).</li>
 *   <li>IPv4: addresses swapped, Total Length, TTL 64, no DF (a resolver behind a small MTU still gets the
 *       fragments; the engine keeps UDP answers at 1232 octets or less with EDNS), identification kept, header
 *       checksum (RFC 791 §3.1). IPv6: addresses swapped, Payload Length, hop limit 64, traffic class and flow
 *       label 0.</li>
 *   <li>UDP: ports swapped, Length, checksum over the pseudo-header (RFC 768; mandatory over IPv6, RFC 8200
 *       §8.1) — or left to the NIC on ports configured with TX checksum offload.</li>
 *   <li>mbuf: data_len and pkt_len set to the response frame.</li>
 * </ul>
 *
 * <p>What it does not answer it leaves pending for the next stage (ARP, ICMP, TCP/53, other UDP, IPv4 with options,
 * IPv6 with extension headers: the exception path gives those to the kernel); what it cannot answer it drops with
 * a reason ({@link DnsDrop}, or the dataplane's for malformed IP/UDP). Answers are byte for byte what the engine
 * gives the kernel-socket transport, since both call {@link QueryEngine#answer}.
 *
 * <p>One instance per lcore: it owns its engine (scratch state), flyweights, counters and query-log ring. Per
 * packet it allocates nothing, takes no lock and makes no call into native code.
 */
public final class DnsStage implements PacketStage {

    /** RFC 1035 §4.2.1: the DNS server port. */
    public static final int DNS_PORT = 53;
    /** TTL/hop limit of responses (RFC 1700's recommended default). */
    private static final int RESPONSE_TTL = 64;

    private static final int BOGUS_SOURCE = DropReasons.code(DnsDrop.BOGUS_SOURCE);
    private static final int SOURCE_PORT_ZERO = DropReasons.code(DnsDrop.SOURCE_PORT_ZERO);
    private static final int TOO_SHORT = DropReasons.code(DnsDrop.TOO_SHORT);
    private static final int RESPONSE = DropReasons.code(DnsDrop.RESPONSE);
    private static final int NO_ROOM = DropReasons.code(DnsDrop.NO_ROOM);
    private static final int UDP_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);

    private static final MemorySegment ALL = PacketMemory.ALL;

    private final PortTable ports;
    private final QueryEngine engine;
    private final DnsCounters counters;
    private final QueryLogWriter log;
    private final boolean[] offload;
    /** Largest UDP payload a response may have over IPv4 / IPv6 without extension headers. */
    private final int udpLimit4;
    private final int udpLimit6;
    private final EthernetHeader eth = new EthernetHeader();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final UdpHeader udp = new UdpHeader();

    /**
     * @param ports    the ports and their addresses (from the lcore's context)
     * @param catalog  the zones, shared by every lcore (read without locks)
     * @param settings MTU, query log, offload ports
     * @param counters this lcore's DNS counters
     * @param log      this lcore's query-log writer, or null for none
     */
    DnsStage(PortTable ports, ZoneCatalog catalog, DnsSettings settings, DnsCounters counters, QueryLogWriter log) {
        this.ports = ports;
        this.engine = new QueryEngine(catalog);
        this.counters = counters;
        this.log = log;
        this.offload = new boolean[ports.size()];
        for (int p = 0; p < ports.size(); p++) {
            offload[p] = settings.offloadPorts().contains(ports.entry(p).name());
        }
        this.udpLimit4 = settings.mtu() - Ipv4Header.MIN_HEADER_LENGTH - UdpHeader.HEADER_LENGTH;
        this.udpLimit6 = settings.mtu() - Ipv6Header.HEADER_LENGTH - UdpHeader.HEADER_LENGTH;
    }

    @Override
    public void process(PacketFrame frame) {
        final int n = frame.size();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                handle(frame, i);
            }
        }
        if (log != null) {
            log.tick(frame.nanoTime());
        }
    }

    private void handle(PacketFrame frame, int i) {
        final int port = frame.inputPort(i);
        if (port < 0) {
            return;
        }
        final EthernetHeader eth = this.eth.wrap(frame.address(i), frame.length(i));
        int verdict = eth.validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        final int type = eth.etherType();
        if (type == EthernetHeader.TYPE_IPV4) {
            ipv4(frame, i, port);
        } else if (type == EthernetHeader.TYPE_IPV6) {
            ipv6(frame, i, port);
        }
        // anything else: another stage's
    }

    private void ipv4(PacketFrame frame, int i, int port) {
        final Ipv4Header ip = ip4.wrap(eth.payloadAddress(), eth.payloadLength());
        int verdict = ip.validate(true);
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        // Options (IHL > 5) are rare and some (source route, record route) must not be echoed: the kernel's.
        if (ip.protocol() != Ipv4Header.PROTOCOL_UDP || ip.headerLength() != Ipv4Header.MIN_HEADER_LENGTH
                || !ports.ownsIpv4(port, ip.destination())) {
            return;
        }
        final UdpHeader udp = this.udp.wrap(ip.payloadAddress(), ip.payloadLength());
        verdict = udp.validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (udp.destinationPort() != DNS_PORT) {
            return;
        }
        if (Ipv4Header.isBogusSource(ip.source())) {
            frame.drop(i, BOGUS_SOURCE);
            return;
        }
        // RFC 1122 §4.1.3.4: a datagram whose (present, non-zero) checksum is wrong is discarded.
        if (!udp.checksumValid(InternetChecksum.ipv4PseudoHeader(ip.source(), ip.destination(),
                Ipv4Header.PROTOCOL_UDP, udp.length()), true)) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return;
        }
        final int dnsLength = answer(frame, i, udpLimit4);
        if (dnsLength >= 0) {
            respond4(frame, i, port, dnsLength);
        }
    }

    /** Turns the headers of an answered IPv4 query around and hands the response on. */
    private void respond4(PacketFrame frame, int i, int port, int dnsLength) {
        final Ipv4Header ip = ip4;
        final UdpHeader udp = this.udp;
        final int udpLength = UdpHeader.HEADER_LENGTH + dnsLength;
        final int ipLength = Ipv4Header.MIN_HEADER_LENGTH + udpLength;
        final int oldTotalLength = ip.totalLength();
        final int oldFlags = ip.flagsAndFragmentOffset();
        final int oldTtlProtocol = PacketMemory.u16(ip.address() + Ipv4Header.TTL_OFFSET);
        ip.swapAddresses(); // the header sum does not change when the addresses swap
        ip.totalLength(ipLength).flagsAndFragmentOffset(0).ttl(RESPONSE_TTL);
        udp.swapPorts().length(udpLength);
        final int l2 = eth.payloadOffset();
        reverseEthernet(port);
        frame.burst().setDataLength(i, l2 + ipLength);
        if (offload[port]) {
            // DPDK's contract (rte_ipv4_phdr_cksum): IP checksum 0, UDP checksum = the pseudo-header sum, folded.
            ip.checksum(0);
            udp.checksum(InternetChecksum.fold(ip.pseudoHeaderSum()));
            frame.burst().setTxOffload(i, l2, Ipv4Header.MIN_HEADER_LENGTH,
                    TxOffloads.MBUF_IPV4 | TxOffloads.MBUF_IP_CKSUM | TxOffloads.MBUF_UDP_CKSUM);
        } else {
            // RFC 1624 eqn. 3 for the three words that changed, instead of summing the header again.
            int checksum = InternetChecksum.update16(ip.checksum(), oldTotalLength, ipLength);
            checksum = InternetChecksum.update16(checksum, oldFlags, 0);
            checksum = InternetChecksum.update16(checksum, oldTtlProtocol, (RESPONSE_TTL << 8) | Ipv4Header.PROTOCOL_UDP);
            ip.checksum(checksum);
            udp.updateChecksum(ip.pseudoHeaderSum());
        }
        finish(frame, i, dnsLength, false, ip.address() + Ipv4Header.DESTINATION_OFFSET, udp.destinationPort());
    }

    private void ipv6(PacketFrame frame, int i, int port) {
        final Ipv6Header ip = ip6.wrap(eth.payloadAddress(), eth.payloadLength());
        int verdict = ip.validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        // Extension headers (hop-by-hop, routing, ...) are the kernel's: a response must not copy them back.
        if (ip.upperLayerProtocol() != Ipv6Header.NEXT_UDP || ip.upperLayerOffset() != Ipv6Header.HEADER_LENGTH
                || !ports.ownsIpv6(port, ip.destinationHigh(), ip.destinationLow())) {
            return;
        }
        final int payload = ip.upperLayerLength();
        final UdpHeader udp = this.udp.wrap(ip.upperLayerAddress(), payload);
        verdict = udp.validate();
        if (verdict != DropReasons.VALID) {
            frame.drop(i, verdict);
            return;
        }
        if (udp.destinationPort() != DNS_PORT) {
            return;
        }
        if (isBogusSource6(ip.sourceHigh(), ip.sourceLow())) {
            frame.drop(i, BOGUS_SOURCE);
            return;
        }
        // RFC 8200 §8.1: over IPv6 the UDP checksum is mandatory; a zero one is discarded too.
        if (!udp.checksumValid(ip.pseudoHeaderSum(udp.length(), Ipv6Header.NEXT_UDP), false)) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return;
        }
        final int dnsLength = answer(frame, i, udpLimit6);
        if (dnsLength >= 0) {
            respond6(frame, i, port, dnsLength);
        }
    }

    /** Turns the headers of an answered IPv6 query around and hands the response on. */
    private void respond6(PacketFrame frame, int i, int port, int dnsLength) {
        final Ipv6Header ip = ip6;
        final UdpHeader udp = this.udp;
        final int udpLength = UdpHeader.HEADER_LENGTH + dnsLength;
        ip.swapAddresses();
        ip.versionClassFlow(0, 0).payloadLength(udpLength).hopLimit(RESPONSE_TTL);
        udp.swapPorts().length(udpLength);
        final int l2 = eth.payloadOffset();
        reverseEthernet(port);
        frame.burst().setDataLength(i, l2 + Ipv6Header.HEADER_LENGTH + udpLength);
        long pseudo = ip.pseudoHeaderSum(udpLength, Ipv6Header.NEXT_UDP);
        if (offload[port]) {
            udp.checksum(InternetChecksum.fold(pseudo));
            frame.burst().setTxOffload(i, l2, Ipv6Header.HEADER_LENGTH,
                    TxOffloads.MBUF_IPV6 | TxOffloads.MBUF_UDP_CKSUM);
        } else {
            udp.updateChecksum(pseudo);
        }
        finish(frame, i, dnsLength, true, ip.address() + Ipv6Header.DESTINATION_OFFSET, udp.destinationPort());
    }

    /**
     * Runs the engine over the UDP payload in place.
     *
     * @return the response length, or -1 when the packet was dropped (its reason counted)
     */
    private int answer(PacketFrame frame, int i, int udpLimit) {
        final long dns = udp.payloadAddress();
        final int queryLength = udp.payloadLength();
        if (queryLength < Header.LENGTH) {
            frame.drop(i, TOO_SHORT);
            return -1;
        }
        if ((PacketMemory.u16(dns + Header.FLAGS_OFFSET) & Header.FLAG_QR) != 0) {
            frame.drop(i, RESPONSE);
            return -1;
        }
        final long mbuf = frame.burst().mbuf(i);
        final int bufLen = Short.toUnsignedInt(NativeMemory.ALL.get(ValueLayout.JAVA_SHORT, mbuf + MbufLayout.BUF_LEN));
        final int dataOff = Short.toUnsignedInt(NativeMemory.ALL.get(ValueLayout.JAVA_SHORT, mbuf + MbufLayout.DATA_OFF));
        final int capacity = bufLen - dataOff - (int) (dns - frame.address(i));
        final int n = engine.answer(ALL, dns, queryLength, Math.max(capacity, queryLength), udpLimit);
        if (n < 0) {
            frame.drop(i, NO_ROOM);
            return -1;
        }
        return n;
    }

    private void reverseEthernet(int port) {
        eth.destination(eth.source()).source(ports.mac(port));
    }

    private void finish(PacketFrame frame, int i, int dnsLength, boolean ipv6, long clientAddress, int clientPort) {
        final long dns = udp.payloadAddress();
        final boolean truncated = (PacketMemory.u16(dns + Header.FLAGS_OFFSET) & Header.FLAG_TC) != 0;
        final int rcode = engine.lastRcode();
        final int qtype = engine.lastQtype();
        counters.answered(rcode, qtype, ipv6, truncated);
        final QueryLogWriter log = this.log;
        if (log != null && log.sampleQuery()) {
            log.query(frame.nanoTime(), ipv6, clientAddress, clientPort, qtype, rcode, truncated, dnsLength,
                    dns + Header.LENGTH, dnsLength - Header.LENGTH);
        }
        frame.transmitBack(i);
    }

    /**
     * RFC 4291 §2.7 and §2.5.2-3: a multicast, unspecified or loopback source cannot be answered. (IPv4-mapped
     * sources never arrive on the wire, RFC 4291 §2.5.5.2.)
     */
    static boolean isBogusSource6(long high, long low) {
        return (high >>> 56) == 0xFF || (high == 0 && (low == 0 || low == 1));
    }
}
