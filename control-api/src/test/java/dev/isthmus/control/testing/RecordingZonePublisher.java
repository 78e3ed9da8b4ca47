package dev.isthmus.control.testing;

import dev.isthmus.control.dns.ZonePublisher;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every zone set published, so tests can check what reached the engine and that a refusal published nothing. */
@Singleton
public final class RecordingZonePublisher implements ZonePublisher {

    private final List<Map<DnsName, Zone>> published = new ArrayList<>();

    @Override
    public synchronized void publish(Map<DnsName, Zone> zones) {
        published.add(zones);
    }

    public synchronized int count() {
        return published.size();
    }

    public synchronized Map<DnsName, Zone> last() {
        return published.getLast();
    }
}
