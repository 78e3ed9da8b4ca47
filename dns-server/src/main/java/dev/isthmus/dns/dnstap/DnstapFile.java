package dev.isthmus.dns.dnstap;

import com.google.protobuf.ByteString;
import dev.isthmus.dns.dnstap.proto.DnstapProto;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A dnstap log file: a unidirectional Frame Streams stream (the fstrm format: a START control frame naming the
 * content type {@code protobuf:dnstap.Dnstap}, one data frame per message, a STOP control frame at close), each
 * frame a big-endian length and the bytes, as {@code dnstap-read} and {@code fstrm_capture} read it.
 *
 * <p>One writer thread (the query logger's); messages are buffered and flushed at close or by {@link #flush}.
 */
public final class DnstapFile implements AutoCloseable {

    /** The content type dnstap's Frame Streams carry. */
    static final byte[] CONTENT_TYPE = "protobuf:dnstap.Dnstap".getBytes(StandardCharsets.US_ASCII);
    private static final int CONTROL_START = 0x02;
    private static final int CONTROL_STOP = 0x03;
    private static final int FIELD_CONTENT_TYPE = 0x01;

    private final DataOutputStream out;
    private final ByteString identity;
    private final ByteString version = ByteString.copyFromUtf8("Isthmus");

    /**
     * Creates (or truncates) {@code file} and writes the START frame.
     *
     * @param identity the server's identity in each message (the NSID or host name), may be empty
     */
    public DnstapFile(Path file, String identity) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        this.identity = ByteString.copyFromUtf8(identity);
        out.writeInt(0); // escape: a control frame follows
        out.writeInt(4 + 4 + 4 + CONTENT_TYPE.length);
        out.writeInt(CONTROL_START);
        out.writeInt(FIELD_CONTENT_TYPE);
        out.writeInt(CONTENT_TYPE.length);
        out.write(CONTENT_TYPE);
    }

    /**
     * Writes one authoritative response (dnstap {@code AUTH_RESPONSE}) sent over UDP.
     *
     * @param client   the client's address (4 or 16 octets)
     * @param response the response message as logged
     */
    public void authResponse(Instant when, byte[] client, int port, byte[] response) {
        DnstapProto.Message message = DnstapProto.Message.newBuilder()
                .setType(DnstapProto.Message.Type.AUTH_RESPONSE)
                .setSocketFamily(client.length == 16 ? DnstapProto.SocketFamily.INET6 : DnstapProto.SocketFamily.INET)
                .setSocketProtocol(DnstapProto.SocketProtocol.UDP)
                .setQueryAddress(ByteString.copyFrom(client))
                .setQueryPort(port)
                .setResponsePort(53)
                .setResponseTimeSec(when.getEpochSecond())
                .setResponseTimeNsec(when.getNano())
                .setResponseMessage(ByteString.copyFrom(response))
                .build();
        byte[] frame = DnstapProto.Dnstap.newBuilder()
                .setIdentity(identity)
                .setVersion(version)
                .setType(DnstapProto.Dnstap.Type.MESSAGE)
                .setMessage(message)
                .build()
                .toByteArray();
        try {
            out.writeInt(frame.length);
            out.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Writes the STOP frame and closes the file. */
    @Override
    public void close() throws IOException {
        out.writeInt(0);
        out.writeInt(4);
        out.writeInt(CONTROL_STOP);
        out.close();
    }
}
