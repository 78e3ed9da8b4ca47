package dev.isthmus.control.dns;

import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlSettings;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Response-rate limiting as the control plane manages it: the configuration file's {@code dns.rrl} at start, the
 * journal's last change on top of it when restoring, {@code PUT /dns/rrl} at any time. Each change is validated
 * whole (every problem named by its field) and published to the lcores by {@link RrlControl} in one volatile
 * write, then journalled with the full new settings.
 */
public final class RrlService {

    /** Journal subject of rate-limiting changes. */
    public static final String SUBJECT = "dns.rrl";

    private static final Set<String> FIELDS = Set.of("responsesPerSecond", "slip", "windowSeconds",
            "ipv4PrefixLength", "ipv6PrefixLength", "exempt");

    private final RrlControl control;
    private final Journal journal;
    private final ObjectMapper json;
    private final Object changeLock = new Object();

    public RrlService(RrlControl control, Journal journal, ObjectMapper json) {
        this.control = control;
        this.journal = journal;
        this.json = json;
    }

    /** @return the settings in force */
    public RrlView get() {
        return RrlView.of(control.settings());
    }

    /**
     * Replaces the settings. Fields left out keep their current values; unknown fields and bad values refuse the
     * whole change.
     *
     * @throws RejectedException (400) naming every field in error; nothing changed
     */
    public RrlView put(Map<String, Object> body, String actor) {
        synchronized (changeLock) {
            RrlView current = get();
            List<String> problems = new ArrayList<>();
            for (String key : body.keySet()) {
                if (!FIELDS.contains(key)) {
                    problems.add(key + ": unknown field (expected one of " + String.join(", ", FIELDS.stream().sorted()
                            .toList()) + ")");
                }
            }
            int rate = integer(body, "responsesPerSecond", current.responsesPerSecond(), problems);
            int slip = integer(body, "slip", current.slip(), problems);
            int window = integer(body, "windowSeconds", current.windowSeconds(), problems);
            int v4 = integer(body, "ipv4PrefixLength", current.ipv4PrefixLength(), problems);
            int v6 = integer(body, "ipv6PrefixLength", current.ipv6PrefixLength(), problems);
            List<String> exempt = current.exempt();
            Object e = body.get("exempt");
            if (body.containsKey("exempt")) {
                if (e instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
                    exempt = list.stream().map(String.class::cast).toList();
                } else {
                    problems.add("exempt: must be a list of prefixes like \"198.18.0.0/30\"");
                }
            }
            if (problems.isEmpty()) {
                // RrlSettings names fields as the configuration file does; the API's names are the JSON ones.
                for (String p : RrlSettings.problems(rate, slip, window, v4, v6, exempt)) {
                    problems.add(jsonName(p));
                }
            }
            if (!problems.isEmpty()) {
                throw new RejectedException("rate-limiting settings refused; nothing changed", problems);
            }
            RrlSettings settings = new RrlSettings(rate, slip, window, v4, v6, exempt);
            control.set(settings);
            RrlView after = RrlView.of(settings);
            journal.change(actor, SUBJECT, "put", write(after));
            return after;
        }
    }

    /** Applies the journal's last rate-limiting change, if any (at start, after the configuration's). */
    public void restore() {
        AtomicReference<JournalEntry> last = new AtomicReference<>();
        journal.replay(entry -> {
            if (entry.kind() == JournalEntry.Kind.CHANGE && entry.subject().equals(SUBJECT)) {
                last.set(entry);
            }
        });
        JournalEntry entry = last.get();
        if (entry == null) {
            return;
        }
        try {
            control.set(json.readValue(entry.value(), RrlView.class).settings());
            journal.event(Actor.APPLIANCE, SUBJECT, "restored", entry.value());
        } catch (IOException | RuntimeException e) {
            journal.event(Actor.APPLIANCE, SUBJECT, "restore-failed", String.valueOf(e.getMessage()));
        }
    }

    private static int integer(Map<String, Object> body, String field, int current, List<String> problems) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object v = body.get(field);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        problems.add(field + ": must be an integer, got " + v);
        return current;
    }

    private static final Map<String, String> JSON_NAMES = new LinkedHashMap<>();

    static {
        JSON_NAMES.put("responses-per-second", "responsesPerSecond");
        JSON_NAMES.put("window-seconds", "windowSeconds");
        JSON_NAMES.put("ipv4-prefix-length", "ipv4PrefixLength");
        JSON_NAMES.put("ipv6-prefix-length", "ipv6PrefixLength");
    }

    private static String jsonName(String problem) {
        for (Map.Entry<String, String> e : JSON_NAMES.entrySet()) {
            if (problem.startsWith(e.getKey() + ":")) {
                return e.getValue() + problem.substring(e.getKey().length());
            }
        }
        return problem;
    }

    private String write(RrlView view) {
        try {
            return json.writeValueAsString(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
