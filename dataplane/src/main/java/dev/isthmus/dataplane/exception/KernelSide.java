package dev.isthmus.dataplane.exception;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel side of the exception path: a network namespace whose kernel owns the appliance's addresses, joined to
 * the data plane by a veth pair. The network functions' kernel-socket services (DNS over TCP) listen inside it,
 * started by their owners ({@code NetworkNamespace.call(namespace(), ...)} on {@link #addresses()}). See the package
 * documentation for why a namespace.
 *
 * <p>Lifecycle: {@link #create} makes the namespace and the veth (the data plane opens its end,
 * {@link #dataplaneInterface()}, as a {@code net_af_packet} port); once the data plane runs and the appliance's
 * MAC is known, {@link #configure} gives the namespace's end that MAC and the addresses; the services are then
 * started inside; {@link #close} (after the services stopped) deletes the namespace (which deletes the veth pair).
 * Every step runs {@code ip} and fails with its output. Needs root.
 */
public final class KernelSide implements AutoCloseable {

    private final String namespace;
    private final String dataplaneInterface;
    private final String kernelInterface;
    private final List<InetAddress> configured = new ArrayList<>();

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
            configured.add(InetAddress.ofLiteral(a.substring(0, a.indexOf('/'))));
        }
        inside("ip", "link", "set", kernelInterface, "up");
    }

    /** The addresses {@link #configure} gave the namespace's kernel, for its services to listen on. */
    public List<InetAddress> addresses() {
        return List.copyOf(configured);
    }

    /** Deletes the namespace and the veth pair (stop the services listening inside first). Idempotent. */
    @Override
    public void close() {
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
