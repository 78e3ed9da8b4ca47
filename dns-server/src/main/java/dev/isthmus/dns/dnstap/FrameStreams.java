package dev.isthmus.dns.dnstap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The Frame Streams control frames (the fstrm protocol, as libfstrm and {@code fstrm_capture} speak it): a zero
 * "escape" length, the control frame's length, its type, then fields — here only CONTENT_TYPE. Data frames are a
 * non-zero big-endian length and the payload.
 */
final class FrameStreams {
    static final int CONTROL_ACCEPT = 0x01;
    static final int CONTROL_START = 0x02;
    static final int CONTROL_STOP = 0x03;
    static final int CONTROL_READY = 0x04;
    static final int CONTROL_FINISH = 0x05;
    static final int FIELD_CONTENT_TYPE = 0x01;
    /** libfstrm refuses control frames longer than this; so do we. */
    static final int MAX_CONTROL_LENGTH = 512;

    private FrameStreams() {
    }

    /** Writes a control frame of {@code type}, with the dnstap content type unless {@code type} is STOP or FINISH. */
    static void writeControl(DataOutputStream out, int type) throws IOException {
        boolean typed = type != CONTROL_STOP && type != CONTROL_FINISH;
        out.writeInt(0); // escape: a control frame follows
        out.writeInt(4 + (typed ? 4 + 4 + DnstapWriter.CONTENT_TYPE.length : 0));
        out.writeInt(type);
        if (typed) {
            out.writeInt(FIELD_CONTENT_TYPE);
            out.writeInt(DnstapWriter.CONTENT_TYPE.length);
            out.write(DnstapWriter.CONTENT_TYPE);
        }
    }

    /**
     * Reads a control frame and checks it is {@code type} and, when it names content types, that the dnstap one is
     * among them.
     *
     * @throws IOException naming what came instead
     */
    static void expectControl(DataInputStream in, int type) throws IOException {
        if (in.readInt() != 0) {
            throw new IOException("Frame Streams: expected a control frame, got data");
        }
        int length = in.readInt();
        if (length < 4 || length > MAX_CONTROL_LENGTH) {
            throw new IOException("Frame Streams: control frame of " + length + " bytes");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("Frame Streams: control frame cut short");
        }
        int got = readInt(body, 0);
        if (got != type) {
            throw new IOException("Frame Streams: expected control frame " + type + ", got " + got);
        }
        boolean anyType = false;
        boolean ours = false;
        for (int p = 4; p + 8 <= length; ) {
            int field = readInt(body, p);
            int n = readInt(body, p + 4);
            if (n < 0 || p + 8 + n > length) {
                throw new IOException("Frame Streams: bad control field");
            }
            if (field == FIELD_CONTENT_TYPE) {
                anyType = true;
                ours |= Arrays.equals(body, p + 8, p + 8 + n, DnstapWriter.CONTENT_TYPE, 0,
                        DnstapWriter.CONTENT_TYPE.length);
            }
            p += 8 + n;
        }
        if (anyType && !ours) {
            throw new IOException("Frame Streams: the reader does not accept protobuf:dnstap.Dnstap");
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
