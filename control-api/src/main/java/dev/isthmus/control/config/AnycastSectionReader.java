package dev.isthmus.control.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the configuration file's {@code anycast} section, each problem with its line: a routing daemon the appliance
 * can drive, AS numbers of 32 bits (RFC 6793), an IPv4 router id, peers on a subnet of the DNS uplink (the BGP
 * session runs over the exception path, which only the uplink's directly connected neighbours reach), host prefixes
 * to announce, and a hold time BGP allows.
 */
final class AnycastSectionReader {

    /** AS numbers are 32 bits (RFC 6793); 0 is reserved (RFC 7607). */
    private static final long MAX_AS = 4_294_967_295L;

    private final YamlReader r;

    AnycastSectionReader(YamlReader r) {
        this.r = r;
    }

    /** @return the section, empty when absent */
    Optional<AnycastConfig> read(Node node, DnsConfig dns, List<AppliancePort> ports) {
        if (node == null) {
            return Optional.empty();
        }
        Map<String, Node> m = r.mapping(node, "anycast",
                YamlReader.keys("daemon", "local-as", "router-id", "peers", "announce", "hold-seconds"));
        String daemon = r.string(m, "daemon", "anycast", "bird");
        if (!daemon.equals("bird")) {
            r.problem(m.get("daemon"), "anycast.daemon", "'" + daemon + "' is not supported: the appliance drives "
                    + "BIRD 2 (daemon: bird)");
        }
        long localAs = as(m, "local-as", "anycast.local-as", node);
        InetAddress routerId = null;
        String id = r.requiredString(m, "router-id", "anycast", node);
        if (id != null && !id.isEmpty()) {
            try {
                routerId = IpPrefix.parseAddress(id);
                if (!(routerId instanceof Inet4Address)) {
                    r.problem(m.get("router-id"), "anycast.router-id", "must be an IPv4 address (RFC 6286: 32 bits)");
                }
            } catch (IllegalArgumentException e) {
                r.problem(m.get("router-id"), "anycast.router-id", e.getMessage());
            }
        }
        if (!dns.enabled() || !dns.exceptionPath()) {
            r.problem(node, "anycast", "needs dns.enabled and dns.exception-path: the routing daemon's BGP sessions "
                    + "run through the exception path's kernel");
        }
        List<IpPrefix> uplink = ports.stream().filter(p -> p.name().equals(dns.uplink())).findFirst()
                .map(AppliancePort::addresses).orElse(List.of());
        List<AnycastConfig.Peer> peers = new ArrayList<>();
        List<Node> peerNodes = r.sequence(m, "peers", "anycast");
        if (peerNodes.isEmpty()) {
            r.problem(m.getOrDefault("peers", node), "anycast.peers", "needs at least one BGP peer");
        }
        for (int i = 0; i < peerNodes.size(); i++) {
            String path = "anycast.peers[" + i + "]";
            Map<String, Node> p = r.mapping(peerNodes.get(i), path, YamlReader.keys("address", "as"));
            long as = as(p, "as", path + ".as", peerNodes.get(i));
            String text = r.requiredString(p, "address", path, peerNodes.get(i));
            if (text == null || text.isEmpty()) {
                continue;
            }
            try {
                InetAddress address = IpPrefix.parseAddress(text);
                if (uplink.stream().noneMatch(prefix -> contains(prefix, address))) {
                    r.problem(p.get("address"), path + ".address", text + " is on no subnet of the DNS uplink "
                            + dns.uplink() + " " + uplink + ": peers must be directly connected");
                }
                peers.add(new AnycastConfig.Peer(address, as));
            } catch (IllegalArgumentException e) {
                r.problem(p.get("address"), path + ".address", e.getMessage());
            }
        }
        List<IpPrefix> announce = new ArrayList<>();
        List<String> texts = r.strings(m, "announce", "anycast");
        if (texts.isEmpty()) {
            r.problem(m.getOrDefault("announce", node), "anycast.announce", "needs at least one service prefix");
        }
        Set<InetAddress> seen = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            String path = "anycast.announce[" + i + "]";
            try {
                IpPrefix prefix = IpPrefix.parse(texts.get(i));
                if (prefix.prefixLength() != (prefix.isIpv6() ? 128 : 32)) {
                    r.problem(m.get("announce"), path, prefix + " must be a host prefix (/32 or /128): the data "
                            + "plane answers the service address itself");
                } else if (!seen.add(prefix.address())) {
                    r.problem(m.get("announce"), path, prefix + " is listed twice");
                } else {
                    announce.add(prefix);
                }
            } catch (IllegalArgumentException e) {
                r.problem(m.get("announce"), path, e.getMessage());
            }
        }
        // RFC 4271 §4.2: a hold time is 0 or at least 3 seconds; 0 (no keepalives) would never notice a dead box.
        int hold = r.integer(m, "hold-seconds", "anycast", 9, 3, 65535);
        return Optional.of(new AnycastConfig(daemon, localAs, routerId, peers, announce, hold));
    }

    private long as(Map<String, Node> m, String key, String path, Node parent) {
        String text = r.requiredString(m, key, path.substring(0, path.lastIndexOf('.')), parent);
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            long as = Long.parseLong(text);
            if (as >= 1 && as <= MAX_AS) {
                return as;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        r.problem(m.get(key), path, "must be an AS number 1.." + MAX_AS + ", not '" + text + "'");
        return 0;
    }

    private static boolean contains(IpPrefix prefix, InetAddress address) {
        byte[] net = prefix.address().getAddress();
        byte[] a = address.getAddress();
        if (net.length != a.length) {
            return false;
        }
        int bits = prefix.prefixLength();
        for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((net[i] & mask) != (a[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
