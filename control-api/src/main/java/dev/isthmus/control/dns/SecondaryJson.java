package dev.isthmus.control.dns;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.dns.xfr.Primary;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a secondary zone's definition, as {@code PUT /dns/zones/{name}} takes it and the journal keeps it:
 * {@code {"primaries": ["198.18.0.1", "198.18.0.2@5353"], "key": "xfr"}} ({@code key} optional, naming a
 * {@code dns.tsig-keys} entry). Unknown fields are refused by name.
 */
public final class SecondaryJson {
    private static final Set<String> FIELDS = Set.of("primaries", "key");
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private SecondaryJson() {
    }

    /** A secondary zone's definition. */
    public record Definition(List<Primary> primaries, String key) {
    }

    /** @throws RejectedException with every problem, named by field; nothing changed then */
    public static Definition read(String body, String zone) {
        JsonNode root;
        try {
            root = JSON.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("secondary zone " + zone + " rejected, nothing changed",
                    List.of("body: not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        }
        List<String> problems = new ArrayList<>();
        List<Primary> primaries = new ArrayList<>();
        String key = null;
        if (root == null || !root.isObject()) {
            problems.add("body: a JSON object {\"primaries\": [\"198.18.0.1\"], \"key\": \"xfr\"}");
        } else {
            for (Map.Entry<String, JsonNode> field : root.entries()) {
                if (!FIELDS.contains(field.getKey())) {
                    problems.add(field.getKey() + ": unknown field (a secondary zone has primaries and key)");
                }
            }
            JsonNode list = root.get("primaries");
            if (list == null || !list.isArray() || list.size() == 0) {
                problems.add("primaries: required: a list of addresses (addr or addr@port)");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    JsonNode item = list.get(i);
                    if (item == null || !item.isString()) {
                        problems.add("primaries[" + i + "]: must be a string");
                        continue;
                    }
                    try {
                        primaries.add(Primary.parse(item.getStringValue()));
                    } catch (IllegalArgumentException e) {
                        problems.add("primaries[" + i + "]: " + e.getMessage());
                    }
                }
            }
            JsonNode k = root.get("key");
            if (k != null && !k.isNull()) {
                if (!k.isString() || k.getStringValue().isBlank()) {
                    problems.add("key: must be the name of a dns.tsig-keys entry");
                } else {
                    key = k.getStringValue();
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RejectedException("secondary zone " + zone + " rejected, nothing changed", problems);
        }
        return new Definition(primaries, key);
    }

    /** @return the journal's form of a definition */
    public static String write(Definition d) {
        StringBuilder sb = new StringBuilder("{\"primaries\": [");
        for (int i = 0; i < d.primaries().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(d.primaries().get(i)).append('"');
        }
        sb.append(']');
        if (d.key() != null) {
            sb.append(", \"key\": \"").append(d.key().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
