package dev.isthmus.control.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@code anycast} section: the service addresses this appliance announces by BGP while it is healthy, through a
 * routing daemon running beside it (BIRD 2) in the exception path's namespace, whose kernel owns the appliance's
 * addresses. The service addresses are answered on the data plane like the uplink's own.
 *
 * @param daemon      the routing daemon ({@code bird})
 * @param localAs     this appliance's AS number
 * @param routerId    the BGP router id
 * @param peers       the routers, each directly connected to the DNS uplink
 * @param announce    the service prefixes, host routes (/32, /128): announced while healthy, withdrawn otherwise
 * @param holdSeconds the BGP hold time offered (RFC 4271 §4.2): how long a router keeps the routes of a box that
 *                    died without a word (kill -9); 3..65535
 */
public record AnycastConfig(String daemon, long localAs, InetAddress routerId, List<Peer> peers, List<IpPrefix> announce,
        int holdSeconds) {

    /** A BGP neighbour: its address and AS number. */
    public record Peer(InetAddress address, long as) {
    }

    public AnycastConfig {
        peers = List.copyOf(peers);
        announce = List.copyOf(announce);
    }
}
