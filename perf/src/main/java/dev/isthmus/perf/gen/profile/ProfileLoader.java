package dev.isthmus.perf.gen.profile;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a traffic profile (format in {@code docs/perf.md}, examples in {@code perf/profiles/}). Unknown keys are
 * errors, so a typo never falls back to a default; every problem is reported at once as {@code file:line: key:
 * message}.
 */
public final class ProfileLoader {

    /** Ethernet + IPv4 + UDP headers without the FCS, the smallest frame the generator builds. */
    private static final int FCS = 4;
    /** Largest frame (with FCS) that fits one mbuf of the default 2048-byte data room. */
    static final int MAX_FRAME = 2048;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,31}");
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(%|pps|kpps|mpps)",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Integer> TYPES = Map.ofEntries(Map.entry("A", 1), Map.entry("NS", 2),
            Map.entry("CNAME", 5), Map.entry("SOA", 6), Map.entry("PTR", 12), Map.entry("MX", 15),
            Map.entry("TXT", 16), Map.entry("AAAA", 28), Map.entry("SRV", 33), Map.entry("DS", 43),
            Map.entry("DNSKEY", 48), Map.entry("ANY", 255));
    private static final List<String> RCODES = List.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
            "REFUSED");
    /** Bytes a latency signature takes in the UDP payload (see {@code dev.isthmus.perf.gen.Signature}). */
    public static final int SIGNATURE_LENGTH = 18;

    private ProfileLoader() {
    }

    /** Loads a profile file; relative pcap paths are relative to the file's directory. */
    public static Profile load(Path file) throws ProfileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot be read: " + e);
        }
        Path parent = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, parent == null ? Path.of("") : parent);
    }

    /** Parses profile text; {@code source} names it in messages. */
    public static Profile parse(String source, String yaml, Path baseDirectory) throws ProfileException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ProfileException(source + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ProfileException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ProfileException(source + ":1: the profile is empty; it needs at least a ports list");
        }
        YamlNodes r = new YamlNodes(source);
        Profile profile = new Parser(r, source, baseDirectory).root(root);
        if (!r.problems().isEmpty()) {
            throw new ProfileException(r.problems());
        }
        return profile;
    }

    private static final class Parser {
        private final YamlNodes r;
        private final String source;
        private final Path base;
        private final Set<String> streamNames = new HashSet<>();
        private int nextStreamId;

        Parser(YamlNodes r, String source, Path base) {
            this.r = r;
            this.source = source;
            this.base = base;
        }

        Profile root(Node root) {
            Map<String, Node> top = r.mapping(root, "", YamlNodes.keys("eal", "lcores", "mbufs", "ports"));
            Profile.Eal eal = eal(top.get("eal"));
            int tx = -1;
            int rx = -1;
            if (top.get("lcores") != null) {
                Map<String, Node> m = r.mapping(top.get("lcores"), "lcores", YamlNodes.keys("tx", "rx"));
                tx = (int) r.number(m, "tx", "lcores", -1, -1, 127);
                rx = (int) r.number(m, "rx", "lcores", -1, -1, 127);
            }
            int mbufs = (int) r.number(top, "mbufs", "", 16383, 1023, 1 << 22);
            List<Node> portNodes = r.sequence(top, "ports", "");
            if (portNodes.isEmpty()) {
                r.problem(top.getOrDefault("ports", root), "ports", "at least one port is required");
            }
            List<Profile.Port> ports = new ArrayList<>();
            Set<String> portNames = new HashSet<>();
            for (int i = 0; i < portNodes.size(); i++) {
                Profile.Port p = port(portNodes.get(i), "ports[" + i + "]");
                if (p != null) {
                    if (!portNames.add(p.name())) {
                        r.problem(portNodes.get(i), "ports[" + i + "].name", "'" + p.name() + "' is given twice");
                    }
                    ports.add(p);
                }
            }
            return new Profile(source, eal, tx, rx, mbufs, ports);
        }

        Profile.Eal eal(Node node) {
            if (node == null) {
                return new Profile.Eal(false, 1024, null, List.of());
            }
            Map<String, Node> m = r.mapping(node, "eal", YamlNodes.keys("hugepages", "memory-mb", "file-prefix",
                    "extra-args"));
            boolean huge = r.bool(m, "hugepages", "eal", false);
            int memory = (int) r.number(m, "memory-mb", "eal", huge ? 0 : 1024, 0, 1 << 20);
            String prefix = r.optionalString(m, "file-prefix", "eal").orElse(null);
            if (prefix != null && !prefix.matches("[A-Za-z0-9_-]{1,32}")) {
                r.problem(m.get("file-prefix"), "eal.file-prefix", "must be letters, digits, _ or -");
                prefix = null;
            }
            return new Profile.Eal(huge, memory, prefix, r.strings(m, "extra-args", "eal"));
        }

        Profile.Port port(Node node, String path) {
            Map<String, Node> m = r.mapping(node, path, YamlNodes.keys("name", "device", "args", "streams"));
            String name = r.requiredString(m, "name", path, node);
            if (!name.isEmpty() && !NAME.matcher(name).matches()) {
                r.problem(m.get("name"), path + ".name", "must be a letter then letters, digits, _ . or -");
            }
            String device = r.requiredString(m, "device", path, node);
            String args = r.optionalString(m, "args", path).orElse("");
            if (!device.isEmpty() && !name.isEmpty()) {
                try {
                    dev.isthmus.dataplane.config.PortConfig.of(name, device, args); // the data plane's own checks
                } catch (IllegalArgumentException e) {
                    r.problem(m.get("device"), path + ".device", e.getMessage());
                }
            }
            List<Node> streamNodes = r.sequence(m, "streams", path);
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < streamNodes.size(); i++) {
                Stream s = stream(streamNodes.get(i), path + ".streams[" + i + "]", name);
                if (s != null) {
                    streams.add(s);
                }
            }
            return new Profile.Port(name, device, args, streams);
        }

        Stream stream(Node node, String path, String port) {
            Map<String, Node> m = r.mapping(node, path, YamlNodes.keys("name", "rate", "count", "latency", "vary",
                    "seed", "packet", "pcap"));
            String name = r.requiredString(m, "name", path, node);
            if (!name.isEmpty() && !streamNames.add(name)) {
                r.problem(m.get("name"), path + ".name", "'" + name + "' is given twice (stream names are unique)");
            }
            Rate rate = rate(m, path, node);
            long count = r.number(m, "count", path, 0, 0, Long.MAX_VALUE);
            boolean latency = r.bool(m, "latency", path, false);
            String vary = r.optionalString(m, "vary", path).orElse("increment");
            if (!vary.equals("increment") && !vary.equals("random")) {
                r.problem(m.get("vary"), path + ".vary", "must be increment or random, not '" + vary + "'");
            }
            long seed = r.number(m, "seed", path, 1, Long.MIN_VALUE, Long.MAX_VALUE);
            Node packet = m.get("packet");
            Node pcap = m.get("pcap");
            Template template = null;
            Path pcapPath = null;
            if ((packet == null) == (pcap == null)) {
                r.problem(node, path, "needs exactly one of packet (a generated stream) or pcap (a replay)");
            } else if (packet != null) {
                template = template(packet, path + ".packet", true);
                if (template != null && latency && template.innermost().isDns()) {
                    r.problem(m.get("latency"), path + ".latency", "DNS streams measure latency from their query IDs;"
                            + " leave latency out");
                    latency = false;
                }
                if (template != null && latency) {
                    Template in = template.innermost();
                    int room = in.size() - FCS - headerLength(in);
                    if (room < SIGNATURE_LENGTH) {
                        r.problem(m.get("latency"), path + ".latency", "the latency signature needs "
                                + SIGNATURE_LENGTH + " bytes of UDP payload; the frame of " + in.size()
                                + " bytes leaves " + room + " (make size at least " + (in.size() + SIGNATURE_LENGTH - room) + ")");
                    }
                }
            } else {
                String file = r.requiredString(m, "pcap", path, node);
                pcapPath = base.resolve(file);
                if (!file.isEmpty() && !Files.isReadable(pcapPath)) {
                    r.problem(pcap, path + ".pcap", "cannot read " + pcapPath);
                }
                if (latency) {
                    r.problem(m.get("latency"), path + ".latency", "a pcap replay carries no latency signature");
                    latency = false;
                }
            }
            return new Stream(nextStreamId++, name, port, rate, count, latency, template, pcapPath,
                    vary.equals("random"), seed);
        }

        Rate rate(Map<String, Node> m, String path, Node parent) {
            String text = r.requiredString(m, "rate", path, parent);
            if (text.isEmpty()) {
                return Rate.pps(1);
            }
            Matcher k = RATE.matcher(text);
            if (!k.matches()) {
                r.problem(m.get("rate"), path + ".rate", "must be a rate such as 10000pps, 250kpps, 1.5mpps or 10%, not '"
                        + text + "'");
                return Rate.pps(1);
            }
            double value = Double.parseDouble(k.group(1));
            String unit = k.group(2).toLowerCase(Locale.ROOT);
            if (unit.equals("%")) {
                if (value <= 0 || value > 100) {
                    r.problem(m.get("rate"), path + ".rate", "a share of the line rate must be above 0% and at most 100%");
                    return Rate.pps(1);
                }
                return Rate.percent(value);
            }
            double pps = value * switch (unit) {
                case "kpps" -> 1e3;
                case "mpps" -> 1e6;
                default -> 1;
            };
            if (pps < 1) {
                r.problem(m.get("rate"), path + ".rate", "must be at least 1 pps");
                return Rate.pps(1);
            }
            return Rate.pps(pps);
        }

        Template template(Node node, String path, boolean outer) {
            Map<String, Node> m = r.mapping(node, path, outer
                    ? YamlNodes.keys("eth", "vlan", "ipv4", "ipv6", "udp", "size", "dns", "vxlan")
                    : YamlNodes.keys("eth", "vlan", "ipv4", "ipv6", "udp", "size", "dns"));
            long srcMac = 0x02_00_00_00_00_01L;
            long dstMac = 0x02_00_00_00_00_02L;
            if (m.get("eth") != null) {
                Map<String, Node> e = r.mapping(m.get("eth"), path + ".eth", YamlNodes.keys("src", "dst"));
                srcMac = mac(e, "src", path + ".eth", srcMac);
                dstMac = mac(e, "dst", path + ".eth", dstMac);
            }
            int vlan = (int) r.number(m, "vlan", path, -1, 0, 4094);
            boolean v6 = m.get("ipv6") != null;
            if (v6 == (m.get("ipv4") != null)) {
                r.problem(node, path, "needs exactly one of ipv4 or ipv6");
            }
            Range src = Range.of(0);
            Range dst = Range.of(0);
            long srcHigh = 0;
            long dstHigh = 0;
            String ipKey = v6 ? "ipv6" : "ipv4";
            if (m.get(ipKey) != null) {
                Map<String, Node> ip = r.mapping(m.get(ipKey), path + "." + ipKey, YamlNodes.keys("src", "dst"));
                String ipPath = path + "." + ipKey;
                String s = r.requiredString(ip, "src", ipPath, m.get(ipKey));
                String d = r.requiredString(ip, "dst", ipPath, m.get(ipKey));
                if (v6) {
                    long[] a = ipv6Range(ip, "src", ipPath, s);
                    long[] b = ipv6Range(ip, "dst", ipPath, d);
                    srcHigh = a[0];
                    src = new Range(a[1], a[2]);
                    dstHigh = b[0];
                    dst = new Range(b[1], b[2]);
                } else {
                    src = ipv4Range(ip, "src", ipPath, s);
                    dst = ipv4Range(ip, "dst", ipPath, d);
                }
            }
            boolean vxlan = outer && m.get("vxlan") != null;
            List<Template.DnsQuery> queries = m.get("dns") == null ? List.of() : dns(m, path);
            Range srcPort = Range.of(vxlan ? 49152 : 1024);
            Range dstPort = Range.of(vxlan ? Template.VXLAN_PORT : queries.isEmpty() ? 9 : 53);
            if (m.get("udp") != null) {
                Map<String, Node> u = r.mapping(m.get("udp"), path + ".udp", YamlNodes.keys("src-port", "dst-port"));
                srcPort = portRange(u, "src-port", path + ".udp", srcPort);
                dstPort = portRange(u, "dst-port", path + ".udp", dstPort);
            }
            int headers = 14 + (vlan >= 0 ? 4 : 0) + (v6 ? 40 : 20) + 8;
            int size = (int) r.number(m, "size", path, Math.max(64, headers + FCS), 64, MAX_FRAME);
            if (m.get("size") != null && (vxlan || !queries.isEmpty())) {
                r.problem(m.get("size"), path + ".size", vxlan ? "a VxLAN frame's size follows from its inner frame"
                        : "a DNS query's size follows from its name");
            }
            if (size < headers + FCS) {
                r.problem(m.get("size"), path + ".size", "must be at least " + (headers + FCS) + " for these headers");
            }
            int vni = 0;
            Template inner = null;
            if (vxlan) {
                Map<String, Node> x = r.mapping(m.get("vxlan"), path + ".vxlan", YamlNodes.keys("vni", "inner"));
                vni = (int) r.number(x, "vni", path + ".vxlan", 1, 0, (1 << 24) - 1);
                if (x.get("inner") == null) {
                    r.problem(m.get("vxlan"), path + ".vxlan.inner", "is required (the encapsulated frame)");
                } else {
                    inner = template(x.get("inner"), path + ".vxlan.inner", false);
                }
                if (!queries.isEmpty()) {
                    r.problem(m.get("dns"), path + ".dns", "put DNS queries in vxlan.inner, not the outer frame");
                }
            }
            if (inner != null) {
                // RFC 7348 §5: outer headers, the 8-byte VxLAN header, then the inner frame without its FCS.
                size = headers + 8 + inner.size() - FCS + FCS;
            } else if (!queries.isEmpty()) {
                int longest = queries.stream().mapToInt(q -> q.name().length() + 2 + 4).max().orElse(0);
                size = Math.max(64, headers + 12 + longest + FCS);
            }
            return new Template(srcMac, dstMac, vlan, v6, src, dst, srcHigh, dstHigh, srcPort, dstPort, size,
                    queries, vni, inner);
        }

        List<Template.DnsQuery> dns(Map<String, Node> m, String path) {
            List<Node> items = r.sequence(m, "dns", path);
            List<Template.DnsQuery> out = new ArrayList<>();
            if (items.isEmpty()) {
                r.problem(m.get("dns"), path + ".dns", "needs at least one query");
            }
            for (int i = 0; i < items.size(); i++) {
                String p = path + ".dns[" + i + "]";
                Map<String, Node> q = r.mapping(items.get(i), p, YamlNodes.keys("name", "type", "weight", "rcode",
                        "answers"));
                String name = r.requiredString(q, "name", p, items.get(i));
                if (!name.isEmpty() && !validName(name)) {
                    r.problem(q.get("name"), p + ".name", "'" + name + "' is not a DNS name (labels of 1-63 bytes, "
                            + "255 in all)");
                }
                String typeText = r.optionalString(q, "type", p).orElse("A").toUpperCase(Locale.ROOT);
                Integer type = TYPES.get(typeText);
                if (type == null) {
                    try {
                        type = Integer.parseInt(typeText.startsWith("TYPE") ? typeText.substring(4) : typeText);
                    } catch (NumberFormatException e) {
                        r.problem(q.get("type"), p + ".type", "unknown type '" + typeText + "' (A, AAAA, MX, ... or TYPEn)");
                        type = 1;
                    }
                }
                int weight = (int) r.number(q, "weight", p, 1, 1, 1000);
                int rcode = -1;
                String rc = r.optionalString(q, "rcode", p).orElse(null);
                if (rc != null) {
                    rcode = RCODES.indexOf(rc.toUpperCase(Locale.ROOT));
                    if (rcode < 0) {
                        r.problem(q.get("rcode"), p + ".rcode", "must be one of " + String.join(", ", RCODES));
                    }
                }
                int answers = (int) r.number(q, "answers", p, -1, 0, 65535);
                out.add(new Template.DnsQuery(name.endsWith(".") ? name : name + ".", type, weight, rcode, answers));
            }
            return out;
        }

        long mac(Map<String, Node> m, String key, String path, long defaultValue) {
            return r.optionalString(m, key, path).map(text -> {
                try {
                    return MacAddress.parse(text).value();
                } catch (IllegalArgumentException e) {
                    r.problem(m.get(key), path + "." + key, "'" + text + "' is not a MAC address");
                    return defaultValue;
                }
            }).orElse(defaultValue);
        }

        Range ipv4Range(Map<String, Node> m, String key, String path, String text) {
            if (text.isEmpty()) {
                return Range.of(0);
            }
            String[] ends = text.split("-", 2);
            try {
                long first = Ipv4Address.parse(ends[0].strip()).value() & 0xFFFF_FFFFL;
                long last = ends.length == 1 ? first : Ipv4Address.parse(ends[1].strip()).value() & 0xFFFF_FFFFL;
                if (last < first) {
                    r.problem(m.get(key), path + "." + key, "the range ends before it starts");
                    return Range.of(first);
                }
                return new Range(first, last - first + 1);
            } catch (IllegalArgumentException e) {
                r.problem(m.get(key), path + "." + key, "'" + text + "' is not an IPv4 address or range A-B");
                return Range.of(0);
            }
        }

        /** {high, first low, span}: a range may only vary the low 64 bits. */
        long[] ipv6Range(Map<String, Node> m, String key, String path, String text) {
            if (text.isEmpty()) {
                return new long[] {0, 0, 1};
            }
            String[] ends = text.split("-", 2);
            try {
                Ipv6Address first = Ipv6Address.parse(ends[0].strip());
                Ipv6Address last = ends.length == 1 ? first : Ipv6Address.parse(ends[1].strip());
                if (last.high() != first.high() || Long.compareUnsigned(last.low(), first.low()) < 0
                        || last.low() - first.low() == -1L) {
                    r.problem(m.get(key), path + "." + key, "a range varies the low 64 bits only, upwards");
                    return new long[] {first.high(), first.low(), 1};
                }
                return new long[] {first.high(), first.low(), last.low() - first.low() + 1};
            } catch (IllegalArgumentException e) {
                r.problem(m.get(key), path + "." + key, "'" + text + "' is not an IPv6 address or range A-B");
                return new long[] {0, 0, 1};
            }
        }

        Range portRange(Map<String, Node> m, String key, String path, Range defaultValue) {
            return r.optionalString(m, key, path).map(text -> {
                String[] ends = text.split("-", 2);
                try {
                    int first = Integer.parseInt(ends[0].strip());
                    int last = ends.length == 1 ? first : Integer.parseInt(ends[1].strip());
                    if (first < 0 || last > 65535 || last < first) {
                        throw new NumberFormatException();
                    }
                    return new Range(first, last - first + 1);
                } catch (NumberFormatException e) {
                    r.problem(m.get(key), path + "." + key, "must be a port 0-65535 or a range A-B, not '" + text + "'");
                    return defaultValue;
                }
            }).orElse(defaultValue);
        }

        static boolean validName(String name) {
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (n.isEmpty() || n.length() > 253) {
                return false;
            }
            for (String label : n.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > 63 || !label.chars().allMatch(c -> c > 32 && c < 127)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Ethernet (with its tag), IP and UDP header bytes of a template's own frame. */
    public static int headerLength(Template t) {
        return 14 + (t.vlan() >= 0 ? 4 : 0) + (t.ipv6() ? 40 : 20) + 8;
    }
}
