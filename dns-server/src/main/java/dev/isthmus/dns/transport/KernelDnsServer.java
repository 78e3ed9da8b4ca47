package dev.isthmus.dns.transport;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.xfr.NotifyHandler;
import dev.isthmus.dns.xfr.TransferResponder;
import dev.isthmus.nativebindings.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves a {@link ZoneCatalog} over ordinary kernel sockets: on each listen address, {@code udpThreads} UDP workers
 * sharing the port through {@code SO_REUSEPORT} and one TCP listener. For hosts without DPDK and as the data plane's
 * TCP fallback.
 */
public final class KernelDnsServer implements AutoCloseable {
    /** The port DNS is served on (RFC 1035 §4.2). */
    public static final int DNS_PORT = 53;
    /** RFC 7766 §6.2.3 leaves it to the server; Knot's default is 10 s. */
    public static final Duration DEFAULT_TCP_IDLE = Duration.ofSeconds(10);

    private final List<UdpWorker> udp = new ArrayList<>();
    private final List<TcpListener> tcp = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final TransportCounters counters = new TransportCounters();

    /** Binds every socket and serves minimal responses (see the constructor with {@code minimalResponses}). */
    public KernelDnsServer(ZoneCatalog catalog, List<InetSocketAddress> listen, int udpThreads, Duration tcpIdle)
        throws IOException {
        this(catalog, listen, udpThreads, tcpIdle, true, null);
    }

    /** Minimal responses as {@code minimalResponses} says; AXFR and IXFR refused. */
    public KernelDnsServer(ZoneCatalog catalog, List<InetSocketAddress> listen, int udpThreads, Duration tcpIdle,
                           boolean minimalResponses) throws IOException {
        this(catalog, listen, udpThreads, tcpIdle, minimalResponses, null);
    }

    /**
     * As {@link #KernelDnsServer(ZoneCatalog, List, int, Duration)}, answering AXFR and IXFR over TCP with
     * {@code transfers} (null: refused, as the engine answers them).
     */
    public KernelDnsServer(ZoneCatalog catalog, List<InetSocketAddress> listen, int udpThreads, Duration tcpIdle,
                           TransferResponder transfers) throws IOException {
        this(catalog, listen, udpThreads, tcpIdle, true, transfers);
    }

    /**
     * Binds every socket (failing fast, with the address, when one cannot be bound) and starts serving.
     *
     * @param minimalResponses see {@link dev.isthmus.dns.engine.QueryEngine#QueryEngine(ZoneCatalog, boolean)}
     * @param transfers        answers AXFR and IXFR over TCP; null: refused, as the engine answers them
     */
    public KernelDnsServer(ZoneCatalog catalog, List<InetSocketAddress> listen, int udpThreads, Duration tcpIdle,
                           boolean minimalResponses, TransferResponder transfers) throws IOException {
        try {
            for (InetSocketAddress address : listen) {
                for (int i = 0; i < udpThreads; i++) {
                    udp.add(new UdpWorker(address, catalog, counters, minimalResponses));
                }
                tcp.add(new TcpListener(address, catalog, tcpIdle, counters, minimalResponses, transfers));
            }
        } catch (IOException e) {
            close();
            throw new IOException("cannot bind DNS sockets on " + listen + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (UdpWorker w : udp) {
            threads.add(Thread.ofPlatform().name("isthmus-dns-udp-" + n++).daemon(true).start(w));
        }
        for (TcpListener l : tcp) {
            threads.add(Thread.ofPlatform().name("isthmus-dns-tcp-accept").daemon(true).start(l));
        }
    }

    /**
     * Serves port 53 of {@code addresses} inside network namespace {@code namespace} (the exception path's kernel
     * side, {@code dev.isthmus.dataplane.exception.KernelSide}): the sockets are bound by a thread that entered the
     * namespace, so a TCP retry reaches the catalog the data plane answered its UDP query from.
     *
     * @param addresses the namespace kernel's addresses ({@code KernelSide.addresses()}); at least one
     * @see #KernelDnsServer(ZoneCatalog, List, int, Duration, boolean, TransferResponder)
     */
    public static KernelDnsServer inNamespace(String namespace, List<InetAddress> addresses, ZoneCatalog catalog,
            int udpThreads, Duration tcpIdle, boolean minimalResponses, TransferResponder transfers) {
        if (addresses.isEmpty()) {
            throw new IllegalStateException("configure the namespace's addresses before serving");
        }
        List<InetSocketAddress> listen = addresses.stream().map(a -> new InetSocketAddress(a, DNS_PORT)).toList();
        return NetworkNamespace.call(namespace, () -> new KernelDnsServer(catalog, listen, udpThreads, tcpIdle,
                minimalResponses, transfers));
    }

    /** Hands NOTIFY received over UDP or TCP to {@code handler} (null: back to the engine, which answers NOTIMP). */
    public void notifyHandler(NotifyHandler handler) {
        for (UdpWorker w : udp) {
            w.notifyHandler = handler;
        }
        for (TcpListener l : tcp) {
            l.notifyHandler = handler;
        }
    }

    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        for (UdpWorker w : udp) {
            try {
                w.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
        for (TcpListener l : tcp) {
            try {
                l.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
