package dev.isthmus.control.appliance;

import dev.isthmus.dns.xfr.XfrClient;
import dev.isthmus.nativebindings.NetworkNamespace;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Opens the zone-transfer client's sockets where the appliance's addresses are: inside the exception path's network
 * namespace while the data plane runs with one (a socket keeps the namespace it was created in), else in the JVM's
 * own namespace (the control plane alone, or DNS without an exception path).
 */
final class NamespaceDialer implements XfrClient.Dialer {
    private final Supplier<Optional<String>> namespace;

    NamespaceDialer(Supplier<Optional<String>> namespace) {
        this.namespace = namespace;
    }

    @Override
    public SocketChannel openTcp() throws IOException {
        return open(SocketChannel::open);
    }

    @Override
    public DatagramChannel openUdp() throws IOException {
        return open(DatagramChannel::open);
    }

    private <T> T open(Callable<T> opener) throws IOException {
        Optional<String> ns = namespace.get();
        if (ns.isEmpty()) {
            try {
                return opener.call();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        try {
            return NetworkNamespace.call(ns.get(), opener);
        } catch (IllegalStateException e) {
            throw new IOException("cannot open a socket in namespace " + ns.get() + ": " + e.getMessage(), e);
        }
    }
}
