package dev.isthmus.perf.gen;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.perf.gen.profile.Template;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The RX lcore's per-packet work: find the (innermost) UDP payload — through 802.1Q/802.1ad tags, IPv4 or IPv6,
 * and one VxLAN encapsulation — then either a {@link Signature} (count, order, latency for its stream) or a DNS
 * response (matched by ID and echoed question to the query its stream sent, RCODE and answer count checked).
 * Anything else is counted as {@link #other()}. Never allocates; a malformed frame is counted, never thrown on.
 */
final class Receiver {

    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86DD;
    private static final int ETH_VLAN = 0x8100;
    private static final int ETH_QINQ = 0x88A8;
    private static final int UDP = 17;
    private static final int DNS_HEADER = 12;

    private final RxStream[] streams;
    /** DNS stream by the UDP port its queries came from (the response's destination port), -1 for none. */
    private final int[] dnsStreamByPort = new int[65536];
    private final DnsOutstanding[] outstanding;
    private final StreamPackets[] packets;
    private final Template.DnsQuery[][] queries;
    /** Slot RECEIVED counts the frames that belonged to no stream (single writer: the RX lcore). */
    private final StreamCounters others = new StreamCounters();

    Receiver(RxStream[] streams, DnsOutstanding[] outstanding, StreamPackets[] packets, Template.DnsQuery[][] queries,
            int[][] dnsSourcePorts) {
        this.streams = streams;
        this.outstanding = outstanding;
        this.packets = packets;
        this.queries = queries;
        Arrays.fill(dnsStreamByPort, -1);
        for (int s = 0; s < dnsSourcePorts.length; s++) {
            if (dnsSourcePorts[s] != null) {
                for (int p = dnsSourcePorts[s][0]; p <= dnsSourcePorts[s][1]; p++) {
                    dnsStreamByPort[p] = s;
                }
            }
        }
    }

    /** Frames that were neither a generated stream's packet nor a DNS response to one. */
    long other() {
        return others.get(StreamCounters.RECEIVED);
    }

    void receive(long a, int length, long now) {
        if (!udp(a, length, now, 0)) {
            others.increment(StreamCounters.RECEIVED);
        }
    }

    /** @return whether the frame belonged to a stream */
    private boolean udp(long a, int length, long now, int depth) {
        if (length < 14) {
            return false;
        }
        int off = 12;
        int type = PacketMemory.u16(a + off);
        for (int tags = 0; (type == ETH_VLAN || type == ETH_QINQ) && tags < 2 && off + 6 <= length; tags++) {
            off += 4;
            type = PacketMemory.u16(a + off);
        }
        int l3 = off + 2;
        int l4;
        if (type == ETH_IPV4) {
            if (l3 + 20 > length || PacketMemory.u8(a + l3 + 9) != UDP) {
                return false;
            }
            l4 = l3 + (PacketMemory.u8(a + l3) & 0x0F) * 4;
        } else if (type == ETH_IPV6) {
            if (l3 + 40 > length || PacketMemory.u8(a + l3 + 6) != UDP) {
                return false;
            }
            l4 = l3 + 40;
        } else {
            return false;
        }
        if (l4 + 8 > length) {
            return false;
        }
        int payload = l4 + 8;
        int payloadLength = Math.min(PacketMemory.u16(a + l4 + 4) - 8, length - payload);
        if (payloadLength < 0) {
            return false;
        }
        int dstPort = PacketMemory.u16(a + l4 + 2);
        if (dstPort == Template.VXLAN_PORT && depth == 0 && payloadLength >= 8 + 14) {
            return udp(a + payload + 8, payloadLength - 8, now, 1);
        }
        long p = a + payload;
        if (Signature.matches(p, payloadLength)) {
            int id = Signature.stream(p);
            if (id >= streams.length || streams[id] == null) {
                return false;
            }
            RxStream s = streams[id];
            if (s.sequence(s.extend(Signature.sequence(p)))) {
                s.latency(now - Signature.time(p));
            }
            return true;
        }
        if (PacketMemory.u16(a + l4) == 53) {
            int id = dnsStreamByPort[dstPort];
            if (id < 0) {
                return false;
            }
            dns(id, p, payloadLength, now);
            return true;
        }
        return false;
    }

    private void dns(int stream, long p, int length, long now) {
        RxStream s = streams[stream];
        StreamCounters c = s.counters;
        // RFC 1035 §4.1.1: a response has QR set.
        if (length < DNS_HEADER || (PacketMemory.u8(p + 2) & 0x80) == 0) {
            c.increment(StreamCounters.DNS_MALFORMED);
            return;
        }
        int id = PacketMemory.u16(p);
        long seqPlusOne = outstanding[stream].take(id);
        if (seqPlusOne == 0) {
            c.increment(StreamCounters.DNS_UNMATCHED);
            return;
        }
        int e = outstanding[stream].entry(id);
        StreamPackets sp = packets[stream];
        int qlen = sp.questionLength(e);
        // RFC 1035 §4.1.2 / RFC 5452 §9.1: the response echoes the question; one with our ID but another question
        // is not our answer.
        if (PacketMemory.u16(p + 4) != 1 || DNS_HEADER + qlen > length
                || MemorySegment.mismatch(PacketMemory.ALL, sp.questionAddress(e), sp.questionAddress(e) + qlen,
                        PacketMemory.ALL, p + DNS_HEADER, p + DNS_HEADER + qlen) != -1) {
            c.increment(StreamCounters.DNS_QUESTION);
            return;
        }
        if (s.sequence(seqPlusOne - 1)) {
            s.latency(now - outstanding[stream].sentAt(id));
        }
        Template.DnsQuery q = queries[stream][e];
        if (q.rcode() >= 0 && (PacketMemory.u8(p + 3) & 0x0F) != q.rcode()) {
            c.increment(StreamCounters.DNS_RCODE);
        }
        if (q.answers() >= 0 && PacketMemory.u16(p + 6) != q.answers()) {
            c.increment(StreamCounters.DNS_ANSWERS);
        }
    }
}
