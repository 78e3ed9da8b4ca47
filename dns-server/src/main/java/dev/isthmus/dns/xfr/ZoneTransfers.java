package dev.isthmus.dns.xfr;

import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.ResourceRecord;
import java.util.List;

/**
 * The primary side of zone distribution, wired to a {@link ZoneCatalog} as its change listener: for every change
 * to a zone whose policy makes it transferable, the step goes into the {@link ZoneHistory} and NOTIFY to the zone's
 * targets; the {@link TransferResponder} it makes answers AXFR and IXFR from the same catalog, history and policies.
 * A zone without a policy costs nothing here (no history is computed for it).
 */
public final class ZoneTransfers implements ZoneCatalog.ChangeListener, AutoCloseable {
    private final ZoneCatalog catalog;
    private final ZoneHistory history;
    private final Notifier notifier;
    private final TransferCounters counters;
    private volatile TransferPolicies policies = TransferPolicies.NONE;
    /** While held, changes are recorded but not notified ({@link #hold()}, {@link #announce()}). */
    private volatile boolean held;

    /** Listens to {@code catalog} from now on. */
    public ZoneTransfers(ZoneCatalog catalog, ZoneHistory history, Notifier notifier, TransferCounters counters) {
        this.catalog = catalog;
        this.history = history;
        this.notifier = notifier;
        this.counters = counters;
        catalog.listener(this);
    }

    /** A primary with the default history bounds and a notifier on ordinary sockets. */
    public static ZoneTransfers of(ZoneCatalog catalog) {
        TransferCounters counters = new TransferCounters();
        return new ZoneTransfers(catalog, new ZoneHistory(), Notifier.standard(counters), counters);
    }

    /** Publishes new policies (one volatile write); a zone that stops being transferable forgets its history. */
    public void policies(TransferPolicies next) {
        TransferPolicies before = policies;
        policies = next;
        for (DnsName origin : before.zones().keySet()) {
            if (!next.transferable(origin)) {
                history.forget(origin);
            }
        }
    }

    public TransferPolicies policies() {
        return policies;
    }

    public ZoneHistory history() {
        return history;
    }

    public Notifier notifier() {
        return notifier;
    }

    public TransferCounters counters() {
        return counters;
    }

    /** @return a responder for the TCP transport, at most {@code messageLimit} octets per message */
    public TransferResponder responder(int messageLimit) {
        return new TransferResponder(catalog, history, this::policies, counters, messageLimit);
    }

    /**
     * The size AXFR and IXFR messages are cut to: 16 KiB, as NSD does. A compression pointer has 14 bits of offset
     * (RFC 1035 §4.1.4), so in a 64 KiB message the names written past 16 KiB cannot be pointed at and each later
     * record of the same owner is written out again: on a 200 000-name zone the 64 KiB messages came out 10% larger.
     */
    public static final int DEFAULT_MESSAGE_SIZE = 16384;

    /** @return a responder sending messages of up to {@link #DEFAULT_MESSAGE_SIZE} octets */
    public TransferResponder responder() {
        return responder(DEFAULT_MESSAGE_SIZE);
    }

    /**
     * Holds NOTIFY back (changes are still recorded): for start-up, when the zones are loaded before the path
     * NOTIFY leaves by (the exception path) exists.
     */
    public void hold() {
        held = true;
    }

    /** Ends {@link #hold()}: sends NOTIFY for every served zone that has targets, then one per change again. */
    public void announce() {
        held = false;
        for (DnsName origin : catalog.snapshot().zones().keySet()) {
            notifyNow(origin);
        }
    }

    /** Sends NOTIFY for the zone as it is served now to its targets (e.g. after its targets changed). */
    public void notifyNow(DnsName origin) {
        StoredZone zone = catalog.snapshot().zones().get(origin);
        List<java.net.InetSocketAddress> targets = policies.of(origin).notifyTargets();
        if (zone != null && !held && !targets.isEmpty()) {
            notifier.notify(origin, ZoneHistory.soa(zone.apexRecordList()), targets, policies.keyOf(origin));
        }
    }

    /** Stops listening to the catalog and sending NOTIFY. */
    @Override
    public void close() {
        catalog.listener(ZoneCatalog.ChangeListener.NONE);
        notifier.close();
    }

    @Override
    public void changed(DnsName origin, StoredZone before, StoredZone after, List<ResourceRecord> deletions,
                        List<ResourceRecord> additions) {
        TransferPolicies p = policies;
        if (!p.transferable(origin)) {
            history.forget(origin);
            return;
        }
        history.record(origin, before, after, deletions, additions);
        if (after != null && !held && !p.of(origin).notifyTargets().isEmpty()) {
            notifier.notify(origin, ZoneHistory.soa(after.apexRecordList()), p.of(origin).notifyTargets(),
                p.keyOf(origin));
        }
    }
}
