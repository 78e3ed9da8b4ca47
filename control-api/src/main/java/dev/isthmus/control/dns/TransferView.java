package dev.isthmus.control.dns;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A zone's transfer policy in the API: the answer of {@code GET /dns/zones/{name}/transfer}, and (its first three
 * fields) the body of {@code PUT} and the value the journal records.
 *
 * @param allowTransfer the prefixes AXFR and IXFR may come from (empty: the global {@code dns.allow-transfer})
 * @param notifyTargets where NOTIFY goes (JSON {@code notify}) after each change, {@code addr@port}
 * @param key the TSIG key transfers must be signed with, or null
 * @param source {@code config} (the configuration file), {@code rest} (set over the API) or {@code none}
 * @param historyVersions versions of differences held for IXFR now
 * @param oldestSerial the oldest serial an IXFR can start from, or -1 (every IXFR then gets the whole zone)
 * @param notifyOutcomes the last outcome of NOTIFY per target
 */
@Serdeable
public record TransferView(List<String> allowTransfer, @JsonProperty("notify") List<String> notifyTargets, String key, String source,
                           int historyVersions, long oldestSerial, List<String> notifyOutcomes) {
}
