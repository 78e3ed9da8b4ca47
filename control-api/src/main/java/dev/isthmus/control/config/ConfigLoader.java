package dev.isthmus.control.config;

import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.IdlePolicy;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dns.edns.CookieSecrets;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.rrl.RrlSettings;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.xfr.AddressPrefix;
import dev.isthmus.dns.xfr.TransferPolicy;
import dev.isthmus.vswitch.counters.StripedCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads and validates the appliance configuration file (format: {@code config/isthmus.yml}, described in
 * {@code docs/CONTROL-API.md}). Every key has a default except {@code ports}; unknown keys are errors, so a typo
 * never silently falls back to a default. All problems are reported at once, each as {@code file:line: key: message}.
 */
public final class ConfigLoader {

    /** The configuration that {@code ./isthmus run} uses without {@code --config}: {@code config/isthmus.yml}, shipped on the class path. */
    public static final String EMBEDDED_DEFAULT = "classpath:config/isthmus.yml";

    /** The name of the port the DNS exception path adds (a net_af_packet port on a veth into the namespace). */
    public static final String EXCEPTION_PORT = "exception";

    /** CPUs a worker can be pinned to: DPDK's default RTE_MAX_LCORE on x86_64 (Debian's build). */
    static final int MAX_LCORE = 128;
    /** Polling lcores at most: one per vswitch counter lane. */
    static final int MAX_WORKERS = StripedCounters.DATA_LANES;
    /** {@code mempool.mbufs} that asks for a pool sized from the ports and lcores. */
    static final int AUTO_MBUFS = 0;
    /** The smallest pool the data plane opens ({@code MempoolConfig}). */
    static final int MIN_MBUFS = 64;
    /** DPDK's RTE_MEMPOOL_CACHE_MAX_SIZE. */
    static final int MEMPOOL_CACHE_MAX = 512;
    /** The smallest IPv4 MTU (RFC 791: every module must forward a 68-byte datagram). */
    static final int MIN_MTU = 68;
    /** The largest port MTU: what the data plane's port setup accepts. */
    static final int MAX_MTU = 9600;
    /** Bytes of a frame around its IP packet in an mbuf: Ethernet header (14) and one 802.1Q tag (4); no FCS. */
    static final int FRAME_OVERHEAD = 18;
    /** DPDK's RTE_PKTMBUF_HEADROOM, in front of the frame in every mbuf's data room. */
    static final int MBUF_HEADROOM = 128;
    /** Linux IFNAMSIZ less the terminating NUL. */
    static final int MAX_IFNAME = 15;

