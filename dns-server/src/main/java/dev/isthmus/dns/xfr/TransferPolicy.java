package dev.isthmus.dns.xfr;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who may transfer one zone and whom to tell of its changes.
 *
 * @param allowTransfer the prefixes a transfer may come from (none: the global list applies, and with none there
 *     either, every transfer is refused)
 * @param notifyTargets where NOTIFY (RFC 1996) goes after each change, port 53 unless given
 * @param key the name of the TSIG key (RFC 8945) a transfer must be signed with, or null for none
 */
public record TransferPolicy(List<AddressPrefix> allowTransfer, List<InetSocketAddress> notifyTargets, String key) {
    /** Nothing allowed, no one notified. */
    public static final TransferPolicy NONE = new TransferPolicy(List.of(), List.of(), null);

    public TransferPolicy {
        allowTransfer = List.copyOf(allowTransfer);
        notifyTargets = List.copyOf(notifyTargets);
    }

    /** @return true when some prefix holds {@code peer} */
    public boolean allows(InetAddress peer) {
        for (AddressPrefix p : allowTransfer) {
            if (p.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /** @return true when the policy says nothing (no prefix, no NOTIFY target, no key) */
    public boolean isEmpty() {
        return allowTransfer.isEmpty() && notifyTargets.isEmpty() && key == null;
    }

    /**
     * Parses a NOTIFY target: {@code 198.18.0.2}, {@code 198.18.0.2@5300}, {@code 2001:db8::2@5300} (the {@code @port}
     * form of NSD and Knot, so IPv6 needs no brackets).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parseTarget(String text) {
        int at = text.lastIndexOf('@');
        String host = at < 0 ? text : text.substring(0, at);
        int port = 53;
        if (at >= 0) {
            try {
                port = Integer.parseInt(text.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': port after @ is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "': port must be 1..65535");
            }
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (addr or addr@port)");
        }
    }

    /** @return {@code addr@port} as {@link #parseTarget} reads it */
    public static String targetText(InetSocketAddress target) {
        return target.getAddress().getHostAddress() + "@" + target.getPort();
    }
}
