package dev.isthmus.control.dns;

import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.dns.xfr.AddressPrefix;
import dev.isthmus.dns.xfr.TransferPolicy;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a zone's transfer policy, as {@code PUT /dns/zones/{name}/transfer} takes it and the journal
 * keeps it:
 *
 * <pre>
 * {"allowTransfer": ["198.18.0.0/24"], "notify": ["198.18.0.2@53"], "key": null}
 * </pre>
 *
 * {@code allow-transfer} is accepted for {@code allowTransfer} (the configuration file's spelling). Every field is
 * optional (absent: empty); unknown fields and bad entries are refused, each named ({@code notify[1]: ...}).
 */
public final class TransferJson {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private TransferJson() {
    }

    /** @throws RejectedException with every problem, each named by its field; nothing changed then */
    public static TransferPolicy read(String body, String zone) {
        String what = "transfer policy of zone " + zone + " rejected, nothing changed";
        JsonNode root;
        try {
            root = JSON.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException(what, List.of("body: not JSON: " + String.valueOf(e.getMessage()).lines()
                    .findFirst().orElse("")));
        }
        if (root == null || !root.isObject()) {
            throw new RejectedException(what, List.of("body: a JSON object {\"allowTransfer\": [...], \"notify\": "
                    + "[...], \"key\": null}"));
        }
        List<String> problems = new ArrayList<>();
        List<AddressPrefix> allow = new ArrayList<>();
        List<InetSocketAddress> notify = new ArrayList<>();
        String key = null;
        for (Map.Entry<String, JsonNode> field : root.entries()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            switch (name) {
                case "allowTransfer", "allow-transfer" -> strings(v, name, problems).forEach((i, s) -> {
                    try {
                        allow.add(AddressPrefix.parse(s));
                    } catch (IllegalArgumentException e) {
                        problems.add(name + "[" + i + "]: " + e.getMessage());
                    }
                });
                case "notify" -> strings(v, name, problems).forEach((i, s) -> {
                    try {
                        notify.add(TransferPolicy.parseTarget(s));
                    } catch (IllegalArgumentException e) {
                        problems.add(name + "[" + i + "]: " + e.getMessage());
                    }
                });
                case "key" -> {
                    if (v != null && !v.isNull()) {
                        if (!v.isString() || v.getStringValue().isBlank()) {
                            problems.add("key: a TSIG key name (a string) or null");
                        } else if (ConfigLoader.domainNameProblem(v.getStringValue()) != null) {
                            problems.add("key: a TSIG key name must be a domain name: "
                                    + ConfigLoader.domainNameProblem(v.getStringValue()));
                        } else {
                            key = v.getStringValue().toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
                        }
                    }
                }
                default -> problems.add(name + ": unknown field (a transfer policy has allowTransfer, notify, key)");
            }
        }
        if (!problems.isEmpty()) {
            throw new RejectedException(what, problems);
        }
        return new TransferPolicy(allow, notify, key);
    }

    private static Map<Integer, String> strings(JsonNode v, String name, List<String> problems) {
        Map<Integer, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problems.add(name + ": a list of strings");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e == null || !e.isString()) {
                problems.add(name + "[" + i + "]: a string");
            } else {
                out.put(i, e.getStringValue());
            }
        }
        return out;
    }

    /** @return the policy in the form {@link #read} takes */
    public static String write(TransferPolicy p) {
        StringBuilder b = new StringBuilder("{\"allowTransfer\":[");
        for (int i = 0; i < p.allowTransfer().size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(p.allowTransfer().get(i)).append('"');
        }
        b.append("],\"notify\":[");
        for (int i = 0; i < p.notifyTargets().size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(TransferPolicy.targetText(p.notifyTargets().get(i)))
                    .append('"');
        }
        b.append("],\"key\":").append(p.key() == null ? "null" : "\"" + p.key() + "\"").append('}');
        return b.toString();
    }
}
