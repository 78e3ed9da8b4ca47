package dev.isthmus.control.dns;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.dns.zone.ZoneChange;
import dev.isthmus.dns.zone.ZonePatch;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link ZonePatch}, as {@code PATCH /dns/zones/{name}} takes it and the journal keeps it:
 *
 * <pre>
 * {"changes": [{"op": "add", "name": "www", "type": "A", "ttl": 300, "data": "198.18.0.9"},
 *              {"op": "remove", "name": "old", "type": "AAAA"},
 *              {"op": "remove", "name": "x", "type": "A", "data": "1.2.3.4"}],
 *  "serial": "increment"}
 * </pre>
 *
 * A bare array is the same as {@code {"changes": [...]}}. {@code serial} is {@code "increment"} (the default),
 * {@code "keep"} or a number. Reading checks the shape only (fields, their JSON types, unknown fields, each
 * problem named by its path like {@code changes[1].ttl}); what the fields say is checked by the zone's
 * {@code ZonePatcher}.
 */
public final class ZonePatchJson {

    private static final Set<String> TOP_FIELDS = Set.of("changes", "serial");
    private static final List<String> CHANGE_FIELDS = List.of("op", "name", "type", "ttl", "data");
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private ZonePatchJson() {
    }

    /**
     * @return the patch {@code body} describes
     * @throws RejectedException with every problem of shape, each named by its JSON path; nothing changed then
     */
    public static ZonePatch read(String body, String zone) {
        JsonNode root;
        try {
            root = JSON.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("patch of zone " + zone + " rejected, nothing changed",
                    List.of("body: not JSON: " + firstLine(e.getMessage())));
        }
        List<String> problems = new ArrayList<>();
        JsonNode changes = null;
        ZonePatch.Serial serial = ZonePatch.Serial.INCREMENT;
        if (root != null && root.isArray()) {
            changes = root;
        } else if (root != null && root.isObject()) {
            for (Map.Entry<String, JsonNode> field : root.entries()) {
                if (!TOP_FIELDS.contains(field.getKey())) {
                    problems.add(field.getKey() + ": unknown field (a patch has changes and serial)");
                }
            }
            changes = root.get("changes");
            if (changes == null || !changes.isArray()) {
                problems.add("changes: required: a list of changes");
                changes = null;
            }
            JsonNode s = root.get("serial");
            if (s != null && !s.isNull()) {
                serial = serial(s, problems);
            }
        } else {
            problems.add("body: a JSON object {\"changes\": [...], \"serial\": \"increment\"} or a list of changes");
        }
        List<ZoneChange> list = new ArrayList<>();
        if (changes != null) {
            for (int i = 0; i < changes.size(); i++) {
                ZoneChange c = change(changes.get(i), "changes[" + i + "]", problems);
                list.add(c);
            }
        }
        if (!problems.isEmpty()) {
            throw new RejectedException("patch of zone " + zone + " rejected, nothing changed", problems);
        }
        return new ZonePatch(list, serial);
    }

    private static ZonePatch.Serial serial(JsonNode s, List<String> problems) {
        if (s.isString()) {
            switch (s.getStringValue().toLowerCase(Locale.ROOT)) {
                case "increment":
                    return ZonePatch.Serial.INCREMENT;
                case "keep":
                    return ZonePatch.Serial.KEEP;
                default:
                    break;
            }
        } else if (s.isNumber()) {
            try {
                return ZonePatch.Serial.exactly(s.getBigIntegerValue().longValueExact());
            } catch (ArithmeticException | IllegalArgumentException e) {
                // out of range: said below
            }
        }
        problems.add("serial: \"increment\", \"keep\" or a number 0 to 4294967295, not " + show(s));
        return ZonePatch.Serial.INCREMENT;
    }

    private static ZoneChange change(JsonNode node, String at, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(at + ": an object {\"op\": \"add\", \"name\": ..., \"type\": ..., \"ttl\": ..., \"data\": ...}");
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.entries()) {
            if (!CHANGE_FIELDS.contains(field.getKey())) {
                problems.add(at + "." + field.getKey() + ": unknown field (a change has " + String.join(", ", CHANGE_FIELDS) + ")");
            }
        }
        ZoneChange.Op op = null;
        String opText = text(node, "op", at, problems, false);
        if (opText == null) {
            if (node.get("op") == null) {
                problems.add(at + ".op: required: add or remove");
            }
        } else {
            switch (opText) {
                case "add" -> op = ZoneChange.Op.ADD;
                case "remove" -> op = ZoneChange.Op.REMOVE;
                default -> problems.add(at + ".op: add or remove, not '" + opText + "'");
            }
        }
        return new ZoneChange(op, text(node, "name", at, problems, false), text(node, "type", at, problems, false),
                text(node, "ttl", at, problems, true), text(node, "data", at, problems, false));
    }

    /** @return the field as text (a JSON string; for a TTL a whole number too), or null when absent or JSON null */
    private static String text(JsonNode node, String field, String at, List<String> problems, boolean numberToo) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return v.getStringValue();
        }
        if (numberToo && v.isNumber()) {
            try {
                return v.getBigDecimalValue().toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                // a fraction: said below
            }
        }
        problems.add(at + "." + field + ": " + (numberToo ? "a whole number of seconds or a string like \"1h\"" : "a string")
                + ", not " + show(v));
        return null;
    }

    /** @return the patch as JSON in the form {@link #read} takes, fields left out when null */
    public static String write(ZonePatch patch) {
        StringBuilder sb = new StringBuilder("{\"changes\":[");
        for (int i = 0; i < patch.changes().size(); i++) {
            ZoneChange c = patch.changes().get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"op\":").append(quote(c.op().wireName()));
            field(sb, "name", c.name());
            field(sb, "type", c.type());
            field(sb, "ttl", c.ttl());
            field(sb, "data", c.data());
            sb.append('}');
        }
        sb.append("],\"serial\":");
        sb.append(patch.serial() instanceof ZonePatch.Exactly e ? Long.toString(e.value()) : quote(patch.serial().wireName()));
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":").append(quote(value));
        }
    }

    /** RFC 8259 §7: a string with quote, backslash and control characters escaped. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** @return the value as JSON, as the client wrote it */
    private static String show(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            return v.coerceStringValue();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
