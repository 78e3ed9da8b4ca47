package dev.isthmus.dns.pipeline;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.nativebindings.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel side of the exception path: a network namespace whose kernel owns the appliance's addresses, joined to
 * the data plane by a veth pair, with the kernel-socket DNS transport listening inside it for TCP (and UDP, for
 * what the data plane punts). See the package documentation for why a namespace.
 *
 * <p>Lifecycle: {@link #create} makes the namespace and the veth (the data plane opens its end,
 * {@link #dataplaneInterface()}, as a {@code net_af_packet} port); once the data plane runs and the appliance's
 * MAC is known, {@link #configure} gives the namespace's end that MAC and the addresses, and {@link #serve} starts
 * the DNS transport inside; {@link #close} stops it and deletes the namespace (which deletes the veth pair).
 * Every step runs {@code ip} and fails with its output. Needs root.
 */
public final class KernelSide implements AutoCloseable {

    private final String namespace;
    private final String dataplaneInterface;
    private final String kernelInterface;
    private final List<InetSocketAddress> listen = new ArrayList<>();
    private KernelDnsServer server;

    private KernelSide(String namespace, String dataplaneInterface, String kernelInterface) {
        this.namespace = namespace;
        this.dataplaneInterface = dataplaneInterface;
        this.kernelInterface = kernelInterface;
    }

    /**
     * Creates namespace {@code namespace} and a veth pair: {@code dataplaneInterface} stays here (up, without IPv6 of
     * its own, for the data plane), its peer {@code kernelInterface} goes into the namespace. Leftovers of the same
     * names from an earlier run are removed first.
     */
    public static KernelSide create(String namespace, String dataplaneInterface, String kernelInterface) {
        KernelSide side = new KernelSide(namespace, dataplaneInterface, kernelInterface);
        side.removeLeftovers();
        try {
            ip("netns", "add", namespace);
            ip("link", "add", dataplaneInterface, "type", "veth", "peer", "name", kernelInterface, "netns", namespace);
            // The data plane's end belongs to DPDK: the host kernel must not solicit or answer on it.
            run("sysctl", "-q", "-w", "net.ipv6.conf." + dataplaneInterface + ".disable_ipv6=1");
            ip("link", "set", dataplaneInterface, "up");
            side.inside("ip", "link", "set", "lo", "up");
            return side;
        } catch (RuntimeException e) {
            side.removeLeftovers();
            throw e;
        }
    }

    /** The interface the data plane opens, e.g. as {@code net_af_packet0,iface=NAME}. */
    public String dataplaneInterface() {
        return dataplaneInterface;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Gives the namespace's end the appliance's MAC (so frames punted to the appliance's MAC are the kernel's own,
     * and its frames carry the appliance's MAC out of the uplink) and its addresses, then brings it up.
     *
     * @param mac       the appliance port's MAC, {@code 02:00:00:00:00:53} form
     * @param addresses the appliance's addresses with prefix length, {@code 198.18.0.53/24}, {@code 2001:db8::53/64}
     */
    public void configure(String mac, List<String> addresses) {
        inside("ip", "link", "set", kernelInterface, "address", mac);
        // A veth hands frames over with checksums left for the "hardware" (CHECKSUM_PARTIAL); a packet socket on the
        // other end - the data plane's net_af_packet port - would forward them unfinished. Checksum in software.
        inside("ethtool", "-K", kernelInterface, "tx", "off");
        // No DAD: the data plane already answers for these addresses; no router solicitations from the kernel side.
        inside("sysctl", "-q", "-w", "net.ipv6.conf." + kernelInterface + ".accept_ra=0");
        for (String a : addresses) {
            if (a.contains(":")) {
                inside("ip", "-6", "addr", "add", a, "dev", kernelInterface, "nodad");
            } else {
                inside("ip", "addr", "add", a, "dev", kernelInterface);
            }
            String host = a.substring(0, a.indexOf('/'));
            listen.add(new InetSocketAddress(InetAddress.ofLiteral(host), DnsStage.DNS_PORT));
        }
        inside("ip", "link", "set", kernelInterface, "up");
    }

    /**
     * Starts the kernel-socket DNS transport inside the namespace on port 53 of every configured address, serving
     * the same catalog as the data plane (so a TCP retry gets the answer the UDP query was truncated from).
     */
    public void serve(ZoneCatalog catalog, int udpThreads, Duration tcpIdle) {
        serve(catalog, udpThreads, tcpIdle, true, null);
    }

    /**
     * As {@link #serve(ZoneCatalog, int, Duration)}, with or without minimal responses (as the data plane answers),
     * answering AXFR and IXFR with {@code transfers} (or not: null).
     */
    public void serve(ZoneCatalog catalog, int udpThreads, Duration tcpIdle, boolean minimalResponses,
                      dev.isthmus.dns.xfr.TransferResponder transfers) {
        if (listen.isEmpty()) {
            throw new IllegalStateException("configure the addresses before serving");
        }
        server = NetworkNamespace.call(namespace, () -> new KernelDnsServer(catalog, List.copyOf(listen), udpThreads,
                tcpIdle, minimalResponses, transfers));
    }

    /** The transport's counters (TCP answers, connections), or null before {@link #serve}. */
    public KernelDnsServer server() {
        return server;
    }

    /** Stops the transport and deletes the namespace and the veth pair. Idempotent. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        removeLeftovers();
    }

    private void removeLeftovers() {
        quietly("ip", "netns", "del", namespace);
        quietly("ip", "link", "del", dataplaneInterface);
    }

    private void inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }

    private static void ip(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "ip";
        System.arraycopy(args, 0, full, 1, args.length);
        run(full);
    }

    private static void quietly(String... command) {
        try {
            exec(command);
        } catch (RuntimeException ignored) {
            // removing what may not exist
        }
    }

    private static void run(String... command) {
        Result r = exec(command);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.code + "): "
                    + r.output.strip());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command[0], e);
        }
    }
}
