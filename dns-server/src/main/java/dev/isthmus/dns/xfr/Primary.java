package dev.isthmus.dns.xfr;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A primary server of a secondary zone: an address and a port, written {@code 198.18.0.1} (port 53) or
 * {@code 198.18.0.1@5353}, the form Knot and NSD use.
 */
public record Primary(InetAddress address, int port) {

    public static final int DNS_PORT = 53;

    /**
     * @throws IllegalArgumentException when {@code text} is not an IP address, optionally followed by {@code @port}
     */
    public static Primary parse(String text) {
        String host = text.strip();
        int port = DNS_PORT;
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            try {
                port = Integer.parseInt(host.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the port after @ is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "': port " + port + " outside 1..65535");
            }
            host = host.substring(0, at);
        }
        // Only literals: a secondary must not depend on a resolver to find its primary.
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (addr or addr@port)");
        }
        try {
            return new Primary(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (addr or addr@port)");
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + (port == DNS_PORT ? "" : "@" + port);
    }
}
