package dev.isthmus.control.config;

import dev.isthmus.dns.xfr.Primary;
import java.util.List;

/**
 * A secondary zone: served from what its primaries transfer (IXFR/AXFR), not from a file.
 *
 * @param origin the zone's apex, lower case without the trailing dot
 * @param primaries where to transfer it from, tried in order; NOTIFY is accepted from these addresses only
 * @param key the name of the {@code dns.tsig-keys} entry that signs transfers and NOTIFY, or null for none
 */
public record SecondarySource(String origin, List<Primary> primaries, String key) {

    public SecondarySource {
        primaries = List.copyOf(primaries);
    }
}
