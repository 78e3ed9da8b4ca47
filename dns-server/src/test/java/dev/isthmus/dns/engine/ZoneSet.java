package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable set of served zones, found by longest match on the query name (RFC 1034 §4.3.2 step 2). */
final class ZoneSet {
    private final Map<DnsName, Zone> byOrigin;

    ZoneSet(Map<DnsName, Zone> byOrigin) {
        this.byOrigin = Collections.unmodifiableMap(new LinkedHashMap<>(byOrigin));
    }

    /** @return the zone with the longest origin that contains {@code name}, or null */
    Zone find(DnsName name) {
        DnsName n = name;
        while (true) {
            Zone z = byOrigin.get(n);
            if (z != null) {
                return z;
            }
            if (n.isRoot()) {
                return null;
            }
            n = n.parent();
        }
    }

    Zone get(DnsName origin) {
        return byOrigin.get(origin);
    }

    Collection<Zone> zones() {
        return byOrigin.values();
    }

    Map<DnsName, Zone> asMap() {
        return byOrigin;
    }
}
