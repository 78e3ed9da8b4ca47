package dev.isthmus.control.dns;

import dev.isthmus.dns.rrl.RrlSettings;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Response-rate limiting in the API: the answer of {@code GET /dns/rrl}, the body of {@code PUT} and the value the
 * journal records. The fields are {@code dns.rrl}'s in the configuration file (see {@link RrlSettings}).
 *
 * @param responsesPerSecond responses per second per (client prefix, kind, name); 0 = off
 * @param slip every slip-th limited response is sent truncated (TC) instead of dropped; 0 = never
 * @param windowSeconds how long a prefix that flooded stays limited after slowing down, at most
 * @param ipv4PrefixLength IPv4 clients are accounted by this prefix
 * @param ipv6PrefixLength IPv6 clients are accounted by this prefix
 * @param exempt prefixes never limited
 */
@Serdeable
public record RrlView(int responsesPerSecond, int slip, int windowSeconds, int ipv4PrefixLength,
                      int ipv6PrefixLength, List<String> exempt) {

    public static RrlView of(RrlSettings s) {
        return new RrlView(s.responsesPerSecond(), s.slip(), s.windowSeconds(), s.ipv4PrefixLength(),
                s.ipv6PrefixLength(), s.exempt());
    }

    /** @throws IllegalArgumentException naming each field in error */
    public RrlSettings settings() {
        return new RrlSettings(responsesPerSecond, slip, windowSeconds, ipv4PrefixLength, ipv6PrefixLength,
                exempt == null ? List.of() : exempt);
    }
}
