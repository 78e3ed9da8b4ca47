package dev.isthmus.perf.gen;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.MbufLayout;
import dev.isthmus.nativebindings.NativeMemory;
import java.lang.foreign.ValueLayout;
import dev.isthmus.perf.gen.profile.Range;
import dev.isthmus.perf.gen.profile.Stream;
import dev.isthmus.perf.gen.profile.Template;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a stream's packets: prebuilt template frames (one per DNS question of the mix, one per frame of a pcap,
 * else one) held off-heap, copied into the mbuf, then the varying fields written into the copy — addresses and
 * ports from their ranges, the latency {@link Signature} or the DNS ID — and the checksums that cover them
 * recomputed (IPv4 header, RFC 791; UDP, RFC 768, over IPv6 mandatory, RFC 8200 §8.1). Packet {@code k} of an
 * incrementing stream is a pure function of {@code k}, which is what lets {@code perf/trex/} rebuild it with scapy
 * byte for byte.
 *
 * <p>One instance per TX thread: {@link #write} keeps the random state and reports the template it used in
 * {@link #lastEntry()}; it allocates nothing.
 */
public final class StreamPackets {

    /** Where the headers of one layer (the outer frame, or the inner frame of VxLAN) sit in every template. */
    private record Layer(int l3, int l4, boolean ipv6, Range src, Range dst, Range srcPort, Range dstPort,
            boolean zeroUdpChecksum) {
        boolean varies() {
            return !src.isConstant() || !dst.isConstant() || !srcPort.isConstant() || !dstPort.isConstant();
        }
    }

    private final int streamId;
    private final MemorySegment templates;
    private final long base;
    private final int[] offsets;
    private final int[] lengths;
    /** Template index per slot, in smooth weighted round-robin order (the DNS mix; {0} otherwise). */
    private final int[] picks;
    private final Layer outer;
    private final Layer inner;
    /** Offset of the innermost UDP payload (the signature or the DNS header), -1 for pcap streams. */
    private final int payload;
    private final boolean signature;
    private final boolean dns;
    private final boolean varies;
    /**
     * Whether the checksums are updated from per-template base sums (every generated stream without VxLAN): the
     * template's IPv4 header and UDP sums are taken once with the varying fields zeroed, and each packet adds the
     * values it writes (RFC 1071 §2(A),(C): the one's complement sum is commutative and updated by adding), so a
     * packet costs its varying fields, not a pass over its bytes. VxLAN and pcap streams recompute in full.
     */
    private final boolean incremental;
    /** One template and incremental: the template can stay in the mbuf and only the varying fields be written. */
    private final boolean resident;
    /** Per template: the IPv4 header sum without checksum and varying addresses; the UDP sum likewise. */
    private final long[] ipBases;
    private final long[] udpBases;
    /** Resident, and only the signature's sequence and time vary: {@link #fillResident}'s shortest loop. */
    private final boolean signatureOnly;
    private final boolean srcVaries;
    private final boolean dstVaries;
    private final boolean srcPortVaries;
    private final boolean dstPortVaries;
    private final boolean random;
    private long state;
    private int lastEntry;

    private StreamPackets(Stream stream, List<byte[]> frames, Layer outer, Layer inner, int payload, int[] picks,
            boolean signature) {
        this.streamId = stream.id();
        this.outer = outer;
        this.inner = inner;
        this.payload = payload;
        this.picks = picks;
        this.signature = signature;
        this.dns = stream.isDns();
        this.random = stream.random();
        this.state = stream.seed() == 0 ? 0x9E37_79B9_7F4A_7C15L : stream.seed();
        this.varies = payload >= 0 && (signature || dns || outer.varies() || (inner != null && inner.varies()));
        int total = frames.stream().mapToInt(f -> f.length).sum();
        templates = Arena.ofAuto().allocate(Math.max(total, 1), 64);
        base = templates.address();
        offsets = new int[frames.size()];
        lengths = new int[frames.size()];
        int at = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            MemorySegment.copy(f, 0, templates, java.lang.foreign.ValueLayout.JAVA_BYTE, at, f.length);
            offsets[i] = at;
            lengths[i] = f.length;
            if (signature) {
                // The constant part of the signature lives in the template, so that a resident mbuf has it.
                PacketMemory.put32(base + at + payload + Signature.MAGIC_OFFSET, Signature.MAGIC);
                PacketMemory.put16(base + at + payload + Signature.STREAM_OFFSET, streamId);
            }
            if (payload >= 0) {
                fixChecksums(base + at, f.length);
            }
            at += f.length;
        }
        srcVaries = !outer.src().isConstant();
        dstVaries = !outer.dst().isConstant();
        srcPortVaries = !outer.srcPort().isConstant();
        dstPortVaries = !outer.dstPort().isConstant();
        incremental = payload >= 0 && inner == null;
        resident = incremental && frames.size() == 1;
        signatureOnly = resident && signature && !srcVaries && !dstVaries && !srcPortVaries && !dstPortVaries;
        ipBases = new long[frames.size()];
        udpBases = new long[frames.size()];
        if (incremental) {
            MemorySegment scratch = Arena.ofAuto().allocate(Math.max(maxLength(), 1), 64);
            for (int e = 0; e < frames.size(); e++) {
                MemorySegment.copy(templates, offsets[e], scratch, 0, lengths[e]);
                zeroVarying(scratch.address());
                long l3 = scratch.address() + outer.l3();
                long l4 = scratch.address() + outer.l4();
                int udpLength = PacketMemory.u16(l4 + 4);
                PacketMemory.put16(l4 + 6, 0);
                if (outer.ipv6()) {
                    udpBases[e] = InternetChecksum.sum(l4, udpLength,
                            InternetChecksum.ipv6PseudoHeader(l3 + 8, udpLength, 17));
                } else {
                    PacketMemory.put16(l3 + 10, 0);
                    ipBases[e] = InternetChecksum.sum(l3, 20, 0);
                    udpBases[e] = InternetChecksum.sum(l4, udpLength, InternetChecksum.ipv4PseudoHeader(
                            PacketMemory.i32(l3 + 12), PacketMemory.i32(l3 + 16), 17, udpLength));
                }
            }
        }
    }

    /** Zeroes, in a template copy, every field {@link #fill} writes per packet (what the base sums leave out). */
    private void zeroVarying(long a) {
        final Layer o = outer;
        if (o.ipv6()) {
            if (srcVaries) {
                PacketMemory.put64(a + o.l3() + 16, 0);
            }
            if (dstVaries) {
                PacketMemory.put64(a + o.l3() + 32, 0);
            }
        } else {
            if (srcVaries) {
                PacketMemory.put32(a + o.l3() + 12, 0);
            }
            if (dstVaries) {
                PacketMemory.put32(a + o.l3() + 16, 0);
            }
        }
        if (srcPortVaries) {
            PacketMemory.put16(a + o.l4(), 0);
        }
        if (dstPortVaries) {
            PacketMemory.put16(a + o.l4() + 2, 0);
        }
        if (signature) {
            PacketMemory.put32(a + payload + Signature.SEQUENCE_OFFSET, 0);
            PacketMemory.put64(a + payload + Signature.TIME_OFFSET, 0);
        } else if (dns) {
            PacketMemory.put16(a + payload, 0);
        }
    }

    /** The writer of a stream: generated from its template, or the frames of its pcap. */
    public static StreamPackets of(Stream stream) throws IOException {
        if (stream.isPcap()) {
            List<byte[]> frames = Pcap.read(stream.pcap());
            int[] picks = new int[frames.size()];
            for (int i = 0; i < picks.length; i++) {
                picks[i] = i;
            }
            Layer none = new Layer(0, 0, false, Range.of(0), Range.of(0), Range.of(0), Range.of(0), true);
            return new StreamPackets(stream, frames, none, null, -1, picks, false);
        }
        Template t = stream.packet();
        Template in = t.innermost();
        List<Template.DnsQuery> queries = in.queries();
        List<byte[]> frames = new ArrayList<>();
        int[] layout = new int[4];
        if (queries.isEmpty()) {
            frames.add(frame(t, null, layout));
        } else {
            for (Template.DnsQuery q : queries) {
                frames.add(frame(t, q, layout));
            }
        }
        int outerL3 = 14 + (t.vlan() >= 0 ? 4 : 0);
        Layer outer = new Layer(outerL3, outerL3 + (t.ipv6() ? 40 : 20), t.ipv6(), t.src(), t.dst(), t.srcPort(),
                t.dstPort(), t.isVxlan() && !t.ipv6());
        Layer inner = null;
        int payloadOffset = outer.l4() + 8;
        if (t.isVxlan()) {
            int innerStart = outer.l4() + 8 + 8;
            int l3 = innerStart + 14 + (in.vlan() >= 0 ? 4 : 0);
            inner = new Layer(l3, l3 + (in.ipv6() ? 40 : 20), in.ipv6(), in.src(), in.dst(), in.srcPort(),
                    in.dstPort(), false);
            payloadOffset = inner.l4() + 8;
        }
        boolean signature = queries.isEmpty() && frames.get(0).length - payloadOffset >= Signature.LENGTH;
        return new StreamPackets(stream, frames, outer, inner, payloadOffset, weightedOrder(queries), signature);
    }

    /** A writer of the same packets with its own random state (templates shared, read only). */
    StreamPackets copy() {
        return new StreamPackets(this);
    }

    private StreamPackets(StreamPackets o) {
        streamId = o.streamId;
        templates = o.templates;
        base = o.base;
        offsets = o.offsets;
        lengths = o.lengths;
        picks = o.picks;
        outer = o.outer;
        inner = o.inner;
        payload = o.payload;
        signature = o.signature;
        dns = o.dns;
        varies = o.varies;
        incremental = o.incremental;
        resident = o.resident;
        signatureOnly = o.signatureOnly;
        ipBases = o.ipBases;
        udpBases = o.udpBases;
        srcVaries = o.srcVaries;
        dstVaries = o.dstVaries;
        srcPortVaries = o.srcPortVaries;
        dstPortVaries = o.dstPortVaries;
        random = o.random;
        state = o.state;
    }

    /** Whether any byte changes from packet to packet (else every packet is its template). */
    public boolean varies() {
        return varies;
    }

    /** Whether packets carry the {@link Signature} (generated, not DNS, room for it). */
    public boolean hasSignature() {
        return signature;
    }

    /** Number of templates (DNS questions, pcap frames). */
    public int entries() {
        return offsets.length;
    }

    /** Address of template {@code e}'s DNS question (after the 12-byte header) and its length with type and class. */
    public long questionAddress(int e) {
        return base + offsets[e] + payload + 12;
    }

    public int questionLength(int e) {
        return lengths[e] - payload - 12;
    }

    /** The template {@link #write} used last. */
    public int lastEntry() {
        return lastEntry;
    }

    /** Length of the longest template (for sizing and line-rate arithmetic). */
    public int maxLength() {
        int max = 0;
        for (int l : lengths) {
            max = Math.max(max, l);
        }
        return max;
    }

    /** Mean frame length over the pick order (bytes without FCS), for the share-of-line-rate arithmetic. */
    public double meanLength() {
        double sum = 0;
        for (int p : picks) {
            sum += lengths[p];
        }
        return sum / picks.length;
    }

    /**
     * Writes packet {@code k} at {@code address} (room for {@link #maxLength()} bytes) with send time
     * {@code nanoTime}; returns its length.
     */
    public int write(long address, long k, long nanoTime) {
        final int[] order = picks;
        final int e = order.length == 1 ? 0 : order[(int) (random ? Long.remainderUnsigned(next(), order.length)
                : Long.remainderUnsigned(k, order.length))];
        lastEntry = e;
        final int length = lengths[e];
        MemorySegment.copy(templates, offsets[e], PacketMemory.ALL, address, length);
        if (!varies) {
            return length;
        }
        if (incremental) {
            return fill(address, e, k, nanoTime);
        }
        writeFields(address, outer, k);
        if (inner != null) {
            writeFields(address, inner, k);
        }
        if (signature) {
            Signature.write(address + payload, streamId, k, nanoTime);
        } else if (dns) {
            PacketMemory.put16(address + payload, (int) k);
        }
        fixChecksums(address, length);
        return length;
    }

    /**
     * Whether the stream has one template whose bytes can stay in the mbuf between sends ({@link #copyTemplate} once
     * into every mbuf of a pool of its own, then {@link #fill} per packet).
     */
    public boolean resident() {
        return resident;
    }

    /** Length of the first (for a resident stream, the only) template. */
    public int length0() {
        return lengths[0];
    }

    /** Copies the (only) template to {@code address}: what a resident mbuf holds before its first {@link #fill}. */
    public int copyTemplate(long address) {
        MemorySegment.copy(templates, offsets[0], PacketMemory.ALL, address, lengths[0]);
        return lengths[0];
    }

    /**
     * Readies the {@code n} resident mbufs of a burst as packets {@code k .. k + n - 1}: their varying fields
     * ({@link #fill}) and their length. One call per burst, so that the per-packet loop is compiled as one piece
     * with the stream's constant choices (which fields vary) hoisted out of it.
     *
     * @param dataOffset where the data of every mbuf of the pool starts, from the mbuf (one constant for a pool:
     *                   buffers follow their mbufs, and allocation resets the headroom)
     */
    public void fillResident(MbufBurst burst, int n, long k, long nanoTime, long dataOffset) {
        final int length = lengths[0];
        if (signatureOnly) {
            // The latency stream of fixed addresses and ports (the common case, and bench gen's): per packet the
            // sequence, the send time and the UDP checksum, whose base already holds the burst's send time.
            final long sequenceAt = dataOffset + payload + Signature.SEQUENCE_OFFSET;
            final long timeAt = dataOffset + payload + Signature.TIME_OFFSET;
            final long checksumAt = dataOffset + outer.l4() + 6;
            final long burstBase = udpBases[0] + (nanoTime >>> 32) + (nanoTime & 0xFFFF_FFFFL);
            for (int i = 0; i < n; i++) {
                final long m = burst.mbuf(i);
                setLength(m, length);
                final long sequence = k + i;
                PacketMemory.put32(m + sequenceAt, (int) sequence);
                PacketMemory.put64(m + timeAt, nanoTime);
                final int sum = InternetChecksum.finish(burstBase + (sequence & 0xFFFF_FFFFL));
                PacketMemory.put16(m + checksumAt, sum == 0 ? 0xFFFF : sum);
            }
            return;
        }
        final boolean v = varies;
        for (int i = 0; i < n; i++) {
            final long m = burst.mbuf(i);
            setLength(m, length);
            if (v) {
                fill(m + dataOffset, 0, k + i, nanoTime);
            }
        }
    }

    /**
     * Sets a resident mbuf's data_len and pkt_len directly (native order, {@link MbufLayout}'s offsets) rather than
     * through {@code MbufBurst.setDataLength}, whose room check reads two more fields per packet: the pool's data
     * room was sized for the template. These mbufs leave the burst through transmit, which does not read the
     * burst's copy of the lengths.
     */
    private static void setLength(long mbuf, int length) {
        NativeMemory.ALL.set(ValueLayout.JAVA_SHORT_UNALIGNED, mbuf + MbufLayout.DATA_LEN, (short) length);
        NativeMemory.ALL.set(ValueLayout.JAVA_INT_UNALIGNED, mbuf + MbufLayout.PKT_LEN, length);
    }

    /**
     * Writes packet {@code k}'s varying fields, and the checksums that cover them, over template {@code e} already
     * at {@code address}; returns its length. Reads nothing from the packet: each checksum is the template's base sum
     * plus the values written, so whatever the mbuf held in those fields before does not matter. Produces the bytes
     * of a full recomputation (the sums are never zero: the protocol number is in both), which the tests check.
     */
    public int fill(long address, int e, long k, long nanoTime) {
        final Layer o = outer;
        final long l3 = address + o.l3();
        final long l4 = address + o.l4();
        long udp = udpBases[e];
        if (o.ipv6()) {
            if (srcVaries) {
                long v = value(o.src(), k);
                PacketMemory.put64(l3 + 16, v);
                udp += (v >>> 32) + (v & 0xFFFF_FFFFL);
            }
            if (dstVaries) {
                long v = value(o.dst(), k);
                PacketMemory.put64(l3 + 32, v);
                udp += (v >>> 32) + (v & 0xFFFF_FFFFL);
            }
        } else if (srcVaries | dstVaries) {
            long addresses = 0;
            if (srcVaries) {
                long v = value(o.src(), k) & 0xFFFF_FFFFL;
                PacketMemory.put32(l3 + 12, (int) v);
                addresses += v;
            }
            if (dstVaries) {
                long v = value(o.dst(), k) & 0xFFFF_FFFFL;
                PacketMemory.put32(l3 + 16, (int) v);
                addresses += v;
            }
            // The addresses are in both the IPv4 header (RFC 791) and the UDP pseudo-header (RFC 768).
            PacketMemory.put16(l3 + 10, InternetChecksum.finish(ipBases[e] + addresses));
            udp += addresses;
        }
        if (srcPortVaries) {
            long v = value(o.srcPort(), k) & 0xFFFF;
            PacketMemory.put16(l4, (int) v);
            udp += v;
        }
        if (dstPortVaries) {
            long v = value(o.dstPort(), k) & 0xFFFF;
            PacketMemory.put16(l4 + 2, (int) v);
            udp += v;
        }
        if (signature) {
            final long sig = address + payload;
            PacketMemory.put32(sig + Signature.SEQUENCE_OFFSET, (int) k);
            PacketMemory.put64(sig + Signature.TIME_OFFSET, nanoTime);
            udp += (k & 0xFFFF_FFFFL) + (nanoTime >>> 32) + (nanoTime & 0xFFFF_FFFFL);
        } else if (dns) {
            PacketMemory.put16(address + payload, (int) k);
            udp += k & 0xFFFF;
        }
        final int sum = InternetChecksum.finish(udp);
        // RFC 768: a computed checksum of zero is transmitted as all ones (zero means "none").
        PacketMemory.put16(l4 + 6, sum == 0 ? 0xFFFF : sum);
        return lengths[e];
    }

    private void writeFields(long address, Layer layer, long k) {
        if (layer.ipv6()) {
            if (!layer.src().isConstant()) {
                PacketMemory.put64(address + layer.l3() + 16, value(layer.src(), k));
            }
            if (!layer.dst().isConstant()) {
                PacketMemory.put64(address + layer.l3() + 32, value(layer.dst(), k));
            }
        } else {
            if (!layer.src().isConstant()) {
                PacketMemory.put32(address + layer.l3() + 12, (int) value(layer.src(), k));
            }
            if (!layer.dst().isConstant()) {
                PacketMemory.put32(address + layer.l3() + 16, (int) value(layer.dst(), k));
            }
        }
        if (!layer.srcPort().isConstant()) {
            PacketMemory.put16(address + layer.l4(), (int) value(layer.srcPort(), k));
        }
        if (!layer.dstPort().isConstant()) {
            PacketMemory.put16(address + layer.l4() + 2, (int) value(layer.dstPort(), k));
        }
    }

    private long value(Range r, long k) {
        return random ? r.first() + Long.remainderUnsigned(next(), r.span()) : r.at(k);
    }

    /** xorshift64* (Vigna, 2016): cheap, and the same sequence for the same seed. */
    private long next() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545_F491_4F6C_DD1DL;
    }

    /** Innermost layer first: the outer UDP checksum covers the inner frame. */
    private void fixChecksums(long address, int length) {
        if (inner != null) {
            fixLayer(address, inner, length);
        }
        fixLayer(address, outer, length);
    }

    private static void fixLayer(long address, Layer layer, int length) {
        final long l3 = address + layer.l3();
        final long l4 = address + layer.l4();
        final int udpLength = PacketMemory.u16(l4 + 4);
        long pseudo;
        if (layer.ipv6()) {
            pseudo = InternetChecksum.ipv6PseudoHeader(l3 + 8, udpLength, 17);
        } else {
            PacketMemory.put16(l3 + 10, 0);
            PacketMemory.put16(l3 + 10, InternetChecksum.compute(l3, 20));
            pseudo = InternetChecksum.ipv4PseudoHeader(PacketMemory.i32(l3 + 12), PacketMemory.i32(l3 + 16), 17,
                    udpLength);
        }
        PacketMemory.put16(l4 + 6, 0);
        if (layer.zeroUdpChecksum()) {
            return; // RFC 7348 §5: the outer UDP checksum of VxLAN over IPv4 SHOULD be transmitted as zero
        }
        int sum = InternetChecksum.finish(InternetChecksum.sum(l4, udpLength, pseudo));
        // RFC 768: a computed checksum of zero is transmitted as all ones (zero means "none").
        PacketMemory.put16(l4 + 6, sum == 0 ? 0xFFFF : sum);
    }

    /**
     * The template frame of packet 0 (without FCS) for a template and, for DNS, one question; {@code layout} is
     * unused scratch kept for symmetry with the scapy builder.
     */
    static byte[] frame(Template t, Template.DnsQuery q, int[] layout) {
        byte[] body;
        if (t.isVxlan()) {
            byte[] innerFrame = frame(t.inner(), q, layout);
            // RFC 7348 §5: flags with the I bit (0x08), 24 reserved bits, the VNI, 8 reserved bits.
            body = ByteBuffer.allocate(8 + innerFrame.length).put((byte) 0x08).put(new byte[3])
                    .putInt(t.vni() << 8).put(innerFrame).array();
        } else if (q != null) {
            body = dnsQuery(q);
        } else {
            body = null;
        }
        int l3 = 14 + (t.vlan() >= 0 ? 4 : 0);
        int l4 = l3 + (t.ipv6() ? 40 : 20);
        int total = body != null ? Math.max(l4 + 8 + body.length, 60) : t.size() - 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        putMac(b, t.dstMac());
        putMac(b, t.srcMac());
        if (t.vlan() >= 0) {
            b.putShort((short) 0x8100).putShort((short) t.vlan());
        }
        b.putShort((short) (t.ipv6() ? 0x86DD : 0x0800));
        int udpLength = body != null ? 8 + body.length : total - l4;
        if (t.ipv6()) {
            b.putInt(0x6000_0000).putShort((short) udpLength).put((byte) 17).put((byte) 64);
            b.putLong(t.srcHigh()).putLong(t.src().first()).putLong(t.dstHigh()).putLong(t.dst().first());
        } else {
            // Version 4, IHL 5, no DSCP; identification 0; DF not set; TTL 64; UDP; checksum filled later.
            b.put((byte) 0x45).put((byte) 0).putShort((short) (udpLength + 20)).putShort((short) 0)
                    .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .putInt((int) t.src().first()).putInt((int) t.dst().first());
        }
        b.putShort((short) t.srcPort().first()).putShort((short) t.dstPort().first()).putShort((short) udpLength)
                .putShort((short) 0);
        if (body != null) {
            b.put(body);
        }
        return b.array(); // what is left after the UDP datagram is Ethernet padding, zero
    }

    /** A DNS query (RFC 1035 §4.1): ID 0 (written per packet), no flags, one question, class IN. */
    static byte[] dnsQuery(Template.DnsQuery q) {
        ByteBuffer b = ByteBuffer.allocate(12 + q.name().length() + 1 + 4);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        String n = q.name();
        for (String label : n.substring(0, n.length() - 1).split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) q.type()).putShort((short) 1);
        return b.array();
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    /**
     * Template indexes in smooth weighted round-robin order (nginx's algorithm): each question appears
     * {@code weight} times per cycle, spread out rather than in runs.
     */
    static int[] weightedOrder(List<Template.DnsQuery> queries) {
        if (queries.size() <= 1) {
            return new int[] {0};
        }
        int total = queries.stream().mapToInt(Template.DnsQuery::weight).sum();
        int[] order = new int[total];
        long[] current = new long[queries.size()];
        for (int slot = 0; slot < total; slot++) {
            int best = 0;
            for (int i = 0; i < queries.size(); i++) {
                current[i] += queries.get(i).weight();
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            order[slot] = best;
        }
        return order;
    }
}
