package dev.isthmus.control.anycast;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * What the anycast side is doing: shown by {@code GET /anycast}, in {@code /health} and as Prometheus gauges.
 *
 * @param daemon     the routing daemon, and whether it runs ({@code bird running}, {@code bird stopped})
 * @param announcing true while the service prefixes are announced
 * @param prefixes   the service prefixes
 * @param sessions   each BGP peer's session state as the daemon reports it, e.g. {@code 198.18.0.1 AS64500 ->
 *                   up Established}
 * @param withheld   why the prefixes are not announced now (the appliance's health problems); empty when announcing
 */
@Serdeable
public record AnycastStatus(String daemon, boolean announcing, List<String> prefixes, Map<String, String> sessions,
        List<String> withheld) {

    public AnycastStatus {
        prefixes = List.copyOf(prefixes);
        sessions = Map.copyOf(sessions);
        withheld = List.copyOf(withheld);
    }

    /** True when the session with that peer (a key of {@link #sessions}) is established. */
    public boolean established(String peer) {
        return sessions.getOrDefault(peer, "").endsWith("Established");
    }
}
