package dev.isthmus.control.dns;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import java.util.Map;

/**
 * Where a new set of served zones goes to be answered from: the DNS engine's catalog, which the data plane reads
 * through one volatile load per burst. {@link #publish} is called with the complete new set and must make it
 * visible whole (one atomic swap), never zone by zone.
 */
@FunctionalInterface
public interface ZonePublisher {

    /** Puts {@code zones} in service in place of the previous set, atomically. */
    void publish(Map<DnsName, Zone> zones);
}
