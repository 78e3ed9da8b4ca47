package dev.isthmus.control.config;

import dev.isthmus.dns.xfr.TransferPolicy;
import dev.isthmus.dns.xfr.ZoneHistory;
import java.util.Map;

/**
 * Zone transfers to secondaries, as configured: {@code dns.allow-transfer} (the prefixes allowed for a zone that
 * lists none), each zone's {@code allow-transfer}, {@code notify} and {@code key}, and {@code dns.ixfr-history}
 * (how many versions and records of differences each transferable zone keeps for IXFR).
 *
 * @param global the global {@code allow-transfer} (its {@code notifyTargets} and {@code key} are empty)
 * @param zones each zone's policy by origin (lower case, no trailing dot); zones without one are absent
 * @param historyVersions versions of differences kept per zone
 * @param historyRecords records of differences kept per zone
 */
public record TransferConfig(TransferPolicy global, Map<String, TransferPolicy> zones, int historyVersions,
                             int historyRecords) {
    /** Nothing transferable: the default. */
    public static final TransferConfig NONE = new TransferConfig(TransferPolicy.NONE, Map.of(),
            ZoneHistory.DEFAULT_VERSIONS, ZoneHistory.DEFAULT_RECORDS);

    public TransferConfig {
        zones = Map.copyOf(zones);
    }
}
