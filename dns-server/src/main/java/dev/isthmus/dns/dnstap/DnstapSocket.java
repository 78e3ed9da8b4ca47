package dev.isthmus.dns.dnstap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * dnstap to a Unix socket a collector listens on ({@code fstrm_capture -u PATH}, dnstap-enabled collectors): the
 * bidirectional Frame Streams handshake libfstrm's writer performs — READY with the content type, the reader's
 * ACCEPT, START — then data frames, and at close STOP and the reader's FINISH.
 *
 * <p>The socket never holds the logger thread for long: every read and write waits at most {@link #IO_TIMEOUT_MILLIS};
 * a collector that is absent, refuses the content type, or stalls is disconnected, and frames are dropped (counted,
 * {@link #dropped()}) until a reconnection, tried at most once a second, succeeds. A collector restart so loses only
 * the frames of the gap.
 */
public final class DnstapSocket extends DnstapWriter {

    static final long IO_TIMEOUT_MILLIS = 2_000;
    private static final long RETRY_NANOS = 1_000_000_000L;
    private static final int BUFFER = 1 << 16;

    private final UnixDomainSocketAddress address;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private SocketChannel channel;
    private Selector selector;
    private long nextAttempt;
    private long dropped;
    private String lastProblem = "not connected yet";

    /**
     * Connects to {@code socket} now if a collector listens there (later otherwise).
     *
     * @param identity the server's identity in each message (the NSID or host name), may be empty
     */
    public DnstapSocket(Path socket, String identity) {
        super(identity);
        this.address = UnixDomainSocketAddress.of(socket);
        connect();
    }

    /** Whether the handshake with a collector has completed and the connection is up. */
    public boolean connected() {
        return channel != null;
    }

    /** Why the socket is not connected (or was last disconnected). */
    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    private boolean connect() {
        long now = System.nanoTime();
        if (channel != null) {
            return true;
        }
        if (now - nextAttempt < 0) {
            return false;
        }
        nextAttempt = now + RETRY_NANOS;
        SocketChannel c = null;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(address); // a Unix socket connects at once, or fails at once
            c.configureBlocking(false);
            selector = Selector.open();
            channel = c;
            ByteArrayOutputStream ready = new ByteArrayOutputStream();
            FrameStreams.writeControl(new DataOutputStream(ready), FrameStreams.CONTROL_READY);
            send(ByteBuffer.wrap(ready.toByteArray()));
            FrameStreams.expectControl(new DataInputStream(new ByteArrayInputStream(readControl())),
                    FrameStreams.CONTROL_ACCEPT);
            ByteArrayOutputStream start = new ByteArrayOutputStream();
            FrameStreams.writeControl(new DataOutputStream(start), FrameStreams.CONTROL_START);
            send(ByteBuffer.wrap(start.toByteArray()));
            lastProblem = "";
            return true;
        } catch (IOException e) {
            if (c != null && channel == null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // it failed already
                }
            }
            disconnect(address + ": " + e.getMessage());
            return false;
        }
    }

    /** Reads one control frame (escape, length, body) and returns all of it. */
    private byte[] readControl() throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        receive(head);
        int length = head.getInt(4);
        if (head.getInt(0) != 0 || length < 4 || length > FrameStreams.MAX_CONTROL_LENGTH) {
            throw new IOException("Frame Streams: expected a control frame");
        }
        ByteBuffer body = ByteBuffer.allocate(8 + length);
        body.put(head.flip());
        receive(body);
        return body.array();
    }

    private void receive(ByteBuffer into) throws IOException {
        long deadline = System.nanoTime() + IO_TIMEOUT_MILLIS * 1_000_000;
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        try {
            while (into.hasRemaining()) {
                if (channel.read(into) < 0) {
                    throw new IOException("the collector closed the connection");
                }
                if (into.hasRemaining() && await(deadline) == 0) {
                    throw new IOException("no answer from the collector within " + IO_TIMEOUT_MILLIS + " ms");
                }
            }
        } finally {
            key.interestOps(0);
        }
    }

    private void send(ByteBuffer from) throws IOException {
        long deadline = System.nanoTime() + IO_TIMEOUT_MILLIS * 1_000_000;
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        try {
            while (from.hasRemaining()) {
                channel.write(from);
                if (from.hasRemaining() && await(deadline) == 0) {
                    throw new IOException("the collector took nothing for " + IO_TIMEOUT_MILLIS + " ms");
                }
            }
        } finally {
            key.interestOps(0);
        }
    }

    private int await(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return 0;
        }
        int n = selector.select(left);
        selector.selectedKeys().clear();
        return n == 0 && System.nanoTime() - deadline >= 0 ? 0 : 1;
    }

    private void disconnect(String problem) {
        lastProblem = problem;
        dropped += buffer.position() > 0 ? countFrames() : 0;
        buffer.clear();
        try {
            if (channel != null) {
                channel.close();
            }
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing a broken connection
        }
        channel = null;
        selector = null;
    }

    /** The data frames in the buffer (length-prefixed), for the drop count. */
    private long countFrames() {
        long frames = 0;
        for (int p = 0; p + 4 <= buffer.position(); p += 4 + buffer.getInt(p)) {
            frames++;
        }
        return frames;
    }

    @Override
    protected void writeFrame(byte[] frame) {
        if (!connect()) {
            dropped++;
            return;
        }
        if (4 + frame.length > buffer.remaining()) {
            flushQuietly();
            if (channel == null || 4 + frame.length > buffer.remaining()) {
                dropped++;
                return;
            }
        }
        buffer.putInt(frame.length).put(frame);
    }

    private void flushQuietly() {
        if (channel == null || buffer.position() == 0) {
            return;
        }
        try {
            buffer.flip();
            send(buffer);
            buffer.clear();
        } catch (IOException e) {
            buffer.position(buffer.limit());
            disconnect(address + ": " + e.getMessage());
        }
    }

    /** Sends what is buffered (a collector that fails is disconnected and its frames counted as dropped). */
    @Override
    public void flush() {
        flushQuietly();
    }

    /** Sends what is buffered, then STOP, and waits (bounded) for the collector's FINISH. */
    @Override
    public void close() throws IOException {
        flushQuietly();
        if (channel == null) {
            return;
        }
        try {
            ByteArrayOutputStream stop = new ByteArrayOutputStream();
            FrameStreams.writeControl(new DataOutputStream(stop), FrameStreams.CONTROL_STOP);
            send(ByteBuffer.wrap(stop.toByteArray()));
            FrameStreams.expectControl(new DataInputStream(new ByteArrayInputStream(readControl())),
                    FrameStreams.CONTROL_FINISH);
        } catch (IOException e) {
            lastProblem = address + ": " + e.getMessage();
        } finally {
            SocketChannel c = channel;
            channel = null;
            c.close();
            selector.close();
        }
    }
}
