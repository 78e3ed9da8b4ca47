package dev.isthmus.perf.gen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic libpcap files (the format tcpdump writes, https://www.tcpdump.org/manpages/pcap-savefile.5.html):
 * reading Ethernet frames for a replay stream and writing what the generator would send ({@code --dump-pcap}).
 * Control path only.
 */
public final class Pcap {

    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final int LINKTYPE_ETHERNET = 1;

    private Pcap() {
    }

    /** The frames of a pcap file, in order. */
    public static List<byte[]> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException(file + ": not a pcap file (shorter than its header)");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IOException(file + ": not a pcap file (magic " + Integer.toHexString(magic)
                        + "; pcapng is not read, convert with editcap -F pcap)");
            }
        }
        if (b.getInt(20) != LINKTYPE_ETHERNET) {
            throw new IOException(file + ": link type " + b.getInt(20) + ", only Ethernet (1) is replayed");
        }
        List<byte[]> frames = new ArrayList<>();
        int p = 24;
        while (p + 16 <= b.limit()) {
            int captured = b.getInt(p + 8);
            int original = b.getInt(p + 12);
            if (captured < 0 || p + 16 + captured > b.limit()) {
                throw new IOException(file + ": frame " + (frames.size() + 1) + " is cut short");
            }
            if (captured != original) {
                throw new IOException(file + ": frame " + (frames.size() + 1) + " was captured truncated ("
                        + captured + " of " + original + " bytes)");
            }
            byte[] frame = new byte[captured];
            b.get(p + 16, frame);
            frames.add(frame);
            p += 16 + captured;
        }
        if (frames.isEmpty()) {
            throw new IOException(file + ": holds no frames");
        }
        return frames;
    }

    /** Writes frames as a pcap file with microsecond time stamps (all zero). */
    public static void write(Path file, List<byte[]> frames) throws IOException {
        int size = 24 + frames.stream().mapToInt(f -> 16 + f.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_ETHERNET);
        for (byte[] f : frames) {
            b.putInt(0).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        Files.write(file, b.array());
    }
}
