package dev.isthmus.control.anycast;

import dev.isthmus.control.config.AnycastConfig;
import dev.isthmus.control.config.IpPrefix;
import java.net.Inet6Address;
import java.util.List;

/**
 * BIRD 2's configuration for the {@code anycast} section.
 *
 * <p>The service routes sit in two static protocols, {@value #ANNOUNCE4} and {@value #ANNOUNCE6}, which start
 * disabled: nothing is announced until the appliance is healthy and enables them ({@code birdc enable}); disabling
 * one withdraws its routes from every peer at once. Each peer is an external BGP session (RFC 4271) exporting only
 * the routes of the static protocol of its address family, with this box as next hop, importing nothing (the
 * appliance forwards nothing by route). The hold time is the configured one; keepalives every third of it
 * (RFC 4271 §10's suggestion).
 */
public final class BirdConfig {

    /** The static protocol holding the IPv4 service routes. */
    public static final String ANNOUNCE4 = "announce4";
    /** The static protocol holding the IPv6 service routes. */
    public static final String ANNOUNCE6 = "announce6";

    private BirdConfig() {
    }

    /** The name of peer {@code index}'s BGP protocol. */
    public static String peerProtocol(int index) {
        return "peer" + (index + 1);
    }

    public static String render(AnycastConfig config) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by Isthmus from the anycast section of its configuration; rewritten at every start.\n");
        b.append("router id ").append(config.routerId().getHostAddress()).append(";\n");
        b.append("log stderr all;\n");
        b.append("protocol device {\n  scan time 10;\n}\n");
        staticProtocol(b, ANNOUNCE4, "ipv4", config.announce().stream().filter(p -> !p.isIpv6()).toList());
        staticProtocol(b, ANNOUNCE6, "ipv6", config.announce().stream().filter(IpPrefix::isIpv6).toList());
        for (int i = 0; i < config.peers().size(); i++) {
            AnycastConfig.Peer peer = config.peers().get(i);
            boolean v6 = peer.address() instanceof Inet6Address;
            b.append("protocol bgp ").append(peerProtocol(i)).append(" {\n");
            b.append("  local as ").append(config.localAs()).append(";\n");
            b.append("  neighbor ").append(peer.address().getHostAddress()).append(" as ").append(peer.as())
                    .append(";\n");
            b.append("  hold time ").append(config.holdSeconds()).append(";\n");
            b.append("  keepalive time ").append(Math.max(1, config.holdSeconds() / 3)).append(";\n");
            b.append("  connect retry time 2;\n");
            b.append("  error wait time 1, 10;\n");
            b.append("  ").append(v6 ? "ipv6" : "ipv4").append(" {\n");
            b.append("    import none;\n");
            b.append("    export where proto = \"").append(v6 ? ANNOUNCE6 : ANNOUNCE4).append("\";\n");
            b.append("    next hop self;\n");
            b.append("  };\n}\n");
        }
        return b.toString();
    }

    private static void staticProtocol(StringBuilder b, String name, String channel, List<IpPrefix> routes) {
        b.append("protocol static ").append(name).append(" {\n  disabled yes;\n  ").append(channel).append(";\n");
        for (IpPrefix route : routes) {
            // Blackhole: the route exists only to be announced; this daemon's kernel gets no routes (no kernel
            // protocol), and the data plane answers the address.
            b.append("  route ").append(route).append(" blackhole;\n");
        }
        b.append("}\n");
    }
}