    private static final Pattern PORT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    private static final Pattern VDEV_NAME = Pattern.compile("net_[a-z0-9_]+");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_IFNAME + "}");
    private static final Pattern FILE_PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private ConfigLoader() {
    }

    /** Whether the data plane gets the DNS exception path's port besides the configured ones. */
    static boolean exceptionPort(DnsConfig dns) {
        return dns.enabled() && dns.exceptionPath();
    }

    /**
     * Loads {@code location}: a file path, or {@code classpath:...} for a configuration shipped in a jar.
     *
     * @throws ConfigException when it cannot be read or is invalid
     */
    public static ApplianceConfig load(String location) throws ConfigException {
        if (location.startsWith(ZoneSource.CLASSPATH_PREFIX)) {
            String resource = location.substring(ZoneSource.CLASSPATH_PREFIX.length());
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException(location + ": not found on the class path");
                }
                return parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8), Path.of(""));
            } catch (IOException e) {
                throw new ConfigException(location + ": cannot be read: " + e.getMessage());
            }
        }
        Path file = Path.of(location);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(location + ": cannot be read: " + e);
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(location, text, parent == null ? Path.of("") : parent);
    }

    /**
     * Parses and validates configuration text.
     *
     * @param source the name used in messages
     * @param yaml the YAML text
     * @param baseDirectory what relative paths in the file (zones, journal) are relative to
     * @throws ConfigException with every problem found
     */
    public static ApplianceConfig parse(String source, String yaml, Path baseDirectory) throws ConfigException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(source + ":1: the file is empty; it needs at least a ports list");
        }
        YamlReader reader = new YamlReader(source);
        ApplianceConfig config = new Parser(reader, source, baseDirectory).root(root);
        if (!reader.problems().isEmpty()) {
            throw new ConfigException(reader.problems());
        }
        return config;
    }

    /** One parse: the reader that collects problems and the context for relative paths. */
    private record Parser(YamlReader r, String source, Path base) {

        ApplianceConfig root(Node root) {
            Map<String, Node> top = r.mapping(root, "",
                    YamlReader.keys("eal", "lcores", "mempool", "ports", "dns", "vswitch", "api", "journal",
                            "anycast"));
            EalConfig eal = eal(top.get("eal"));
            LcoreLayout lcores = lcores(top.get("lcores"));
            MempoolSection pool = mempool(top.get("mempool"));
            List<AppliancePort> ports = ports(top, root);
            pool = sizedForMtu(pool, top.get("mempool"), ports, root);
            DnsConfig dns = dns(top.get("dns"), ports, root);
            MempoolConfig mempool = mempool(pool, top.get("mempool"), ports.size() + (exceptionPort(dns) ? 1 : 0),
                    lcores);
            VswitchSection vswitch = new VswitchSectionReader(r).read(top.get("vswitch"), ports);
            ApiConfig api = api(top.get("api"));
            JournalConfig journal = journal(top.get("journal"));
            Optional<AnycastConfig> anycast = new AnycastSectionReader(r).read(top.get("anycast"), dns, ports);
            ApplianceConfig config = new ApplianceConfig(source, eal, lcores, mempool, ports, dns, vswitch, api,
                    journal, anycast);
            if (r.problems().isEmpty()) {
                // What only the whole can tell (descriptors against mbufs, PCI without hugepages...), in the data
                // plane's own words, so that nothing this file passes is refused when the appliance starts.
                new StartChecks(r, top, root).check(config);
            }
            return config;
        }

        EalConfig eal(Node node) {
            Map<String, Node> m = node == null ? Map.of()
                    : r.mapping(node, "eal", YamlReader.keys("hugepages", "memory-mb", "file-prefix", "extra-args"));
            String prefix = r.string(m, "file-prefix", "eal", "isthmus");
            if (!FILE_PREFIX.matcher(prefix).matches()) {
                r.problem(m.get("file-prefix"), "eal.file-prefix", "must be letters, digits, '_' or '-'");
                prefix = "isthmus";
            }
            // The data plane's own record; the checks here are its rules or stricter (memory-mb at least 64).
            return new EalConfig(r.bool(m, "hugepages", "eal", false), r.integer(m, "memory-mb", "eal", 512, 64,
                    1 << 20), prefix, r.strings(m, "extra-args", "eal"));
        }

        LcoreLayout lcores(Node node) {
            Map<String, Node> m = node == null ? Map.of()
                    : r.mapping(node, "lcores", YamlReader.keys("workers", "io", "handoff-ring", "idle",
                            "idle-empty-polls", "idle-max-sleep-us"));
            Set<Integer> seen = new HashSet<>();
            List<Integer> io = cpus(m, "io", List.of(), node, seen, false);
            List<Integer> workers = cpus(m, "workers", List.of("1"), node, seen, true);
            int ring = r.integer(m, "handoff-ring", "lcores", LcoreLayout.DEFAULT_HANDOFF_RING, 64,
                    1 << 20);
            if (Integer.bitCount(ring) != 1) {
                r.problem(m.get("handoff-ring"), "lcores.handoff-ring", "must be a power of two, got " + ring);
            }
            if (m.containsKey("handoff-ring") && io.isEmpty()) {
                r.problem(m.get("handoff-ring"), "lcores.handoff-ring",
                        "applies only with lcores.io (I/O lcores handing packets to the workers)");
            }
            if (io.size() + workers.size() > MAX_WORKERS) {
                // Every lcore runs the vswitch stage (bridge domains can be added at run time), which counts on its
                // own lane of the striped counters: refused here, with the line, rather than when the workers start.
                r.problem(m.getOrDefault("workers", node), "lcores.workers", (io.size() + workers.size())
                        + " polling lcores; at most " + MAX_WORKERS + " are supported (one vswitch counter lane each)");
            }
            return new LcoreLayout(io, workers, ring, idle(m));
        }

        /** {@code idle: poll | adaptive}, and for adaptive its empty polls and longest sleep. */
        private IdlePolicy idle(Map<String, Node> m) {
            String mode = r.string(m, "idle", "lcores", "poll");
            int emptyPolls = r.integer(m, "idle-empty-polls", "lcores", 1024, 1, 1 << 30);
            int maxSleepUs = r.integer(m, "idle-max-sleep-us", "lcores", 500, 1, 100_000);
            switch (mode) {
                case "poll" -> {
                    for (String key : List.of("idle-empty-polls", "idle-max-sleep-us")) {
                        if (m.containsKey(key)) {
                            r.problem(m.get(key), "lcores." + key, "applies only with lcores.idle: adaptive");
                        }
                    }
                    return IdlePolicy.poll();
                }
                case "adaptive" -> {
                    return IdlePolicy.adaptive(emptyPolls, java.time.Duration.ofNanos(maxSleepUs * 1000L));
                }
                default -> {
                    r.problem(m.get("idle"), "lcores.idle", "must be poll or adaptive, not '" + mode + "'");
                    return IdlePolicy.poll();
                }
            }
        }

        /** A list of CPUs ({@code -1} unpinned), each CPU at most once across {@code io} and {@code workers}. */
        private List<Integer> cpus(Map<String, Node> m, String key, List<String> defaults, Node parent,
                Set<Integer> seen, boolean required) {
            List<Integer> cpus = new ArrayList<>();
            List<String> texts = m.containsKey(key) ? r.strings(m, key, "lcores") : defaults;
            Node at = m.getOrDefault(key, parent);
            for (int i = 0; i < texts.size(); i++) {
                String path = "lcores." + key + "[" + i + "]";
                try {
                    int cpu = Integer.parseInt(texts.get(i));
                    if (cpu < -1 || cpu >= MAX_LCORE) {
                        r.problem(at, path, "must be a CPU number 0.." + (MAX_LCORE - 1) + ", or -1 for unpinned");
                    } else if (cpu >= 0 && !seen.add(cpu)) {
                        r.problem(at, path, "CPU " + cpu + " is listed twice");
                    } else {
                        cpus.add(cpu);
                    }
                } catch (NumberFormatException e) {
                    r.problem(at, path, "must be a CPU number, not '" + texts.get(i) + "'");
                }
            }
            if (required && texts.isEmpty()) {
                r.problem(at, "lcores." + key, "needs at least one polling lcore");
            }
            return cpus;
        }

        /** The {@code mempool} section as written: {@code mbufs} 0 is sized later, from the ports and lcores. */
        private record MempoolSection(int mbufs, int cacheSize, int dataRoom, boolean valid) {
        }

        MempoolSection mempool(Node node) {
            Map<String, Node> m = node == null ? Map.of()
                    : r.mapping(node, "mempool", YamlReader.keys("mbufs", "cache-size", "data-room-size"));
            // 0 (the default): sized from the ports, lcores and descriptors (DataplanePlan.autoMbufs).
            int mbufs = r.integer(m, "mbufs", "mempool", AUTO_MBUFS, 0, 1 << 26);
            if (mbufs != AUTO_MBUFS && mbufs < MIN_MBUFS) {
                r.problem(m.get("mbufs"), "mempool.mbufs", "must be 0 (sized automatically) or at least " + MIN_MBUFS
                        + ", not " + mbufs);
            }
            int cache = r.integer(m, "cache-size", "mempool", 256, 0, MEMPOOL_CACHE_MAX);
            // rte_mempool_create refuses a cache larger than n / 1.5 (CALC_CACHE_FLUSHTHRESH would overflow n).
            boolean valid = mbufs == AUTO_MBUFS || mbufs >= MIN_MBUFS;
            if (mbufs != AUTO_MBUFS && cache * 3L > mbufs * 2L) {
                r.problem(m.getOrDefault("cache-size", node), "mempool.cache-size",
                        "cache of " + cache + " is too large for " + mbufs + " mbufs (DPDK needs cache * 1.5 <= mbufs)");
                valid = false;
            }
            int dataRoom = r.integer(m, "data-room-size", "mempool", MempoolConfig.DEFAULT_DATA_ROOM, 256 + 128, 65535);
            return new MempoolSection(mbufs, cache, dataRoom, valid);
        }

        /** The data plane's pool: as written, or {@code mbufs} sized for {@code ports} ports on the lcores. */
        MempoolConfig mempool(MempoolSection pool, Node node, int ports, LcoreLayout lcores) {
            int mbufs = pool.mbufs() != AUTO_MBUFS ? pool.mbufs() : DataplanePlan.autoMbufs(ports, lcores.count(),
                    pool.cacheSize(), lcores.handoff() ? lcores.handoffRing() : 0);
            if (!pool.valid()) {
                return MempoolConfig.of(DataplanePlan.MIN_AUTO_MBUFS); // reported already
            }
            return new MempoolConfig(mbufs, pool.cacheSize(), pool.dataRoom()); // the checks above are its rules
        }

        List<AppliancePort> ports(Map<String, Node> top, Node root) {
            List<Node> items = r.sequence(top, "ports", "");
            if (items.isEmpty()) {
                r.problem(top.getOrDefault("ports", root), "ports", "at least one port is required");
            }
            List<AppliancePort> ports = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> devices = new HashSet<>();
            Set<String> kernelSides = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                String path = "ports[" + i + "]";
                Node item = items.get(i);
                Map<String, Node> m = r.mapping(item, path,
                        YamlReader.keys("name", "device", "devargs", "promiscuous", "addresses", "kernel-addresses", "mtu"));
                String name = r.requiredString(m, "name", path, item);
                if (!name.isEmpty() && !PORT_NAME.matcher(name).matches()) {
                    r.problem(m.get("name"), path + ".name", "'" + name + "' must start with a letter and have only letters, digits, '_' or '-' (at most 32)");
                } else if (!name.isEmpty() && !names.add(name)) {
                    r.problem(m.get("name"), path + ".name", "port name '" + name + "' is used twice");
                }
                String device = r.requiredString(m, "device", path, item);
                // The data plane's own rule (its drivers), with the loader's stricter form of a PCI address.
                String deviceProblem = AppliancePort.isPciAddress(device) ? null
                        : !VDEV_NAME.matcher(device).matches() ? "'" + device + "' is neither a PCI address "
                        + "(0000:03:00.0) nor a virtual device (net_tap0, net_null0, ...)"
                        : PortConfig.deviceProblem(device);
                if (!device.isEmpty() && deviceProblem != null) {
                    r.problem(m.get("device"), path + ".device", deviceProblem);
                } else if (!device.isEmpty() && !devices.add(device)) {
                    r.problem(m.get("device"), path + ".device", "device '" + device + "' is used by two ports");
                }
                String devargs = r.string(m, "devargs", path, "");
                List<IpPrefix> addresses = prefixes(m, "addresses", path);
                List<IpPrefix> kernelAddresses = prefixes(m, "kernel-addresses", path);
                boolean promiscuous = r.bool(m, "promiscuous", path, false);
                int mtu = r.integer(m, "mtu", path, 0, 0, MAX_MTU);
                if (mtu != 0 && mtu < MIN_MTU) {
                    r.problem(m.get("mtu"), path + ".mtu", "must be 0 (the device's) or " + MIN_MTU + ".." + MAX_MTU
                            + " (RFC 791: every IPv4 link carries 68 bytes), not " + mtu);
                }
                AppliancePort port = new AppliancePort(name, device, devargs, promiscuous, addresses, kernelAddresses, mtu);
                if (!kernelAddresses.isEmpty() && !port.isTap()) {
                    r.problem(m.get("kernel-addresses"), path + ".kernel-addresses",
                            "only a net_tap port has a kernel side to put addresses on");
                }
                if (port.isTap()) {
                    port.kernelInterface().ifPresentOrElse(iface -> {
                        if (!IFNAME.matcher(iface).matches()) {
                            r.problem(m.get("devargs"), path + ".devargs", "iface '" + iface
                                    + "' is not a valid interface name (at most " + MAX_IFNAME + " characters)");
                        } else if (!kernelSides.add(iface)) {
                            r.problem(m.get("devargs"), path + ".devargs", "iface '" + iface + "' is used by two ports");
                        }
                    }, () -> {
                        if (!kernelAddresses.isEmpty()) {
                            r.problem(m.getOrDefault("devargs", item), path + ".devargs",
                                    "name the kernel side (iface=NAME) to give it kernel-addresses");
                        }
                    });
                }
                ports.add(port);
            }
            return ports;
        }

        /**
         * Mbufs hold a whole frame (no multi-segment RX): a port's MTU plus its Ethernet header and one VLAN tag,
         * after the headroom. Without an explicit {@code data-room-size} the data room grows to fit the largest
         * MTU; an explicit one that is too small is a problem that says how large it must be.
         */
        MempoolSection sizedForMtu(MempoolSection mempool, Node node, List<AppliancePort> ports, Node root) {
            int largest = ports.stream().mapToInt(AppliancePort::mtu).max().orElse(0);
            int needed = largest + FRAME_OVERHEAD + MBUF_HEADROOM;
            if (largest == 0 || needed <= mempool.dataRoom()) {
                return mempool;
            }
            boolean explicit = node instanceof MappingNode mapping && mapping.getValue().stream()
                    .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("data-room-size"));
            if (explicit) {
                r.problem(node, "mempool.data-room-size", mempool.dataRoom() + " bytes hold frames up to "
                        + (mempool.dataRoom() - MBUF_HEADROOM) + " bytes, but a port's mtu " + largest
                        + " needs at least " + needed + " (mtu + " + FRAME_OVERHEAD + " Ethernet and VLAN + "
                        + MBUF_HEADROOM + " headroom)");
                return mempool;
            }
            return new MempoolSection(mempool.mbufs(), mempool.cacheSize(), needed, mempool.valid());
        }

        List<IpPrefix> prefixes(Map<String, Node> m, String key, String path) {
            List<IpPrefix> prefixes = new ArrayList<>();
            List<String> texts = r.strings(m, key, path);
            for (int i = 0; i < texts.size(); i++) {
                try {
                    prefixes.add(IpPrefix.parse(texts.get(i)));
                } catch (IllegalArgumentException e) {
                    r.problem(m.get(key), path + "." + key + "[" + i + "]", e.getMessage());
                }
            }
            return prefixes;
        }

        DnsConfig dns(Node node, List<AppliancePort> ports, Node root) {
            Map<String, Node> m = node == null ? Map.of() : r.mapping(node, "dns",
                    YamlReader.keys("enabled", "uplink", "exception-path", "query-log-every", "mtu",
                            "answer-cache-entries", "zones", "rrl", "cookies", "identity", "dnstap-file",
                            "minimal-responses", "dnstap-socket", "tsig-keys", "allow-transfer", "ixfr-history"));
            boolean enabled = r.bool(m, "enabled", "dns", true);
            String defaultUplink = ports.stream().filter(p -> !p.addresses().isEmpty()).map(AppliancePort::name)
                    .findFirst().orElse("");
            String uplink = r.string(m, "uplink", "dns", defaultUplink);
            if (enabled && !ports.isEmpty()) {
                if (uplink.isEmpty()) {
                    r.problem(node == null ? root : node, "dns", "DNS is enabled but no port has an address to answer on (ports[].addresses)");
                } else if (ports.stream().noneMatch(p -> p.name().equals(uplink) && !p.addresses().isEmpty())) {
                    r.problem(m.getOrDefault("uplink", node), "dns.uplink", "'" + uplink + "' is not a port with addresses");
                }
            }
            boolean exceptionPath = r.bool(m, "exception-path", "dns", true);
            if (enabled && exceptionPath && ports.stream().anyMatch(p -> p.name().equals(EXCEPTION_PORT))) {
                r.problem(m.getOrDefault("exception-path", node == null ? root : node), "dns.exception-path",
                        "the exception path adds a port named '" + EXCEPTION_PORT + "'; rename the configured one");
            }
            int queryLogEvery = r.integer(m, "query-log-every", "dns", 0, 0, Integer.MAX_VALUE);
            int mtu = r.integer(m, "mtu", "dns", 1500, 576, 9600);
            int answerCacheEntries = r.integer(m, "answer-cache-entries", "dns",
                    DnsSettings.DEFAULT_ANSWER_CACHE_ENTRIES, 0, DnsSettings.MAX_ANSWER_CACHE_ENTRIES);
            if (answerCacheEntries > 0 && Integer.bitCount(answerCacheEntries) != 1) {
                r.problem(m.get("answer-cache-entries"), "dns.answer-cache-entries",
                        "must be 0 (no packet cache) or a power of two, got " + answerCacheEntries);
            }
            List<ZoneSource> zones = new ArrayList<>();
            Map<String, TransferPolicy> transferPolicies = new java.util.HashMap<>();
            Set<String> origins = new HashSet<>();
            SecondarySectionReader transfers = new SecondarySectionReader(r);
            TsigKeyring tsigKeys = transfers.tsigKeys(m);
            List<SecondarySource> secondaries = new ArrayList<>();
            List<Node> items = r.sequence(m, "zones", "dns");
            for (int i = 0; i < items.size(); i++) {
                String path = "dns.zones[" + i + "]";
                Map<String, Node> z = r.mapping(items.get(i), path, YamlReader.keys("origin", "file", "primaries",
                        "key", "catalog", "allow-transfer", "notify"));
                if (z.containsKey("primaries")) {
                    String origin = r.requiredString(z, "origin", path, items.get(i));
                    String problem = origin == null || origin.isEmpty() ? null : domainNameProblem(origin);
                    if (problem != null) {
                        r.problem(z.get("origin"), path + ".origin", problem);
                    } else if (origin != null && !origin.isEmpty() && !origins.add(canonicalOrigin(origin))) {
                        r.problem(z.get("origin"), path + ".origin", "zone '" + origin + "' is listed twice");
                    } else if (origin != null && !origin.isEmpty()) {
                        secondaries.add(transfers.secondary(z, path, canonicalOrigin(origin), tsigKeys, items.get(i)));
                        // A secondary zone can be given on to further secondaries like any other.
                        TransferPolicy transfer = zoneTransfer(z, path, tsigKeys);
                        if (!transfer.isEmpty()) {
                            transferPolicies.put(canonicalOrigin(origin), transfer);
                        }
                    }
                    continue;
                }
                String origin = r.requiredString(z, "origin", path, items.get(i));
                String file = r.requiredString(z, "file", path, items.get(i));
                if (origin.isEmpty() || file.isEmpty()) {
                    continue;
                }
                String problem = domainNameProblem(origin);
                if (problem != null) {
                    r.problem(z.get("origin"), path + ".origin", problem);
                    continue;
                }
                if (!origins.add(canonicalOrigin(origin))) {
                    r.problem(z.get("origin"), path + ".origin", "zone '" + origin + "' is listed twice");
                    continue;
                }
                String location = resolveZoneLocation(file);
                if (!zoneLocationExists(location)) {
                    r.problem(z.get("file"), path + ".file", "zone file '" + location + "' does not exist or is not readable");
                }
                zones.add(new ZoneSource(canonicalOrigin(origin), location));
                TransferPolicy transfer = zoneTransfer(z, path, tsigKeys);
                if (!transfer.isEmpty()) {
                    transferPolicies.put(canonicalOrigin(origin), transfer);
                }
            }
            return new DnsConfig(enabled, uplink, exceptionPath, queryLogEvery, mtu, answerCacheEntries, zones,
                    rrl(m.get("rrl")), cookies(m.get("cookies")), identity(m.get("identity")), dnstapFile(m),
                    r.bool(m, "minimal-responses", "dns", true), dnstapSocket(m, queryLogEvery),
                    tsigKeys, secondaries, transfers(m, transferPolicies));
        }

        /** {@code dns.allow-transfer} and {@code dns.ixfr-history}, with the zones' own transfer policies. */
        TransferConfig transfers(Map<String, Node> m, Map<String, TransferPolicy> zones) {
            TransferPolicy global = new TransferPolicy(transferPrefixes(m, "allow-transfer", "dns"), List.of(), null);
            Node h = m.get("ixfr-history");
            Map<String, Node> history = h == null ? Map.of() : r.mapping(h, "dns.ixfr-history",
                    YamlReader.keys("versions", "records"));
            int versions = r.integer(history, "versions", "dns.ixfr-history", TransferConfig.NONE.historyVersions(),
                    1, 100_000);
            int records = r.integer(history, "records", "dns.ixfr-history", TransferConfig.NONE.historyRecords(),
                    2, 100_000_000);
            return new TransferConfig(global, zones, versions, records);
        }

        /**
         * A zone's {@code allow-transfer} prefixes, {@code notify} targets ({@code addr[@port]}) and {@code key}, which
         * must name one of {@code dns.tsig-keys}.
         */
        TransferPolicy zoneTransfer(Map<String, Node> z, String path, TsigKeyring keys) {
            List<AddressPrefix> allow = transferPrefixes(z, "allow-transfer", path);
            List<java.net.InetSocketAddress> notify = new ArrayList<>();
            List<String> targets = r.strings(z, "notify", path);
            for (int i = 0; i < targets.size(); i++) {
                try {
                    notify.add(TransferPolicy.parseTarget(targets.get(i)));
                } catch (IllegalArgumentException e) {
                    r.problem(z.get("notify"), path + ".notify[" + i + "]", e.getMessage());
                }
            }
            String key = r.string(z, "key", path, "");
            if (!key.isEmpty() && domainNameProblem(key) != null) {
                r.problem(z.get("key"), path + ".key", "a TSIG key name must be a domain name: "
                        + domainNameProblem(key));
                return new TransferPolicy(allow, notify, null);
            }
            if (!key.isEmpty() && !z.containsKey("primaries")
                    && keys.find(dev.isthmus.dns.wire.DnsName.of(canonicalOrigin(key))) == null) {
                r.problem(z.get("key"), path + ".key", "no TSIG key '" + key + "' in dns.tsig-keys");
            }
            return new TransferPolicy(allow, notify, key.isEmpty() ? null : canonicalOrigin(key));
        }

        List<AddressPrefix> transferPrefixes(Map<String, Node> m, String key, String path) {
            List<AddressPrefix> prefixes = new ArrayList<>();
            List<String> texts = r.strings(m, key, path);
            for (int i = 0; i < texts.size(); i++) {
                try {
                    prefixes.add(AddressPrefix.parse(texts.get(i)));
                } catch (IllegalArgumentException e) {
                    r.problem(m.get(key), path + "." + key + "[" + i + "]", e.getMessage());
                }
            }
            return prefixes;
        }

        /**
         * {@code dns.dnstap-socket}: a collector's Unix socket, relative to the configuration file (the collector may
         * start later); not with {@code dnstap-file}. dnstap carries the query log's sample, so that must be on.
         */
        String dnstapSocket(Map<String, Node> m, int queryLogEvery) {
            String socket = r.string(m, "dnstap-socket", "dns", "");
            boolean file = !r.string(m, "dnstap-file", "dns", "").isEmpty();
            if (!socket.isEmpty() && file) {
                r.problem(m.get("dnstap-socket"), "dns.dnstap-socket", "give dnstap-file or dnstap-socket, not both");
            }
            if ((file || !socket.isEmpty()) && queryLogEvery == 0) {
                String key = file ? "dnstap-file" : "dnstap-socket";
                r.problem(m.get(key), "dns." + key, "dnstap writes the query log's sample: set dns.query-log-every "
                        + "(1 = every query)");
            }
            return socket.isEmpty() ? "" : base.resolve(socket).normalize().toString();
        }

        /** {@code dns.dnstap-file}: relative to the configuration file; its directory must exist. */
        String dnstapFile(Map<String, Node> m) {
            String file = r.string(m, "dnstap-file", "dns", "");
            if (file.isEmpty()) {
                return "";
            }
            Path path = base.resolve(file).normalize();
            if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
                r.problem(m.get("dnstap-file"), "dns.dnstap-file", "directory " + path.getParent() + " does not exist");
            }
            return path.toString();
        }

        /** {@code dns.identity}: NSID (RFC 5001) and CH TXT id.server/hostname.bind/version.bind (RFC 4892). */
        ServerIdentity identity(Node node) {
            Map<String, Node> m = node == null ? Map.of() : r.mapping(node, "dns.identity",
                    YamlReader.keys("nsid", "id-server", "version"));
            String nsid = r.string(m, "nsid", "dns.identity", "");
            String id = r.string(m, "id-server", "dns.identity", "");
            String version = r.string(m, "version", "dns.identity", "");
            try {
                return new ServerIdentity(nsid, id, version);
            } catch (IllegalArgumentException e) {
                String field = e.getMessage().substring(0, e.getMessage().indexOf(':'));
                r.problem(m.get(field), "dns.identity." + field, e.getMessage().substring(field.length() + 2));
                return ServerIdentity.NONE;
            }
        }

        /** {@code dns.cookies}: DNS Cookies (RFC 7873), off unless enabled; a secret is generated when none is set. */
        CookieSecrets cookies(Node node) {
            Map<String, Node> m = node == null ? Map.of() : r.mapping(node, "dns.cookies",
                    YamlReader.keys("enabled", "secret", "previous-secret"));
            boolean enabled = r.bool(m, "enabled", "dns.cookies", false);
            String secret = r.string(m, "secret", "dns.cookies", "");
            String previous = r.string(m, "previous-secret", "dns.cookies", "");
            boolean ok = true;
            for (String key : List.of("secret", "previous-secret")) {
                String problem = CookieSecrets.problem(key.equals("secret") ? secret : previous);
                if (problem != null) {
                    r.problem(m.get(key), "dns.cookies." + key, problem);
                    ok = false;
                }
            }
            return enabled && ok ? CookieSecrets.of(secret, previous) : CookieSecrets.OFF;
        }

        /** {@code dns.rrl}: response-rate limiting, off (rate 0) unless configured. */
        RrlSettings rrl(Node node) {
            Map<String, Node> m = node == null ? Map.of() : r.mapping(node, "dns.rrl", YamlReader.keys(
                    "responses-per-second", "slip", "window-seconds", "ipv4-prefix-length", "ipv6-prefix-length",
                    "exempt"));
            RrlSettings off = RrlSettings.OFF;
            int rate = r.integer(m, "responses-per-second", "dns.rrl", off.responsesPerSecond(), 0,
                    RrlSettings.MAX_RESPONSES_PER_SECOND);
            int slip = r.integer(m, "slip", "dns.rrl", off.slip(), 0, RrlSettings.MAX_SLIP);
            int window = r.integer(m, "window-seconds", "dns.rrl", off.windowSeconds(), 1,
                    RrlSettings.MAX_WINDOW_SECONDS);
            int v4 = r.integer(m, "ipv4-prefix-length", "dns.rrl", off.ipv4PrefixLength(), 1, 32);
            int v6 = r.integer(m, "ipv6-prefix-length", "dns.rrl", off.ipv6PrefixLength(), 1, 128);
            List<String> exempt = r.strings(m, "exempt", "dns.rrl");
            List<String> problems = RrlSettings.problems(rate, slip, window, v4, v6, exempt);
            if (!problems.isEmpty()) {
                for (String problem : problems) {
                    if (problem.startsWith("exempt")) {
                        // "exempt[1]: why": reported at the list, with the entry's index
                        int colon = problem.indexOf(':');
                        r.problem(m.get("exempt"), "dns.rrl." + problem.substring(0, colon),
                                problem.substring(colon + 2));
                    }
                }
                return off;
            }
            return new RrlSettings(rate, slip, window, v4, v6, exempt);
        }

        ApiConfig api(Node node) {
            Map<String, Node> m = node == null ? Map.of()
                    : r.mapping(node, "api", YamlReader.keys("listen", "tokens-file", "tls"));
            String listen = r.string(m, "listen", "api", "127.0.0.1:8080");
            int colon = listen.lastIndexOf(':');
            String host = colon > 0 ? listen.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                IpPrefix.parseAddress(host);
                port = Integer.parseInt(listen.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                r.problem(m.get("listen"), "api.listen", "'" + listen
                        + "' must be ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
                return new ApiConfig("127.0.0.1", 8080);
            }
            Optional<Path> tokensFile = r.optionalString(m, "tokens-file", "api").map(f -> base.resolve(f).normalize());
            ApiTokens tokens = ApiTokens.NONE;
            if (tokensFile.isPresent()) {
                try {
                    tokens = TokensFile.load(tokensFile.get());
                } catch (TokensFile.Invalid e) {
                    e.problems().forEach(p -> r.problem(m.get("tokens-file"), "api.tokens-file", p));
                }
            }
            Optional<ApiConfig.TlsConfig> tls = tls(m.get("tls"));
            ApiConfig api = new ApiConfig(host, port, tokensFile, tokens, tls);
            if (!api.loopback() && tokensFile.isEmpty() && !api.clientCertificatesRequired()) {
                // Safe by default: an API that changes the data plane is not offered to a network unguarded.
                r.problem(m.get("listen"), "api.listen", "'" + listen + "' is beyond loopback, but neither"
                        + " api.tokens-file nor api.tls.client-ca is set: anyone who reaches it could change the"
                        + " appliance. Set one of them, or listen on 127.0.0.1");
            }
            return api;
        }

        Optional<ApiConfig.TlsConfig> tls(Node node) {
            if (node == null) {
                return Optional.empty();
            }
            Map<String, Node> t = r.mapping(node, "api.tls", YamlReader.keys("certificate", "key", "client-ca"));
            String certificate = r.requiredString(t, "certificate", "api.tls", node);
            String key = r.requiredString(t, "key", "api.tls", node);
            Optional<String> clientCa = r.optionalString(t, "client-ca", "api.tls");
            for (String k : List.of("certificate", "key", "client-ca")) {
                Optional<String> f = k.equals("client-ca") ? clientCa : Optional.of(k.equals("key") ? key : certificate);
                f.filter(v -> !v.isEmpty()).map(v -> base.resolve(v).normalize())
                        .filter(p -> !Files.isReadable(p) || !Files.isRegularFile(p))
                        .ifPresent(p -> r.problem(t.get(k), "api.tls." + k, "'" + p + "' does not exist or is not readable"));
            }
            if (certificate.isEmpty() || key.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ApiConfig.TlsConfig(base.resolve(certificate).normalize(),
                    base.resolve(key).normalize(), clientCa.map(c -> base.resolve(c).normalize())));
        }

        JournalConfig journal(Node node) {
            Map<String, Node> m = node == null ? Map.of()
                    : r.mapping(node, "journal", YamlReader.keys("directory", "restore"));
            String directory = r.string(m, "directory", "journal", "/var/lib/isthmus/journal");
            if (directory.isEmpty()) {
                r.problem(m.get("directory"), "journal.directory", "must not be empty");
            }
            return new JournalConfig(base.resolve(directory).normalize(), r.bool(m, "restore", "journal", true));
        }

        String resolveZoneLocation(String file) {
            return file.startsWith(ZoneSource.CLASSPATH_PREFIX) ? file : base.resolve(file).normalize().toString();
        }

        static boolean zoneLocationExists(String location) {
            if (location.startsWith(ZoneSource.CLASSPATH_PREFIX)) {
                return ConfigLoader.class.getClassLoader()
                        .getResource(location.substring(ZoneSource.CLASSPATH_PREFIX.length())) != null;
            }
            return Files.isReadable(Path.of(location)) && Files.isRegularFile(Path.of(location));
        }
    }

    /** @return why {@code name} is not a valid domain name (RFC 1035 §2.3.4 sizes), or null when it is */
    public static String domainNameProblem(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) {
            return "the root zone cannot be served by this appliance";
        }
        if (n.length() > 253) {
            return "'" + name + "' is longer than 253 characters";
        }
        for (String label : n.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "'" + name + "' has an invalid label '" + label + "' (1-63 letters, digits, '-' or '_')";
            }
        }
        return null;
    }

    /** @return the origin in the form the appliance keys zones by: lower case, no trailing dot */
    public static String canonicalOrigin(String origin) {
        String n = origin.endsWith(".") ? origin.substring(0, origin.length() - 1) : origin;
        return n.toLowerCase(Locale.ROOT);
    }
}
