package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.Ipv4Header;
import dev.isthmus.dataplane.packet.Ipv6Header;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.packet.UdpHeader;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.edns.CookieSecrets;
import dev.isthmus.dns.edns.ResponseOpt;
import dev.isthmus.dns.edns.ServerCookies;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.rrl.RateLimitTable;
import dev.isthmus.dns.rrl.ResponseClass;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlPolicy;
import dev.isthmus.dns.xfr.NotifyHandler;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.nativebindings.TxOffloads;
import java.lang.foreign.MemorySegment;

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
 * <p>The headers come parsed and validated from the frame ({@link PacketFrame#headers()}, {@code HeaderParser}: once
 * per packet for the whole pipeline): the IPv4 header checksum (RFC 791 §3.1) is settled there, and the UDP checksum
 * (RFC 1122 §4.1.3.4, RFC 8200 §8.1) is summed only for a query this stage answers, unless the NIC's verdict (on
 * ports configured with RX checksum offload) or a zero checksum settled it — and then, where it can, not by a pass
 * of its own but by what reads the whole query anyway: the packet cache's key hash, or the engine's parse.
 *
 * <p>What it does not answer it leaves pending for the next stage (ARP, ICMP, TCP/53, other UDP, IPv4 with options,
 * IPv6 with extension headers: the exception path gives those to the kernel); what it cannot answer it drops with
 * a reason ({@link DnsDrop}, or the parser's for malformed Ethernet/ARP/IP/UDP). Answers are byte for byte what the engine
 * gives the kernel-socket transport, since both call {@link QueryEngine#answer}.
 *
 * <p>Around the engine, for a server facing the internet: DNS Cookies and NSID read from the query's OPT before the
 * packet cache and added to the response's OPT after it ({@code dev.isthmus.dns.edns}), CH TXT identity names, and
 * response-rate limiting of every UDP response, cache hits included ({@code dev.isthmus.dns.rrl}).
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
    private static final int RATE_LIMITED = DropReasons.code(DnsDrop.RATE_LIMITED);
    private static final int UDP_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);
    /** {@link #queryCheck}'s verdict on a query whose UDP checksum is wrong. */
    private static final long BAD_SUM = -2;
    /** The response's TTL and protocol bytes as one 16-bit word. */
    private static final int TTL_PROTOCOL = (RESPONSE_TTL << 8) | Ipv4Header.PROTOCOL_UDP;

    private static final MemorySegment ALL = PacketMemory.ALL;

    private final PortTable ports;
    private final ZoneCatalog catalog;
    private final QueryEngine engine;
    /** This lcore's packet cache, or null when configured off. */
    private final AnswerCache cache;
    private final DnsCounters counters;
    private final QueryLogWriter log;
    /** Per port: configured with IPv4 and UDP TX checksum offload, so answers leave the checksums to the NIC. */
    private final boolean[] offload;
    /** Largest UDP payload a response may have over IPv4 / IPv6 without extension headers. */
    private final int udpLimit4;
    private final int udpLimit6;
    private final RrlControl rrlControl;
    /** This lcore's rate-limiting entries (response-rate limiting, {@code dev.isthmus.dns.rrl}). */
    private final RateLimitTable rrlTable = new RateLimitTable(RateLimitTable.DEFAULT_ENTRIES);
    private final ResponseClass responseClass = new ResponseClass();

    private final CookieControl cookieControl;
    private final ServerCookies cookies = new ServerCookies();
    private final ServerIdentity identity;
    /** The NSID to send when asked (RFC 5001), or null for none. */
    private final byte[] nsid;
    /** Whether any CH TXT identity name is configured (RFC 4892). */
    private final boolean chaos;
    /** Unix time less {@link System#nanoTime()}, in seconds: wall-clock seconds without a call per burst. */
    private final long unixOffsetSeconds;

    // Read once per burst: the rate-limiting policy (null when off), the time in whole seconds, the cookie secrets
    // (null when off) and the Unix time.
    private RrlPolicy rrl;
    /** The policy the table's entries were accounted under. */
    private RrlPolicy lastPolicy;
    private int second;
    private CookieSecrets secrets;
    private int unixSecond;
    /** {@link ServerCookies#inspect}'s verdict on the query being answered. */
    private int cookie;
    /**
     * Per burst: each query's UDP checksum is finished by what reads the whole query anyway, instead of a pass of
     * the stage's before it — the packet cache as it hashes the query for its key, or with the cache off the engine
     * as it parses it ({@link QueryEngine#lastQuerySum}) — when nothing reads or answers the query before they do
     * (no server cookies, NSID or CH identity names; a query the log samples is summed first, {@link #queryCheck}).
     */
    private boolean laterSums;

    /**
     * Responses of this burst over IPv4 / IPv6, added to the counters once at its end (a burst a stage throws in is
     * dropped whole, and these start again from 0).
     */
    private int answered4;
    private int answered6;

    // The answer just written by answer(), from the cache or the engine.
    private int answerRcode;
    private int answerQtype;
    /**
     * The Internet-checksum sum of the response's octets after its ID ({@link AnswerCache#payloadSum}'s), from the
     * engine ({@link QueryEngine#lastSum}) or the packet cache, or -1 when neither took it.
     */
    private int answerSum;
    /** The query being answered is one the query log samples (its bytes already in the ring with dnstap). */
    private boolean sampled;

    /**
     * @param ports    the ports and their addresses (from the lcore's context)
     * @param catalog  the zones, shared by every lcore (read without locks)
     * @param settings MTU, query log, packet cache (checksum offload is read from the port table)
     * @param counters this lcore's DNS counters
     * @param log      this lcore's query-log writer, or null for none
     */
    DnsStage(PortTable ports, ZoneCatalog catalog, DnsSettings settings, DnsCounters counters, QueryLogWriter log) {
        this(ports, catalog, settings, counters, log, new RrlControl(), new CookieControl(), ServerIdentity.NONE);
    }

    /**
     * @param rrl where the response-rate-limiting policy is published (shared by every lcore)
     * @param cookies where the server-cookie secrets are published (shared by every lcore)
     * @param identity the NSID and CH TXT identity texts
     */
    DnsStage(PortTable ports, ZoneCatalog catalog, DnsSettings settings, DnsCounters counters, QueryLogWriter log,
             RrlControl rrl, CookieControl cookies, ServerIdentity identity) {
        this.identity = identity;
        this.nsid = identity.nsid();
        this.chaos = identity.answersChaos();

        this.rrlControl = rrl;
        this.cookieControl = cookies;
        this.unixOffsetSeconds = System.currentTimeMillis() / 1000 - System.nanoTime() / 1_000_000_000L;
        this.ports = ports;
        this.catalog = catalog;
        this.engine = new QueryEngine(catalog, settings.minimalResponses());
        this.cache = settings.answerCacheEntries() > 0 ? new AnswerCache(settings.answerCacheEntries()) : null;
        this.counters = counters;
        this.log = log;
        this.offload = new boolean[ports.size()];
        for (int p = 0; p < ports.size(); p++) {
            offload[p] = ports.entry(p).hasTxOffloads(PortSetup.ADDRESSED_PORT_TX_OFFLOADS);
        }
        this.udpLimit4 = settings.mtu() - Ipv4Header.MIN_HEADER_LENGTH - UdpHeader.HEADER_LENGTH;
        this.udpLimit6 = settings.mtu() - Ipv6Header.HEADER_LENGTH - UdpHeader.HEADER_LENGTH;
    }

    @Override
    public void process(PacketFrame frame) {
        if (cache != null) {
            cache.validate(catalog.snapshot()); // once per burst: hits from changed zones then miss
        }
        final RrlPolicy policy = rrlControl.policy();
        if (policy != lastPolicy) {
            // New settings start from fresh accounts: balances and debts under the old rate mean nothing now.
            rrlTable.clear();
            lastPolicy = policy;
        }
        rrl = policy.enabled() ? policy : null;
        final long seconds = frame.nanoTime() / 1_000_000_000L;
        second = (int) seconds;
        final CookieSecrets cookieSecrets = cookieControl.secrets();
        secrets = cookieSecrets.enabled() ? cookieSecrets : null;
        unixSecond = (int) (seconds + unixOffsetSeconds);
        laterSums = !chaos && nsid == null && secrets == null;
        final int n = frame.size();
        final PacketHeaders headers = frame.headers();
        answered4 = 0;
        answered6 = 0;
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                handle(frame, i, headers);
            }
        }
        if (answered4 + answered6 != 0) {
            counters.answeredOver(answered4, answered6);
        }
        if (log != null) {
            log.tick(frame.nanoTime());
        }
    }

    private void handle(PacketFrame frame, int i, PacketHeaders headers) {
        // One mask and compare of the parsed packet word first: well-formed UDP to a port other than 53 (on an uplink
        // shared with the vswitch, all its VxLAN) is not this stage's whatever its addresses, and costs it no read of
        // the packet or the mbuf.
        final int udpPort = headers.udpDestinationPort(i);
        if (udpPort >= 0 && udpPort != DNS_PORT) {
            return;
        }
        final int port = frame.inputPort(i);
        if (port < 0) {
            return;
        }
        // The headers were parsed and validated once for the whole pipeline (HeaderParser); malformed Ethernet or
        // IP is dropped here with the parser's reason, a malformed ARP left pending (not this stage's). Protocols
        // other than UDP are the kernel's. (Well-formed UDP to port 53 has passed both already.)
        if (udpPort < 0 && (frame.dropIfMalformed(i) || headers.protocol(i) != Ipv4Header.PROTOCOL_UDP)) {
            return;
        }
        final int flags = headers.flags(i);
        // Options (IHL > 5) are rare and some (source route, record route) must not be echoed; a response must not
        // copy IPv6 extension headers back: both the kernel's.
        if ((flags & PacketHeaders.IP_OPTIONS) != 0) {
            return;
        }
        if ((flags & PacketHeaders.IPV4) != 0) {
            ipv4(frame, i, port, headers, udpPort, flags);
        } else if ((flags & PacketHeaders.IPV6) != 0) {
            ipv6(frame, i, port, headers, udpPort, flags);
        }
    }

    /**
     * A UDP query over IPv4 without options, its headers already validated by the parser: the checks that are this
     * stage's (our address, port 53, a source that can be answered, the UDP checksum), then the answer, with the
     * IPv4 header read back in three loads and written back whole.
     */
    private void ipv4(PacketFrame frame, int i, int port, PacketHeaders headers, int udpPort, int flags) {
        final long frameAddress = frame.address(i);
        final int l2 = headers.l3Offset(i);
        final long ip = frameAddress + l2;
        final int destination = PacketMemory.i32(ip + Ipv4Header.DESTINATION_OFFSET);
        if (!ports.ownsIpv4(port, destination)) {
            return;
        }
        if (udpPort != DNS_PORT) {
            // Well-formed UDP came here only to port 53 (handle); this is UDP to our address whose header the parser
            // found malformed: dropped with its reason.
            final int udpStatus = headers.l4Status(i);
            if (udpStatus != DropReasons.VALID) {
                frame.drop(i, udpStatus);
            }
            return;
        }
        // Bytes 0-7: version/IHL, TOS, Total Length, Identification, flags/fragment offset (RFC 791 §3.1);
        // bytes 8-15: TTL, protocol, header checksum, source.
        final long w0 = PacketMemory.i64(ip);
        final long w1 = PacketMemory.i64(ip + Ipv4Header.TTL_OFFSET);
        final int source = (int) w1;
        if (Ipv4Header.isBogusSource(source)) {
            frame.drop(i, BOGUS_SOURCE);
            return;
        }
        final int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        final long udp = ip + Ipv4Header.MIN_HEADER_LENGTH;
        final long u = PacketMemory.i64(udp);
        final int udpLength = (int) (u >>> 16) & 0xFFFF;
        // RFC 1122 §4.1.3.4: a datagram whose (present, non-zero) checksum is wrong is discarded; a zero one (none
        // sent, RFC 768) is accepted (the parser settles both, and the NIC's verdict where it has one).
        final long check = queryCheck(flags, udp, u, udpLength,
                InternetChecksum.ipv4PseudoHeader(source, destination, Ipv4Header.PROTOCOL_UDP, udpLength));
        if (check == BAD_SUM) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return;
        }
        final long dns = udp + UdpHeader.HEADER_LENGTH;
        if (secrets != null) {
            cookies.client4(source);
        }
        int dnsLength = answer(frame, i, frameAddress, dns, udpLength - UdpHeader.HEADER_LENGTH, udpLimit4, check);
        if (dnsLength < 0) {
            return;
        }
        final RrlPolicy rrl = this.rrl;
        if (rrl != null && !rrl.exempt4(source)) {
            dnsLength = rateLimit(frame, i, dns, dnsLength, rrl, false, rrl.prefix4(source) & 0xFFFF_FFFFL, 0);
            if (dnsLength < 0) {
                return;
            }
        }
        // The response: Ethernet addresses turned around (tags kept), then the headers written back whole.
        final int clientPort = (int) (u >>> 48);
        final int responseUdpLength = UdpHeader.HEADER_LENGTH + dnsLength;
        final int ipLength = Ipv4Header.MIN_HEADER_LENGTH + responseUdpLength;
        reverseEthernet(frameAddress, port);
        final boolean offloaded = offload[port];
        final int ipChecksum;
        if (offloaded) {
            // DPDK's contract (rte_ipv4_phdr_cksum): IP checksum 0, UDP checksum = the pseudo-header sum, folded.
            ipChecksum = 0;
        } else {
            // RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for the three words that change (Total Length, flags and
            // fragment offset, TTL and protocol) at once; the swapped addresses leave the sum as it is.
            final long update = (~(w1 >>> 32) & 0xFFFF)
                    + (~totalLength & 0xFFFF) + ipLength
                    + (~w0 & 0xFFFF)
                    + (~(w1 >>> 48) & 0xFFFF) + TTL_PROTOCOL;
            ipChecksum = ~InternetChecksum.fold(update) & 0xFFFF;
        }
        // No DF, Identification and TOS kept; TTL 64, UDP; the addresses swapped.
        PacketMemory.put64(ip, (w0 & 0xFFFF_0000_FFFF_0000L) | ((long) ipLength << 32));
        PacketMemory.put64(ip + Ipv4Header.TTL_OFFSET,
                ((long) TTL_PROTOCOL << 48) | ((long) ipChecksum << 32) | (destination & 0xFFFF_FFFFL));
        PacketMemory.put32(ip + Ipv4Header.DESTINATION_OFFSET, source);
        final long pseudo = InternetChecksum.ipv4PseudoHeader(destination, source, Ipv4Header.PROTOCOL_UDP,
                responseUdpLength);
        final int udpChecksum = responseUdpChecksum(offloaded, pseudo, clientPort, responseUdpLength, dns, dnsLength);
        PacketMemory.put64(udp, ((long) DNS_PORT << 48) | ((long) clientPort << 32)
                | ((long) responseUdpLength << 16) | udpChecksum);
        frame.burst().setDataLength(i, l2 + ipLength);
        if (offloaded) {
            frame.burst().setTxOffload(i, l2, Ipv4Header.MIN_HEADER_LENGTH,
                    TxOffloads.MBUF_IPV4 | TxOffloads.MBUF_IP_CKSUM | TxOffloads.MBUF_UDP_CKSUM);
        }
        finish(frame, i, dns, dnsLength, false, ip + Ipv4Header.DESTINATION_OFFSET, ip + Ipv4Header.SOURCE_OFFSET,
                clientPort);
    }

    /**
     * A UDP query straight over IPv6 (no extension headers: a response must not copy them back), its headers already
     * validated by the parser: our address, port 53, a source that can be answered, the checksum, then the answer.
     */
    private void ipv6(PacketFrame frame, int i, int port, PacketHeaders headers, int udpPort, int flags) {
        final long frameAddress = frame.address(i);
        final int l2 = headers.l3Offset(i);
        final long ip = frameAddress + l2;
        final long destinationHigh = PacketMemory.i64(ip + Ipv6Header.DESTINATION_OFFSET);
        final long destinationLow = PacketMemory.i64(ip + Ipv6Header.DESTINATION_OFFSET + 8);
        if (!ports.ownsIpv6(port, destinationHigh, destinationLow)) {
            return;
        }
        if (udpPort != DNS_PORT) {
            // Well-formed UDP came here only to port 53 (handle); this is UDP to our address whose header the parser
            // found malformed: dropped with its reason.
            final int udpStatus = headers.l4Status(i);
            if (udpStatus != DropReasons.VALID) {
                frame.drop(i, udpStatus);
            }
            return;
        }
        final long sourceHigh = PacketMemory.i64(ip + Ipv6Header.SOURCE_OFFSET);
        final long sourceLow = PacketMemory.i64(ip + Ipv6Header.SOURCE_OFFSET + 8);
        if (isBogusSource6(sourceHigh, sourceLow)) {
            frame.drop(i, BOGUS_SOURCE);
            return;
        }
        // The pseudo-header's two addresses (RFC 8200 §8.1) as 32-bit words, the same for query and response.
        final long addressSum = (sourceHigh >>> 32) + (sourceHigh & 0xFFFF_FFFFL)
                + (sourceLow >>> 32) + (sourceLow & 0xFFFF_FFFFL)
                + (destinationHigh >>> 32) + (destinationHigh & 0xFFFF_FFFFL)
                + (destinationLow >>> 32) + (destinationLow & 0xFFFF_FFFFL);
        final long udp = ip + Ipv6Header.HEADER_LENGTH;
        final long u = PacketMemory.i64(udp);
        final int udpLength = (int) (u >>> 16) & 0xFFFF;
        // RFC 8200 §8.1: over IPv6 the UDP checksum is mandatory; the parser settles a zero one as wrong whatever
        // the NIC says (a NIC verifying the sum can find a zero field right: 0 and 0xFFFF are the same in one's
        // complement).
        final long check = queryCheck(flags, udp, u, udpLength, addressSum + udpLength + Ipv6Header.NEXT_UDP);
        if (check == BAD_SUM) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return;
        }
        final long dns = udp + UdpHeader.HEADER_LENGTH;
        if (secrets != null) {
            cookies.client6(sourceHigh, sourceLow);
        }
        int dnsLength = answer(frame, i, frameAddress, dns, udpLength - UdpHeader.HEADER_LENGTH, udpLimit6, check);
        if (dnsLength < 0) {
            return;
        }
        final RrlPolicy rrl = this.rrl;
        if (rrl != null && !rrl.exempt6(sourceHigh, sourceLow)) {
            dnsLength = rateLimit(frame, i, dns, dnsLength, rrl, true, sourceHigh & rrl.mask6High(),
                    sourceLow & rrl.mask6Low());
            if (dnsLength < 0) {
                return;
            }
        }
        final int clientPort = (int) (u >>> 48);
        final int responseUdpLength = UdpHeader.HEADER_LENGTH + dnsLength;
        reverseEthernet(frameAddress, port);
        // Traffic class and flow label 0, Payload Length, Next Header UDP, hop limit 64; the addresses swapped.
        PacketMemory.put64(ip, (6L << 60) | ((long) responseUdpLength << 16) | (Ipv6Header.NEXT_UDP << 8)
                | RESPONSE_TTL);
        PacketMemory.put64(ip + Ipv6Header.SOURCE_OFFSET, destinationHigh);
        PacketMemory.put64(ip + Ipv6Header.SOURCE_OFFSET + 8, destinationLow);
        PacketMemory.put64(ip + Ipv6Header.DESTINATION_OFFSET, sourceHigh);
        PacketMemory.put64(ip + Ipv6Header.DESTINATION_OFFSET + 8, sourceLow);
        final long pseudo = addressSum + responseUdpLength + Ipv6Header.NEXT_UDP;
        final boolean offloaded = offload[port];
        final int udpChecksum = responseUdpChecksum(offloaded, pseudo, clientPort, responseUdpLength, dns, dnsLength);
        PacketMemory.put64(udp, ((long) DNS_PORT << 48) | ((long) clientPort << 32)
                | ((long) responseUdpLength << 16) | udpChecksum);
        frame.burst().setDataLength(i, l2 + Ipv6Header.HEADER_LENGTH + responseUdpLength);
        if (offloaded) {
            frame.burst().setTxOffload(i, l2, Ipv6Header.HEADER_LENGTH,
                    TxOffloads.MBUF_IPV6 | TxOffloads.MBUF_UDP_CKSUM);
        }
        finish(frame, i, dns, dnsLength, true, ip + Ipv6Header.DESTINATION_OFFSET, ip + Ipv6Header.SOURCE_OFFSET,
                clientPort);
    }

    /**
     * The query's UDP checksum verdict (RFC 768, RFC 8200 §8.1): {@link #BAD_SUM}, {@link AnswerCache#VERIFIED} (the
     * parser's settled verdict, or summed here), or, when the packet cache or the engine will read the whole query
     * anyway ({@link #laterSums}), the sum of the pseudo-header and the UDP header for them to finish
     * ({@link #answer} sums it first wherever the query goes elsewhere, {@link #answerPayload} where the engine does
     * not read it whole). A query the log samples is summed here, so that its bytes are captured only once the
     * checksum is known right.
     *
     * @param u the UDP header, as one big-endian load
     */
    private long queryCheck(int flags, long udp, long u, int udpLength, long pseudo) {
        if ((flags & PacketHeaders.L4_CHECKSUM_CHECKED) != 0) {
            return (flags & PacketHeaders.L4_CHECKSUM_GOOD) != 0 ? AnswerCache.VERIFIED : BAD_SUM;
        }
        if (laterSums && (log == null || !log.samplesNext())) {
            return pseudo + (u >>> 32) + (u & 0xFFFF_FFFFL);
        }
        return PacketHeaders.l4SumsRight(udp, udpLength, pseudo) ? AnswerCache.VERIFIED : BAD_SUM;
    }

    /**
     * Drops the query when its checksum, left to the packet cache or the engine ({@link #queryCheck}), is wrong: for a
     * query that goes elsewhere, or that the engine does not read whole, so that it is dropped with the reason it
     * had before (a wrong checksum first).
     *
     * @return true when dropped
     */
    private boolean droppedForSum(PacketFrame frame, int i, long dns, int queryLength, long check) {
        if (check >= 0 && !InternetChecksum.verifies(InternetChecksum.sum(dns, queryLength, check))) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return true;
        }
        return false;
    }

    /**
     * Answers the UDP payload in place: from the packet cache when it holds this query, else through the engine
     * (and then into the cache).
     *
     * @param check the query's checksum verdict from {@link #queryCheck}: {@link AnswerCache#VERIFIED}, or the sum
     *              of the datagram before {@code dns} for the packet cache to finish
     * @return the response length, or -1 when the packet was dropped (its reason counted)
     */
    private int answer(PacketFrame frame, int i, long frameAddress, long dns, int queryLength, int udpLimit,
                       long check) {
        if (queryLength < Header.LENGTH) {
            if (!droppedForSum(frame, i, dns, queryLength, check)) {
                frame.drop(i, TOO_SHORT);
            }
            return -1;
        }
        final int flags = PacketMemory.u16(dns + Header.FLAGS_OFFSET);
        if ((flags & Header.FLAG_QR) != 0) {
            if (!droppedForSum(frame, i, dns, queryLength, check)) {
                frame.drop(i, RESPONSE);
            }
            return -1;
        }
        if ((flags & Header.OPCODE_MASK) == NotifyHandler.OPCODE_NOTIFY << Header.OPCODE_SHIFT) {
            // RFC 1996: a NOTIFY is for the control plane (TSIG, then a refresh of a secondary zone). Left pending,
            // the exception stage punts it to the kernel side, where the kernel-socket transport hands it over.
            droppedForSum(frame, i, dns, queryLength, check);
            return -1;
        }
        final QueryLogWriter log = this.log;
        // A query whose checksum the cache or the engine finishes is not sampled (queryCheck): counted as passed
        // over once the checksum is known right (answerPayload).
        sampled = check < 0 && log != null && log.sampleQuery() && log.captureQuery(dns, queryLength);
        // From the DNS message's start to the end of the mbuf's buffer: what the response may fill.
        final int capacity = frame.burst().room(i) - (int) (dns - frameAddress);
        if (chaos) {
            final int ch = identity.answerChaos(dns, queryLength, capacity);
            if (ch > 0) {
                answerRcode = Rcode.NOERROR;
                answerQtype = RecordType.TXT;
                answerSum = -1;
                cookie = ServerCookies.NONE;
                return ch;
            }
        }
        final CookieSecrets secrets = this.secrets;
        final byte[] nsid = this.nsid;
        int limit = udpLimit;
        cookie = ServerCookies.NONE;
        boolean sendNsid = false;
        if (secrets != null || nsid != null) {
            cookie = cookies.inspect(dns, queryLength, secrets, unixSecond);
            sendNsid = nsid != null && cookies.nsidRequested();
            if (sendNsid) {
                limit -= 4 + nsid.length; // room for the NSID option (RFC 5001 §2.3)
            }
            if (cookie == ServerCookies.MALFORMED) {
                answerRcode = Rcode.FORMERR; // RFC 7873 §5.2.2
                answerQtype = 0;
                answerSum = -1;
                return ServerCookies.formErr(dns);
            }
            if (cookie != ServerCookies.NONE) {
                limit -= ServerCookies.OPTION_LENGTH; // room for the COOKIE option added below
                if (cookie == ServerCookies.VALID) {
                    counters.increment(DnsCounters.Counter.COOKIE_VALID);
                }
            }
        }
        int n = answerPayload(frame, i, dns, queryLength, limit, capacity, check);
        if (n < 0) {
            return n;
        }
        // After the cache: what it keeps never carries a cookie, so it cannot hand one client's to another.
        if (sendNsid) {
            answerSum = -1;
            n = ResponseOpt.append(dns, n, capacity, ServerCookies.NSID_CODE, nsid);
        }
        if (cookie != ServerCookies.NONE) {
            answerSum = -1;
            n = cookies.append(dns, n, capacity, secrets, unixSecond);
        }
        return n;
    }

    /**
     * The response from the packet cache when it holds the query, else from the engine (then cached); the query's
     * checksum, when {@code check} is a sum ({@link #laterSums}), finished by the cache when it is on, else from the
     * engine's parse.
     */
    private int answerPayload(PacketFrame frame, int i, long dns, int queryLength, int udpLimit, int capacity,
                              long check) {
        final AnswerCache cache = this.cache;
        if (cache != null) {
            final int hit = cache.lookup(dns, queryLength, udpLimit, capacity,
                    check < 0 ? AnswerCache.VERIFIED : check + PacketMemory.u16(dns));
            if (hit == AnswerCache.BAD_CHECKSUM) {
                frame.drop(i, UDP_BAD_CHECKSUM);
                return -1;
            }
            if (check >= 0 && log != null) {
                log.passOver();
            }
            if (hit >= 0) {
                answerRcode = cache.hitRcode();
                answerQtype = cache.hitQtype();
                answerSum = cache.hitSum();
                counters.increment(DnsCounters.Counter.ANSWERED_FROM_CACHE);
                return hit;
            }
        }
        final int n = check >= 0 && cache == null ? engineVerifying(frame, i, dns, queryLength, udpLimit, capacity,
                check) : engine.answer(ALL, dns, queryLength, Math.max(capacity, queryLength), udpLimit);
        if (n == QueryEngine.UNREAD) {
            return -1; // dropped for its checksum
        }
        if (n < 0) {
            frame.drop(i, NO_ROOM);
            return -1;
        }
        answerRcode = engine.lastRcode();
        answerQtype = engine.lastQtype();
        // The engine's sum of the response when it took one (direct answers: from the sums kept with the zone), else
        // the cache's pass when it stores the response, else -1 (responseUdpChecksum's pass).
        final int sum = engine.lastSum();
        answerSum = cache != null ? cache.store(dns, n, sum, answerRcode, answerQtype, capacity,
                engine.lastZoneSlot(), engine.lastZoneGeneration()) : sum;
        return n;
    }

    /**
     * The engine's answer with the query's UDP checksum finished from its parse: the engine answers a query it reads
     * whole and gives the sum of what it read ({@link QueryEngine#lastQuerySum}), verified here after the answer,
     * before anything of it is counted, logged, limited or sent (a query with a wrong checksum is dropped, its
     * response written over it unseen); a query it does not read whole it leaves unwritten, summed here and then
     * answered. The ID, which no response changes, is read after the answer.
     *
     * @param check the sum of the pseudo-header and the UDP header
     * @return the engine's result, or {@link QueryEngine#UNREAD} when dropped for a wrong checksum
     */
    private int engineVerifying(PacketFrame frame, int i, long dns, int queryLength, int udpLimit, int capacity,
                                long check) {
        final int room = Math.max(capacity, queryLength);
        int n = engine.answer(ALL, dns, queryLength, room, udpLimit, true);
        final int querySum = engine.lastQuerySum();
        if (querySum == QueryEngine.NO_SUM) {
            // Not read whole (or dropped before it was): nothing written, the query summed as received.
            if (droppedForSum(frame, i, dns, queryLength, check)) {
                return QueryEngine.UNREAD;
            }
            if (n == QueryEngine.UNREAD) {
                n = engine.answer(ALL, dns, queryLength, room, udpLimit);
            }
        } else if (!InternetChecksum.verifies(check + PacketMemory.u16(dns) + querySum)) {
            frame.drop(i, UDP_BAD_CHECKSUM);
            return QueryEngine.UNREAD;
        }
        if (log != null) {
            log.passOver();
        }
        return n;
    }

    /**
     * Response-rate limiting (the RRL technical note; {@link RateLimitTable}): accounts the response just written to
     * its (client prefix, kind, name) entry, then sends it, drops it, or slips it — cuts it to header and question
     * with TC set (RFC 1035 §4.1.1), so a real client retries over TCP, which is not limited. Runs after the packet
     * cache, so cached answers are limited alike.
     *
     * @return the response length to send, or -1 when dropped (counted)
     */
    private int rateLimit(PacketFrame frame, int i, long dns, int dnsLength, RrlPolicy rrl, boolean ipv6,
                          long prefixHigh, long prefixLow) {
        if (cookie == ServerCookies.VALID) {
            return dnsLength; // a valid server cookie proves the source address: not a spoofed flood
        }
        final ResponseClass c = responseClass.classify(dns, dnsLength);
        final int kind = c == null ? ResponseClass.ERROR : c.kind();
        final int name = c == null ? 0 : c.nameHash();
        final int verdict = rrlTable.account(RateLimitTable.key(prefixHigh, prefixLow, ipv6, kind, name), second, rrl);
        if (verdict == RateLimitTable.SEND) {
            return dnsLength;
        }
        if (verdict == RateLimitTable.DROP || c == null) {
            counters.increment(DnsCounters.Counter.RATE_LIMITED);
            frame.drop(i, RATE_LIMITED);
            return -1;
        }
        counters.increment(DnsCounters.Counter.SLIPPED);
        answerSum = -1; // the cache's sum was the whole response's
        if (cookie == ServerCookies.CLIENT_ONLY || cookie == ServerCookies.INVALID) {
            // A client that speaks cookies gets BADCOOKIE and a fresh cookie instead of TC (as Knot does): its retry
            // carries a valid server cookie, which rate limiting lets through.
            answerRcode = Rcode.BADCOOKIE;
            return cookies.badCookie(dns, c.questionLength(), secrets, unixSecond);
        }
        PacketMemory.put16(dns + Header.FLAGS_OFFSET, PacketMemory.u16(dns + Header.FLAGS_OFFSET) | Header.FLAG_TC);
        PacketMemory.put16(dns + Header.ANCOUNT_OFFSET, 0);
        PacketMemory.put32(dns + Header.NSCOUNT_OFFSET, 0);
        return c.questionLength();
    }

    /**
     * The response's UDP checksum field. On a port with TX checksum offload, DPDK's contract (rte_ipv4_phdr_cksum):
     * the pseudo-header sum, folded, for the NIC to finish. Otherwise RFC 768's checksum over pseudo-header, header
     * (checksum 0) and data — the data as its ID plus the sum of the rest where the engine or the packet cache gave
     * that sum, else summed whole in one pass; a computed 0 is sent as 0xFFFF (RFC 768).
     *
     * @param pseudo the pseudo-header's sum (IPv4 or IPv6)
     */
    private int responseUdpChecksum(boolean offloaded, long pseudo, int clientPort, int responseUdpLength, long dns,
            int dnsLength) {
        if (offloaded) {
            return InternetChecksum.fold(pseudo);
        }
        final long header = pseudo + DNS_PORT + clientPort + responseUdpLength;
        final int sum = answerSum;
        final int c = InternetChecksum.finish(sum >= 0 ? header + PacketMemory.u16(dns) + sum
                : InternetChecksum.sum(dns, dnsLength, header));
        return c == 0 ? 0xFFFF : c;
    }

    /**
     * Destination = the query's source, source = the port's MAC: the source read in one 64-bit load (bytes 4-11),
     * bytes 0-11 written in one 64- and one 32-bit store.
     */
    private void reverseEthernet(long frameAddress, int port) {
        final long client = PacketMemory.i64(frameAddress + EthernetHeader.SOURCE_OFFSET - 2) & 0xFFFF_FFFF_FFFFL;
        final long own = ports.mac(port);
        PacketMemory.put64(frameAddress, (client << 16) | (own >>> 32));
        PacketMemory.put32(frameAddress + 8, (int) own);
    }

    /**
     * @param clientAddress the response's destination address field
     * @param serverAddress the response's source address field
     */
    private void finish(PacketFrame frame, int i, long dns, int dnsLength, boolean ipv6, long clientAddress,
            long serverAddress, int clientPort) {
        final boolean truncated = (PacketMemory.u16(dns + Header.FLAGS_OFFSET) & Header.FLAG_TC) != 0;
        final int rcode = answerRcode;
        final int qtype = answerQtype;
        counters.answeredWith(rcode, qtype, truncated);
        if (ipv6) {
            answered6++;
        } else {
            answered4++;
        }
        final QueryLogWriter log = this.log;
        if (sampled) {
            sampled = false;
            log.query(frame.nanoTime(), ipv6, clientAddress, clientPort, serverAddress, qtype, rcode, truncated,
                    dnsLength, dns);
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
