package dev.isthmus.dns.dnstap;

import com.google.protobuf.ByteString;
import dev.isthmus.dns.dnstap.proto.DnstapProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Turns what the data plane answered into dnstap messages (https://dnstap.info, {@code dnstap.proto}): an
 * {@code AUTH_QUERY} with the query as received and an {@code AUTH_RESPONSE} with the response as sent, each with
 * the socket's family, protocol, addresses and ports and the times, wrapped in a {@code Dnstap} frame naming the
 * server. The protobuf encoding is protobuf-java's (the schema is compiled at build time); where the frames go — a
 * file, a Unix socket — is the subclass's.
 *
 * <p>One writer thread (the query logger's): not thread-safe, and it allocates per message, which is why the poll
 * threads never call it.
 */
public abstract class DnstapWriter implements AutoCloseable {

    /** The content type dnstap's Frame Streams carry. */
    static final byte[] CONTENT_TYPE = "protobuf:dnstap.Dnstap".getBytes(StandardCharsets.US_ASCII);
    /** The DNS server port the data plane answers on. */
    private static final int DNS_PORT = 53;

    private final ByteString identity;
    private final ByteString version = ByteString.copyFromUtf8("Isthmus");

    /** @param identity the server's identity in each message (the NSID or host name), may be empty */
    protected DnstapWriter(String identity) {
        this.identity = ByteString.copyFromUtf8(identity);
    }

    /**
     * Writes the query the data plane received over UDP (dnstap {@code AUTH_QUERY}).
     *
     * @param client the client's address (4 or 16 octets); {@code server} the address it was sent to, same family
     * @param query  the query message as received, or null when it was not kept (longer than the record's room)
     */
    public final void authQuery(Instant when, byte[] client, int clientPort, byte[] server, byte[] query) {
        DnstapProto.Message.Builder m = socket(DnstapProto.Message.Type.AUTH_QUERY, client, clientPort, server)
                .setQueryTimeSec(when.getEpochSecond())
                .setQueryTimeNsec(when.getNano());
        if (query != null) {
            m.setQueryMessage(ByteString.copyFrom(query));
        }
        write(m);
    }

    /**
     * Writes the response the data plane sent over UDP (dnstap {@code AUTH_RESPONSE}), with the time of its query.
     *
     * @param response the whole response message as sent
     */
    public final void authResponse(Instant queryTime, Instant responseTime, byte[] client, int clientPort,
                                   byte[] server, byte[] response) {
        write(socket(DnstapProto.Message.Type.AUTH_RESPONSE, client, clientPort, server)
                .setQueryTimeSec(queryTime.getEpochSecond())
                .setQueryTimeNsec(queryTime.getNano())
                .setResponseTimeSec(responseTime.getEpochSecond())
                .setResponseTimeNsec(responseTime.getNano())
                .setResponseMessage(ByteString.copyFrom(response)));
    }

    private static DnstapProto.Message.Builder socket(DnstapProto.Message.Type type, byte[] client, int clientPort,
                                                      byte[] server) {
        DnstapProto.Message.Builder m = DnstapProto.Message.newBuilder()
                .setType(type)
                .setSocketFamily(client.length == 16 ? DnstapProto.SocketFamily.INET6 : DnstapProto.SocketFamily.INET)
                .setSocketProtocol(DnstapProto.SocketProtocol.UDP)
                .setQueryAddress(ByteString.copyFrom(client))
                .setQueryPort(clientPort)
                .setResponsePort(DNS_PORT);
        if (server != null && server.length == client.length) {
            m.setResponseAddress(ByteString.copyFrom(server));
        }
        return m;
    }

    private void write(DnstapProto.Message.Builder message) {
        byte[] frame = DnstapProto.Dnstap.newBuilder()
                .setIdentity(identity)
                .setVersion(version)
                .setType(DnstapProto.Dnstap.Type.MESSAGE)
                .setMessage(message)
                .build()
                .toByteArray();
        writeFrame(frame);
    }

    /** Sends one Frame Streams data frame (big-endian length, then the bytes); may drop it, and count that. */
    protected abstract void writeFrame(byte[] frame);

    /** Pushes buffered frames out. */
    public abstract void flush() throws IOException;

    /** Frames dropped because the output could not take them (a socket without a reader); 0 for a file. */
    public long dropped() {
        return 0;
    }

    @Override
    public abstract void close() throws IOException;
}
