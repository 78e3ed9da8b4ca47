package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.MbufLayout;
import dev.isthmus.nativebindings.NativeMemory;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import dev.isthmus.perf.gen.profile.Stream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental checksums and resident mbufs of {@link StreamPackets} against a full recomputation: every packet's
 * IPv4 header and UDP checksums verify over its bytes, and a resident mbuf that held earlier packets ends up with
 * exactly the bytes {@link StreamPackets#write} produces. Needs no EAL: the "mbufs" are plain native memory laid out
 * as {@link MbufLayout} says, which is all {@link StreamPackets#fillResident} touches.
 */
class StreamPacketsTest {

    private static final String[] PACKETS = {
        // bench gen's stream: only the signature's sequence and time vary
        "ipv4: {src: 198.18.0.1, dst: 198.18.0.2}\n  udp: {src-port: 9, dst-port: 9}\n  size: 64",
        "ipv4: {src: 198.18.0.1-198.18.0.200, dst: 198.19.0.1-198.19.3.255}\n  udp: {src-port: 1000-1999, dst-port: 9-11}",
        "vlan: 42\n  ipv6: {src: \"2001:db8::1-2001:db8::ffff\", dst: \"2001:db8:1::1-2001:db8:1::ffff:ffff\"}\n"
                + "  udp: {src-port: 1024-65535, dst-port: 9}\n  size: 200",
        "ipv4: {src: 198.18.0.1, dst: 198.18.0.2}\n  udp: {src-port: 9, dst-port: 9}\n  size: 1500",
        "ipv4: {src: 198.18.0.1, dst: 198.18.0.53}\n  udp: {src-port: 10000-19999}\n"
                + "  dns: [{name: www.example.com, type: A}]",
        "ipv6: {src: \"2001:db8::1\", dst: \"2001:db8::53\"}\n  udp: {src-port: 10000-10099}\n"
                + "  dns: [{name: www.example.com, type: A, weight: 3}, {name: example.com, type: MX}]",
    };

    private static StreamPackets packets(int which, boolean random) throws Exception {
        String yaml = """
                ports:
                  - name: p
                    device: net_null0
                    streams:
                      - name: s
                        rate: 1mpps
                        vary: %s
                        seed: 7
                        packet:
                          %s
                """.formatted(random ? "random" : "increment", PACKETS[which].replace("\n", "\n" + " ".repeat(8)));
        Stream s = ProfileLoader.parse("test.yml", yaml, Path.of(".")).streams().getFirst();
        return StreamPackets.of(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyChecksumVerifiesOverThePacketBytes(int which) throws Exception {
        for (boolean random : new boolean[] {false, true}) {
            StreamPackets p = packets(which, random);
            long buffer = Arena.ofAuto().allocate(p.maxLength(), 64).address();
            SplittableRandom times = new SplittableRandom(which);
            for (long k = 0; k < 3000; k++) {
                int length = p.write(buffer, k * 977, times.nextLong());
                assertChecksumsVerify(buffer, length, "packet " + k + (random ? " (random)" : ""));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void residentMbufsEndWithTheBytesOfWrite(int which) throws Exception {
        StreamPackets p = packets(which, false);
        assertTrue(p.resident(), "one template, no VxLAN: resident");
        StreamPackets reference = p.copy();
        int n = MbufBurst.MAX;
        long dataOffset = MbufLayout.SIZE + 128;
        Arena arena = Arena.ofAuto();
        MbufBurst burst = new MbufBurst();
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            long m = arena.allocate(dataOffset + 2048, 64).address();
            NativeMemory.ALL.set(ValueLayout.JAVA_LONG, m + MbufLayout.BUF_ADDR, m + MbufLayout.SIZE);
            NativeMemory.ALL.set(ValueLayout.JAVA_SHORT, m + MbufLayout.DATA_OFF, (short) 128);
            burst.add(m);
            data[i] = m + dataOffset;
            p.copyTemplate(data[i]);
        }
        // Earlier packets first: what the mbuf held before must not show through.
        p.fillResident(burst, n, 1_000_000, 0x1234_5678_9ABC_DEF0L, dataOffset);
        long time = 0x0FED_CBA9_8765_4321L;
        p.fillResident(burst, n, 40, time, dataOffset);
        long expected = arena.allocate(p.maxLength(), 64).address();
        for (int i = 0; i < n; i++) {
            int length = reference.write(expected, 40 + i, time);
            long m = data[i] - dataOffset;
            assertEquals(length, Short.toUnsignedInt(NativeMemory.ALL.get(ValueLayout.JAVA_SHORT, m + MbufLayout.DATA_LEN)));
            assertEquals(length, NativeMemory.ALL.get(ValueLayout.JAVA_INT, m + MbufLayout.PKT_LEN));
            assertArrayEquals(bytes(expected, length), bytes(data[i], length), "packet " + (40 + i));
            assertChecksumsVerify(data[i], length, "resident packet " + (40 + i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5})
    void aMixOfTemplatesIsNotResident(int which) throws Exception {
        assertFalse(packets(which, false).resident());
    }

    /** Recomputes over the bytes: a correct checksum makes the sum including it all ones (RFC 1071 §1). */
    private static void assertChecksumsVerify(long a, int length, String what) {
        int l3 = PacketMemory.u16(a + 12) == 0x8100 ? 18 : 14;
        boolean ipv6 = PacketMemory.u16(a + l3 - 2) == 0x86DD;
        int l4 = l3 + (ipv6 ? 40 : 20);
        int udpLength = PacketMemory.u16(a + l4 + 4);
        assertTrue(l4 + udpLength <= length, what + ": UDP length");
        long pseudo;
        if (ipv6) {
            pseudo = InternetChecksum.ipv6PseudoHeader(a + l3 + 8, udpLength, 17);
        } else {
            assertEquals(0, InternetChecksum.compute(a + l3, 20), what + ": IPv4 header checksum");
            pseudo = InternetChecksum.ipv4PseudoHeader(PacketMemory.i32(a + l3 + 12), PacketMemory.i32(a + l3 + 16),
                    17, udpLength);
        }
        assertEquals(0, InternetChecksum.finish(InternetChecksum.sum(a + l4, udpLength, pseudo)),
                what + ": UDP checksum");
    }

    private static byte[] bytes(long address, int length) {
        return NativeMemory.ALL.asSlice(address, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
