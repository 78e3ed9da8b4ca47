package dev.isthmus.dns.transport;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.xfr.NotifyHandler;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * One UDP receive loop on its own socket. Several workers bind the same address with {@code SO_REUSEPORT}, so the
 * kernel spreads datagrams over them by flow hash and they share nothing but the catalog.
 */
final class UdpWorker implements Runnable {
    /** IPv4's largest UDP payload (65535 - 8 - 20); the engine lowers it per RFC 1035 §4.2.1 / RFC 6891. */
    static final int MAX_UDP_PAYLOAD = 65507;

    private final DatagramChannel channel;
    private final QueryEngine engine;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65535);
    private final MemorySegment segment = MemorySegment.ofBuffer(buffer);
    private final TransportCounters counters;
    /** Where NOTIFY goes (set by the control plane when it runs secondary zones); null: the engine says NOTIMP. */
    volatile NotifyHandler notifyHandler;

    UdpWorker(InetSocketAddress address, ZoneCatalog catalog, TransportCounters counters, boolean minimalResponses)
        throws IOException {
        this.channel = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
            ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(address);
        this.engine = new QueryEngine(catalog, minimalResponses);
        this.counters = counters;
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void close() throws IOException {
        channel.close();
    }

    @Override
    public void run() {
        final ByteBuffer buf = buffer;
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (from == null) {
                    continue;
                }
                final NotifyHandler notify = notifyHandler;
                if (notify != null && buf.position() >= 4
                        && (buf.get(2) & 0xF8) == NotifyHandler.OPCODE_NOTIFY << 3) {
                    // QR clear and opcode NOTIFY (RFC 1996 §3.1): the control plane's, not the engine's.
                    byte[] message = new byte[buf.position()];
                    buf.get(0, message);
                    byte[] answer = notify.onNotify(message, (InetSocketAddress) from);
                    if (answer != null) {
                        channel.send(ByteBuffer.wrap(answer), from);
                    }
                    continue;
                }
                int n = engine.answer(segment, 0, buf.position(), buf.capacity(), MAX_UDP_PAYLOAD);
                if (n < 0) {
                    counters.dropped.increment();
                    continue;
                }
                buf.clear().limit(n);
                channel.send(buf, from);
                counters.udpAnswered.increment();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // A send to an unreachable client must not stop the loop; count it and go on.
                counters.errors.increment();
            }
        }
    }
}
