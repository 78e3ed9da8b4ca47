package dev.isthmus.dataplane.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces and veths for integration tests, made with ip(8) through {@link Shell}. Name them with the
 * prefix {@code isthmus} so that leftovers are recognisable, and remove them with {@link #delete} both before
 * building (a crashed run's leftovers) and after.
 */
public final class TestNetns {

    private TestNetns() {
    }

    /** Adds the namespace with its loopback up. */
    public static void add(String ns) {
        Shell.must("ip", "netns", "add", ns);
        exec(ns, "ip", "link", "set", "lo", "up");
    }

    /**
     * A veth pair whose end {@code dpdkSide} stays in this namespace for a net_af_packet port and {@code peer} goes
     * into {@code ns} (down, unaddressed). The DPDK end is up and without IPv6: it belongs to DPDK, so the kernel must
     * not answer or solicit on it with addresses of its own.
     */
    public static void dpdkVeth(String dpdkSide, String peer, String ns) {
        Shell.must("ip", "link", "add", dpdkSide, "type", "veth", "peer", "name", peer, "netns", ns);
        Shell.must("ip", "link", "set", dpdkSide, "up");
        Shell.must("sysctl", "-q", "-w", "net.ipv6.conf." + dpdkSide + ".disable_ipv6=1");
    }

    /** Runs a command in the namespace that must succeed (within 30 s); its output. */
    public static String exec(String ns, String... command) {
        return Shell.must(inNamespace(ns, command));
    }

    /** Runs a command in the namespace, bounded in time; its exit code and output. */
    public static Shell.Result run(int timeoutSeconds, String ns, String... command) {
        return Shell.run(timeoutSeconds, inNamespace(ns, command));
    }

    /** Removes the namespaces (with the interfaces in them) and then the links, ignoring those that do not exist. */
    public static void delete(List<String> namespaces, String... links) {
        for (String ns : namespaces) {
            Shell.run(10, "ip", "netns", "del", ns);
        }
        for (String link : links) {
            Shell.run(10, "ip", "link", "del", link);
        }
    }

    private static String[] inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return full.toArray(String[]::new);
    }
}
