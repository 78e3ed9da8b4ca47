package dev.isthmus.dns.transport;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.xfr.NotifyHandler;
import dev.isthmus.dns.xfr.TransferResponder;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * DNS over TCP (RFC 7766): each message framed by a two-octet length (RFC 1035 §4.2.2), any number of queries per
 * connection answered in order, the connection closed after an idle timeout (RFC 7766 §6.2.3). One virtual thread
 * per connection; the number of connections is bounded so a flood cannot exhaust memory.
 */
final class TcpListener implements Runnable {
    static final int MAX_CONNECTIONS = 1024;

    private final ServerSocket server;
    private final ZoneCatalog catalog;
    private final int idleMillis;
    private final boolean minimalResponses;
    private final TransportCounters counters;
    /** Where NOTIFY goes (primaries such as Knot send it over TCP); null: the engine answers NOTIMP. */
    volatile NotifyHandler notifyHandler;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    /** Answers AXFR and IXFR (RFC 5936, RFC 1995); null where transfers are not offered (the engine refuses them). */
    private final TransferResponder transfers;

    TcpListener(InetSocketAddress address, ZoneCatalog catalog, Duration idle, TransportCounters counters,
                boolean minimalResponses, TransferResponder transfers) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 256);
        this.catalog = catalog;
        this.minimalResponses = minimalResponses;
        this.idleMillis = (int) idle.toMillis();
        this.counters = counters;
        this.transfers = transfers;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    void close() throws IOException {
        server.close();
    }

    @Override
    public void run() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                counters.errors.increment();
                continue;
            }
            if (!slots.tryAcquire()) {
                closeQuietly(s); // over the limit: refuse the connection rather than queue it
                continue;
            }
            counters.tcpConnections.increment();
            Thread.ofVirtual().name("isthmus-dns-tcp").start(() -> {
                try {
                    serve(s);
                } finally {
                    slots.release();
                    closeQuietly(s);
                }
            });
        }
    }

    private void serve(Socket s) {
        QueryEngine engine = new QueryEngine(catalog, minimalResponses);
        byte[] buf = new byte[2 + 65535];
        MemorySegment seg = MemorySegment.ofArray(buf);
        try {
            s.setSoTimeout(idleMillis);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            while (true) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return; // client done, or idle too long
                }
                in.readFully(buf, 2, length);
                if (transfers != null && TransferResponder.isTransfer(buf, 2, length)) {
                    // RFC 5936 §4.1: a transfer is many messages on this connection, which may carry more queries.
                    java.io.BufferedOutputStream bulk = new java.io.BufferedOutputStream(out, 1 << 16);
                    transfers.serve(buf, 2, length, s.getInetAddress(), bulk);
                    bulk.flush();
                    counters.tcpAnswered.increment();
                    continue;
                }
                final NotifyHandler notify = notifyHandler;
                if (notify != null && length >= 4 && (buf[4] & 0xF8) == NotifyHandler.OPCODE_NOTIFY << 3) {
                    byte[] answer = notify.onNotify(java.util.Arrays.copyOfRange(buf, 2, 2 + length),
                            (InetSocketAddress) s.getRemoteSocketAddress());
                    if (answer == null) {
                        return;
                    }
                    out.write(new byte[] {(byte) (answer.length >>> 8), (byte) answer.length});
                    out.write(answer);
                    out.flush();
                    continue;
                }
                int n = engine.answer(seg, 2, length, 65535, QueryEngine.STREAM);
                if (n < 0) {
                    counters.dropped.increment();
                    return; // RFC 7766 §7: a message we cannot answer ends the connection
                }
                buf[0] = (byte) (n >>> 8);
                buf[1] = (byte) n;
                out.write(buf, 0, 2 + n);
                out.flush();
                counters.tcpAnswered.increment();
            }
        } catch (IOException e) {
            counters.errors.increment();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

}
