package dev.isthmus.control.config;

import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.xfr.Primary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code dns.tsig-keys} (RFC 8945 keys: name, algorithm, base64 secret) and the {@code primaries}/{@code key}
 * fields of a {@code dns.zones} entry that makes the zone a secondary, each problem with its line.
 */
final class SecondarySectionReader {
    private final YamlReader r;

    SecondarySectionReader(YamlReader r) {
        this.r = r;
    }

    TsigKeyring tsigKeys(Map<String, Node> dns) {
        List<TsigKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> items = r.sequence(dns, "tsig-keys", "dns");
        for (int i = 0; i < items.size(); i++) {
            String path = "dns.tsig-keys[" + i + "]";
            Map<String, Node> k = r.mapping(items.get(i), path, YamlReader.keys("name", "algorithm", "secret"));
            String name = r.requiredString(k, "name", path, items.get(i));
            String algorithm = r.requiredString(k, "algorithm", path, items.get(i));
            String secret = r.requiredString(k, "secret", path, items.get(i));
            if (name == null || name.isEmpty() || algorithm == null || algorithm.isEmpty() || secret == null
                    || secret.isEmpty()) {
                continue;
            }
            try {
                TsigKey key = TsigKey.parse(name, algorithm, secret);
                if (!names.add(key.name().toString())) {
                    r.problem(k.get("name"), path + ".name", "key '" + name + "' is defined twice");
                    continue;
                }
                keys.add(key);
            } catch (IllegalArgumentException e) {
                String field = e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
                r.problem(k.getOrDefault(field, items.get(i)), path + "." + field,
                        e.getMessage().substring(field.length() + 2));
            }
        }
        return new TsigKeyring(keys);
    }

    /** @return the secondary zone an entry with {@code primaries} describes, or null when it is not valid */
    SecondarySource secondary(Map<String, Node> z, String path, String origin, TsigKeyring keys, Node item) {
        if (z.containsKey("file")) {
            r.problem(z.get("file"), path + ".file", "a zone has a file or primaries, not both");
        }
        List<String> texts = r.strings(z, "primaries", path);
        if (texts.isEmpty()) {
            r.problem(z.getOrDefault("primaries", item), path + ".primaries", "needs at least one primary");
        }
        List<Primary> primaries = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                primaries.add(Primary.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                r.problem(z.get("primaries"), path + ".primaries[" + i + "]", e.getMessage());
            }
        }
        String key = r.optionalString(z, "key", path).orElse(null);
        if (key != null && keyNamed(keys, key) == null) {
            r.problem(z.get("key"), path + ".key", "no dns.tsig-keys entry named '" + key + "'");
        }
        return new SecondarySource(origin, primaries, key);
    }

    /** @return the key called {@code name} (with or without the trailing dot, any case), or null */
    static TsigKey keyNamed(TsigKeyring keys, String name) {
        try {
            return keys.find(dev.isthmus.dns.wire.DnsName.of(name));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
