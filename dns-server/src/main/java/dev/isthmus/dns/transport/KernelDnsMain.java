package dev.isthmus.dns.transport;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.engine.ZoneLoader;
import dev.isthmus.dns.zone.ZoneParseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./isthmus dns}: serves zone files over kernel UDP and TCP sockets, no DPDK needed.
 *
 * <pre>
 *   --zone NAME=PATH     serve zone NAME from the master file PATH (repeatable; at least one zone in all)
 *   --zones FILE         serve the zones FILE lists, one NAME=PATH a line (a PATH relative to FILE's directory;
 *                        blank lines and lines starting with # skipped): thousands of zones without thousands of
 *                        arguments, which the launcher and the JVM each keep a copy of for as long as they run
 *   --listen HOST:PORT   address to serve on, IPv6 as [ADDR]:PORT (repeatable; default 127.0.0.1:5353)
 *   --threads N          UDP workers per address (default: one per core)
 *   --tcp-idle SECONDS   close idle TCP connections after this long (default 10)
 *   --minimal-responses=yes|no  authority and additional data only where needed (default yes); no adds the
 *                        zone's NS to positive answers and MX/SRV target addresses, as NSD by default
 *   --allow-transfer P   serve AXFR/IXFR of every zone over TCP to prefix P (repeatable; default: refused)
 * </pre>
 *
 * <p>The launcher starts this JVM with its {@code ISTHMUS_DNS_JVM_FLAGS} (a low heap free-ratio, the C heap trimmed
 * every second, no CDS archive; the comment there says what each saves): the zones live off-heap, so what the JVM
 * keeps for itself — the heap grown by loading, the C heap, the class data archive — is much of what is resident.
 * Started without them it serves the same, with that memory kept (at 1 000 000 names, hundreds of MB of heap).
 */
public final class KernelDnsMain {
    private KernelDnsMain() {
    }

    public static void main(String[] args) throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        List<InetSocketAddress> listen = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        Duration idle = KernelDnsServer.DEFAULT_TCP_IDLE;
        List<ZoneLoader.Source> zones = new ArrayList<>();
        boolean minimal = true;
        List<dev.isthmus.dns.xfr.AddressPrefix> allowTransfer = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (a.startsWith("--minimal-responses=")) {
                    minimal = yesNo(a.substring(a.indexOf('=') + 1));
                    continue;
                }
                switch (a) {
                    case "--zone" -> {
                        int eq = v == null ? -1 : v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--zone needs NAME=PATH");
                        }
                        zones.add(new ZoneLoader.Source(
                            dev.isthmus.dns.wire.DnsName.of(v.substring(0, eq)), Path.of(v.substring(eq + 1))));
                        i++;
                    }
                    case "--zones" -> {
                        if (v == null) {
                            throw new IllegalArgumentException("--zones needs FILE");
                        }
                        zones.addAll(zoneList(Path.of(v)));
                        i++;
                    }
                    case "--listen" -> {
                        listen.add(parseAddress(v));
                        i++;
                    }
                    case "--threads" -> {
                        threads = Integer.parseInt(v);
                        i++;
                    }
                    case "--minimal-responses" -> {
                        minimal = yesNo(v);
                        i++;
                    }
                    case "--tcp-idle" -> {
                        idle = Duration.ofSeconds(Long.parseLong(v));
                        i++;
                    }
                    case "--allow-transfer" -> {
                        allowTransfer.add(dev.isthmus.dns.xfr.AddressPrefix.parse(String.valueOf(v)));
                        i++;
                    }
                    case "-h", "--help" -> {
                        usage();
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            if (zones.isEmpty()) {
                throw new IllegalArgumentException("at least one --zone NAME=PATH (or --zones FILE) is needed");
            }
            // The launcher keeps the argument array reachable while main runs: with 10 000 --zone arguments its
            // strings are ~150 octets a zone of heap for as long as the server serves. Everything is parsed now.
            java.util.Arrays.fill(args, null);
            // one generation for all: a catalog copy per zone would make Z zones cost O(Z²)
            catalog.putAll(ZoneLoader.loadAll(zones, Runtime.getRuntime().availableProcessors()));
            zones = null;
            releaseLoadingMemory();
        } catch (ZoneParseException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException | NullPointerException e) {
            System.err.println("isthmus dns: " + (e.getMessage() == null ? "missing value" : e.getMessage()));
            usage();
            System.exit(2);
            return;
        }
        if (listen.isEmpty()) {
            listen.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353));
        }
        dev.isthmus.dns.xfr.TransferResponder transfers = null;
        if (!allowTransfer.isEmpty()) {
            // The zones never change here: no history (every IXFR from an older serial gets the whole zone), no NOTIFY.
            dev.isthmus.dns.xfr.ZoneTransfers primary = dev.isthmus.dns.xfr.ZoneTransfers.of(catalog);
            primary.policies(new dev.isthmus.dns.xfr.TransferPolicies(java.util.Map.of(),
                new dev.isthmus.dns.xfr.TransferPolicy(allowTransfer, List.of(), null)));
            transfers = primary.responder();
        }
        KernelDnsServer server;
        try {
            server = new KernelDnsServer(catalog, listen, threads, idle, minimal, transfers);
        } catch (IOException e) {
            System.err.println("isthmus dns: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        // Concatenation, not printf: a Formatter brings ~70 classes (regular expressions, locale data) into a
        // process whose resident memory is much of it the JVM's own (perf/RESULTS.md, "Zone scale: the JVM's own
        // memory at ready").
        System.out.println("isthmus dns: " + catalog.zones().size() + " zone(s), " + catalog.snapshot().names()
            + " names, " + threads + " UDP worker(s) per address, minimal responses " + (minimal ? "yes" : "no"));
        for (InetSocketAddress a : listen) {
            System.out.println("  serving UDP+TCP on " + format(a) + "  (try: dig @" + a.getAddress().getHostAddress()
                + " -p " + a.getPort() + " " + catalog.zones().keySet().iterator().next() + ")");
        }
        stopped.await();
    }

    /**
     * Loading leaves the zone text and the builders' columns as garbage — hundreds of MB for a zone of a million
     * names — in a heap grown to hold them, and G1 keeps a grown heap committed. The served data is off-heap and
     * answering allocates nothing, so the heap need not stay large: one full collection, with the launcher's
     * {@code -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20}, hands the memory back before the first query. Measured
     * at 1 000 000 names: 665 MB resident without this, 234 MB with it (perf/RESULTS.md, "zone loading"). The ratios
     * were set here through {@code HotSpotDiagnosticMXBean} until reaching it (the platform MBean providers, ~150
     * classes and the streams they build) was found to leave ~2-3 MB more resident at 10 000 small zones than the
     * same flags given at start (perf/RESULTS.md, "Zone scale: the JVM's own memory at ready").
     */
    static void releaseLoadingMemory() {
        System.gc();
    }

    /**
     * Reads a {@code --zones} file: one {@code NAME=PATH} a line, PATH relative to the file's directory; blank lines
     * and lines starting with {@code #} skipped.
     *
     * @throws IllegalArgumentException naming {@code file:line} of a line that is not {@code NAME=PATH}, or the file
     *     that cannot be read
     */
    static List<ZoneLoader.Source> zoneList(Path file) {
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--zones: cannot read " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        List<ZoneLoader.Source> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected NAME=PATH, got '" + line + "'");
            }
            dev.isthmus.dns.wire.DnsName name;
            try {
                name = dev.isthmus.dns.wire.DnsName.of(line.substring(0, eq).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": " + e.getMessage());
            }
            out.add(new ZoneLoader.Source(name, dir.resolve(line.substring(eq + 1).strip())));
        }
        return out;
    }

    /** {@code --minimal-responses}' value: yes or no (true/false accepted too). */
    static boolean yesNo(String text) {
        if (text != null) {
            switch (text) {
                case "yes", "true" -> {
                    return true;
                }
                case "no", "false" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("--minimal-responses must be yes or no, got '" + text + "'");
    }

    /** Parses {@code HOST:PORT} or {@code [V6]:PORT}; HOST must be a literal address (no name lookups). */
    static InetSocketAddress parseAddress(String text) {
        if (text == null) {
            throw new IllegalArgumentException("--listen needs HOST:PORT");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("bad address '" + text + "', expected [V6]:PORT");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("bad address '" + text + "', expected HOST:PORT or [V6]:PORT");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        InetAddress address = InetAddress.ofLiteral(host);
        int p = Integer.parseInt(port);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return new InetSocketAddress(address, p);
    }

    private static String format(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static void usage() {
        System.err.println("usage: isthmus dns --zone NAME=PATH [--zone ...] [--zones FILE] [--listen HOST:PORT ...]"
            + " [--threads N] [--tcp-idle S] [--minimal-responses=yes|no] [--allow-transfer PREFIX ...]");
    }
}
