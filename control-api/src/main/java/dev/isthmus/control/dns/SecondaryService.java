package dev.isthmus.control.dns;

import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.SecondarySource;
import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.xfr.CatalogZone;
import dev.isthmus.dns.xfr.NotifyReceiver;
import dev.isthmus.dns.xfr.Primary;
import dev.isthmus.dns.xfr.Soa;
import dev.isthmus.dns.xfr.Transfer;
import dev.isthmus.dns.xfr.TransferException;
import dev.isthmus.dns.xfr.TransferLimits;
import dev.isthmus.dns.xfr.XfrClient;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import dev.isthmus.dns.zone.ZoneText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary zones: each is served from what its primaries transfer, kept up to date by the SOA timers of
 * RFC 1035 §4.3.5 (check the primary's serial every REFRESH seconds, every RETRY seconds after a failure, stop
 * answering — SERVFAIL — EXPIRE seconds after the last successful check) and by NOTIFY (RFC 1996), which starts a
 * check at once. A newer serial is fetched by IXFR (applied as one incremental change through
 * {@link ZoneCatalog#apply}) or AXFR (validated whole, then swapped in); a transfer that fails in any way changes
 * nothing and is reported as the zone's last error and in the journal.
 *
 * <p>The last good copy of each zone is kept on disk, in {@code secondary/} beside the journal's files, and served
 * at the next start before the first refresh. Defining, replacing and removing a secondary zone are journalled
 * changes ({@link ZoneService#SECONDARY}); transfers are journalled as events.
 *
 * <p>All refreshes run on one control-plane thread ({@code isthmus-xfr}) on kernel sockets, one at a time, so a
 * zone's state is only ever changed by that thread (REST reads a snapshot of it).
 */
public final class SecondaryService implements AutoCloseable, NotifyReceiver.Secondaries {

    private static final Logger LOG = LoggerFactory.getLogger(SecondaryService.class);
    /** Bounds on SOA timers, as NSD and Knot keep them: a zero REFRESH must not spin, a huge one not freeze. */
    static final long MIN_INTERVAL_SECONDS = 2;
    static final long MAX_INTERVAL_SECONDS = 86_400;
    /** Retry before the first copy, when there is no SOA to take RETRY from. */
    static final long FIRST_RETRY_SECONDS = 15;

    private final ZoneService zones;
    private final ZoneCatalog catalog;
    private final Journal journal;
    private final Clock clock;
    private final Path copies;
    private final TsigKeyring keys;
    private final XfrClient client;
    private final ScheduledExecutorService timer;
    private final Map<String, Secondary> secondaries = Collections.synchronizedMap(new TreeMap<>());
    /** The second of the last journalled NOTIFY refusal, and how many were refused since without an entry. */
    private final long[] refusals = new long[2];

    /**
     * @param copies the directory the last good copies are kept in (created when missing)
     * @param dialer where transfer sockets are opened (the appliance's exception-path namespace)
     */
    public SecondaryService(ZoneService zones, ZoneCatalog catalog, Journal journal, Clock clock, Path copies,
                            TsigKeyring keys, XfrClient.Dialer dialer, TransferLimits limits) {
        this.zones = zones;
        this.catalog = catalog;
        this.journal = journal;
        this.clock = clock;
        this.copies = copies;
        this.keys = keys;
        this.client = new XfrClient(dialer, limits, () -> clock.instant().getEpochSecond());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("isthmus-xfr")
                .daemon(true).unstarted(r));
    }

    /** The state of one secondary zone; changed only on the {@code isthmus-xfr} thread (or before it runs). */
    private final class Secondary {
        final String name;
        final DnsName origin;
        final List<Primary> primaries;
        final String keyName;
        final TsigKey key;
        final boolean catalog;
        /** The catalog zone that listed this zone (RFC 9432), which removes it when it stops listing it; or null. */
        final String owner;
        volatile Instant lastRefresh;
        volatile Instant lastSuccess;
        volatile Instant nextRefresh;
        volatile String lastTransfer;
        volatile String lastError;
        volatile boolean expired;
        volatile boolean removed;
        ScheduledFuture<?> scheduled;

        Secondary(String name, SecondaryJson.Definition d, String owner) {
            this.name = name;
            this.origin = DnsName.of(name);
            this.primaries = List.copyOf(d.primaries());
            this.keyName = d.key();
            this.key = keyName == null ? null : keys.find(DnsName.of(keyName));
            this.catalog = d.catalog();
            this.owner = owner;
        }
    }

    /**
     * Takes the configured secondary zones, then (when {@code restoreFromJournal}) the journal's secondary-zone
     * changes; serves each zone's copy from disk when there is one and schedules its first refresh now.
     *
     * @throws RejectedException when a configured key is unknown (the configuration reader checks it first)
     */
    public void start(List<SecondarySource> configured, boolean restoreFromJournal) {
        Map<String, SecondaryJson.Definition> wanted = new LinkedHashMap<>();
        Map<String, String> owners = new java.util.HashMap<>();
        for (SecondarySource s : configured) {
            wanted.put(s.origin(), new SecondaryJson.Definition(s.primaries(), s.key(), s.catalog()));
        }
        if (restoreFromJournal) {
            journal.replay(entry -> {
                if (entry.kind() != JournalEntry.Kind.CHANGE || !entry.subject().startsWith(ZoneService.SUBJECT_PREFIX)) {
                    return;
                }
                String name = entry.subject().substring(ZoneService.SUBJECT_PREFIX.length());
                switch (entry.action()) {
                    case ZoneService.SECONDARY -> {
                        try {
                            wanted.put(name, SecondaryJson.read(entry.value(), name));
                            owners.put(name, ownerOf(entry.actor()));
                        } catch (RejectedException e) {
                            journal.event(Actor.APPLIANCE, entry.subject(), "restore-failed",
                                    String.join("; ", e.problems()));
                        }
                    }
                    case "put", "delete" -> {
                        wanted.remove(name);
                        owners.remove(name);
                    }
                    default -> {
                        // a patch of a primary zone: not ours
                    }
                }
            });
        }
        for (Map.Entry<String, SecondaryJson.Definition> e : wanted.entrySet()) {
            Secondary s = new Secondary(e.getKey(), e.getValue(), owners.get(e.getKey()));
            if (s.keyName != null && s.key == null) {
                journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "restore-failed",
                        "no dns.tsig-keys entry named '" + s.keyName + "'");
                continue;
            }
            loadCopy(s);
            secondaries.put(s.name, s);
            schedule(s, Duration.ZERO);
        }
    }

    /** Serves the copy kept on disk, if any: its file time is when it was last known good (the expire timer). */
    private void loadCopy(Secondary s) {
        Path file = copyFile(s.name);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Zone zone = ZoneFileParser.load(s.origin, file);
            Instant savedAt = Files.getLastModifiedTime(file).toInstant();
            zones.installTransferred(s.name, zone, "secondary (copy on disk)");
            s.lastSuccess = savedAt;
            s.lastTransfer = "copy on disk, serial " + zone.serial();
            checkExpiry(s, Soa.of(zone.soa().rdata()));
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "loaded",
                    "copy on disk, serial " + zone.serial() + (s.expired ? ", expired" : ""));
        } catch (ZoneParseException | IOException | RuntimeException e) {
            s.lastError = "copy on disk unusable: " + e.getMessage();
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "load-failed", s.lastError);
        }
    }

    /**
     * Defines (or redefines) {@code name} as a secondary zone: journalled, then transferred at once. A zone served
     * from a file or REST text under that name stays served until the first transfer replaces it.
     *
     * @return the zone's status and whether it was not a secondary before
     * @throws RejectedException when the key is not configured
     */
    public Change define(String name, SecondaryJson.Definition definition, String actor) {
        if (definition.key() != null && keys.find(safeName(definition.key())) == null) {
            throw new RejectedException("secondary zone " + name + " rejected, nothing changed",
                    List.of("key: no dns.tsig-keys entry named '" + definition.key() + "'"));
        }
        Secondary s = new Secondary(name, definition, ownerOf(actor));
        Secondary before;
        synchronized (secondaries) {
            journal.change(actor, ZoneService.SUBJECT_PREFIX + name, ZoneService.SECONDARY,
                    SecondaryJson.write(definition));
            before = secondaries.put(name, s);
        }
        if (before != null) {
            before.removed = true;
            cancel(before);
        }
        boolean created = before == null && zones.zone(name).isEmpty();
        schedule(s, Duration.ZERO);
        return new Change(status(s), created);
    }

    /**
     * Stops following {@code name} (a REST put of zone text or a delete took it over); its copy on disk is removed.
     *
     * @return true when it was a secondary
     */
    public boolean forget(String name) {
        Secondary s = secondaries.remove(name);
        if (s == null) {
            return false;
        }
        s.removed = true;
        cancel(s);
        try {
            Files.deleteIfExists(copyFile(name));
        } catch (IOException e) {
            LOG.warn("cannot remove the copy of {}: {}", name, e.getMessage());
        }
        return true;
    }

    /** @return whether {@code name} is a secondary zone */
    public boolean isSecondary(String name) {
        return secondaries.containsKey(name);
    }

    /** @return the status of every secondary zone, by name */
    public Collection<SecondaryStatus> all() {
        List<Secondary> list;
        synchronized (secondaries) {
            list = new ArrayList<>(secondaries.values());
        }
        return list.stream().map(this::status).toList();
    }

    /** @return the status of {@code name} when it is a secondary zone */
    public Optional<SecondaryStatus> status(String name) {
        Secondary s = secondaries.get(name);
        return s == null ? Optional.empty() : Optional.of(status(s));
    }

    /**
     * Refreshes {@code name} now and waits (up to {@code wait}) for the outcome.
     *
     * @return the status after the refresh (or as it is when the wait ran out)
     * @throws NotFoundException when it is not a secondary zone
     */
    public SecondaryStatus refreshNow(String name, Duration wait) {
        Secondary s = secondaries.get(name);
        if (s == null) {
            throw new NotFoundException("zone " + name + " is not a secondary zone");
        }
        try {
            timer.submit(() -> refresh(s)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: the status says what is known
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("refresh of {} failed", name, e.getCause());
        }
        return status(s);
    }

    // ---- NotifyReceiver.Secondaries ----

    @Override
    public List<Primary> primaries(DnsName zone) {
        Secondary s = secondaries.get(nameOf(zone));
        return s == null ? null : s.primaries;
    }

    @Override
    public TsigKey key(DnsName zone) {
        Secondary s = secondaries.get(nameOf(zone));
        return s == null ? null : s.key;
    }

    @Override
    public void notified(DnsName zone, InetSocketAddress from) {
        Secondary s = secondaries.get(nameOf(zone));
        Instant due = s == null ? null : s.nextRefresh;
        if (s != null && (due == null || due.isAfter(clock.instant()))) {
            // RFC 1996 §3.11: as if the refresh timer had expired. A check already due is not started again, so a
            // burst of NOTIFY costs one SOA query.
            schedule(s, Duration.ZERO);
        }
    }

    @Override
    public void refused(DnsName zone, InetSocketAddress from, String reason) {
        // At most one journal entry a second, with the count of those left out: refused NOTIFY can come from anyone
        // (a spoofed source among them) and must not fill the journal's disk.
        long second = clock.millis() / 1000;
        synchronized (refusals) {
            if (refusals[0] == second) {
                refusals[1]++;
                return;
            }
            long suppressed = refusals[1];
            refusals[0] = second;
            refusals[1] = 0;
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + nameOf(zone), "notify-refused",
                    reason + " (from " + from.getAddress().getHostAddress() + ")"
                            + (suppressed > 0 ? "; " + suppressed + " more refused and not journalled" : ""));
        }
    }

    /** @return a NOTIFY handler for the kernel-socket transport */
    public NotifyReceiver notifyReceiver() {
        return new NotifyReceiver(this, keys, () -> clock.instant().getEpochSecond());
    }

    // ---- refresh ----

    private void schedule(Secondary s, Duration delay) {
        synchronized (s) {
            if (s.removed) {
                return;
            }
            if (s.scheduled != null) {
                s.scheduled.cancel(false);
            }
            s.nextRefresh = clock.instant().plus(delay);
            s.scheduled = timer.schedule(() -> refresh(s), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void cancel(Secondary s) {
        synchronized (s) {
            if (s.scheduled != null) {
                s.scheduled.cancel(false);
            }
        }
    }

    /** One check of the primaries, on the {@code isthmus-xfr} thread; never throws. */
    private void refresh(Secondary s) {
        if (s.removed) {
            return;
        }
        Instant now = clock.instant();
        s.lastRefresh = now;
        List<String> failures = new ArrayList<>();
        for (Primary primary : s.primaries) {
            try {
                Soa soa = refreshFrom(s, primary);
                s.lastSuccess = clock.instant();
                s.lastError = null;
                if (s.expired) {
                    s.expired = false;
                    catalog.expire(s.name, false);
                    journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "unexpired",
                            "a primary answered again");
                }
                schedule(s, Duration.ofSeconds(clamp(soa.refresh())));
                if (s.catalog) {
                    followCatalog(s);
                }
                return;
            } catch (TransferException | ZoneParseException | RuntimeException e) {
                failures.add(primary + ": " + message(e));
            }
        }
        s.lastError = String.join("; ", failures);
        journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "refresh-failed", s.lastError);
        Optional<ServedZone> served = zones.zone(s.name);
        long retry = FIRST_RETRY_SECONDS;
        if (served.isPresent()) {
            Soa soa = Soa.of(served.get().soa().rdata());
            retry = clamp(soa.retry());
            checkExpiry(s, soa);
        }
        schedule(s, Duration.ofSeconds(retry));
    }

    /** @return the primary's SOA after bringing our copy up to date with it */
    private Soa refreshFrom(Secondary s, Primary primary) throws TransferException, ZoneParseException {
        // Our copy, to IXFR from: only one that came from the primaries (a zone text served under the same name
        // before the first transfer is replaced whole).
        Optional<ServedZone> current = s.lastTransfer == null ? Optional.empty() : zones.zone(s.name);
        Soa remote = client.querySoa(primary, s.origin, s.key);
        if (current.isPresent() && !Soa.newer(remote.serial(), current.get().serial())) {
            if (remote.serial() != current.get().serial()) {
                // RFC 1982: an older serial at the primary is not a reason to go back; keep ours and say so.
                throw new TransferException("the primary's serial " + remote.serial() + " is older than ours ("
                        + current.get().serial() + "): kept ours");
            }
            return remote; // up to date
        }
        Transfer t = client.transfer(primary, s.origin, current.map(ServedZone::soa).orElse(null), s.key);
        String source = "secondary from " + primary;
        switch (t) {
            case Transfer.UpToDate u -> {
                return remote;
            }
            case Transfer.Full full -> install(s, full, source);
            case Transfer.Incremental inc -> {
                try {
                    ServedZone applied = zones.applyTransferred(s.name, inc.deletions(), inc.additions(), source);
                    saveCopy(s, applied.zone());
                } catch (ZoneParseException e) {
                    // The differences do not fit our copy (or break a zone rule): start again from the whole zone.
                    journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "ixfr-rejected",
                            inc.describe() + ": " + message(e) + "; falling back to AXFR");
                    t = client.axfr(primary, s.origin, current.get().serial(), s.key);
                    if (!(t instanceof Transfer.Full full)) {
                        throw new TransferException("AXFR after a rejected IXFR brought " + t.describe());
                    }
                    install(s, full, source);
                }
            }
        }
        s.lastTransfer = t.describe() + " from " + primary;
        journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "transferred", s.lastTransfer);
        ServedZone now = zones.zone(s.name).orElseThrow();
        return Soa.of(now.soa().rdata());
    }

    /** The journal actor of changes a catalog zone makes: its members are owned by it. */
    static final String CATALOG_ACTOR = "catalog ";

    private static String ownerOf(String actor) {
        return actor != null && actor.startsWith(CATALOG_ACTOR) ? actor.substring(CATALOG_ACTOR.length()) : null;
    }

    /**
     * RFC 9432: makes the member zones the catalog lists secondaries of the catalog's primaries (with its key), and
     * removes those it listed before and lists no more. Zones defined otherwise (configuration, REST) are left alone.
     */
    private void followCatalog(Secondary catalog) {
        ServedZone served = zones.zone(catalog.name).orElse(null);
        if (served == null) {
            return;
        }
        CatalogZone.Members members;
        try {
            members = CatalogZone.read(served.zone());
        } catch (IllegalArgumentException e) {
            catalog.lastError = e.getMessage();
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + catalog.name, "catalog-refused",
                    e.getMessage());
            return;
        }
        members.problems().forEach(p -> journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + catalog.name,
                "catalog-problem", p));
        String actor = CATALOG_ACTOR + catalog.name;
        java.util.Set<String> listed = new java.util.LinkedHashSet<>();
        for (DnsName member : members.members()) {
            String name = nameOf(member);
            if (ConfigLoader.domainNameProblem(name) != null || name.equals(catalog.name)) {
                continue;
            }
            listed.add(name);
            Secondary existing = secondaries.get(name);
            if (existing == null && zones.zone(name).isEmpty()) {
                define(name, new SecondaryJson.Definition(catalog.primaries, catalog.keyName, false), actor);
            }
        }
        List<Secondary> owned;
        synchronized (secondaries) {
            owned = secondaries.values().stream().filter(x -> catalog.name.equals(x.owner)).toList();
        }
        for (Secondary member : owned) {
            if (!listed.contains(member.name)) {
                forget(member.name);
                if (zones.zone(member.name).isPresent()) {
                    zones.delete(member.name, actor);
                } else {
                    zones.forgetSecondary(member.name, actor);
                }
            }
        }
    }

    private void install(Secondary s, Transfer.Full full, String source) throws ZoneParseException {
        // The whole zone validated as a zone file is (one SOA, CNAME rules, owners inside the zone...).
        List<ZoneError> sources = Collections.nCopies(full.records().size(), new ZoneError(s.name + " (transfer)", 0,
                ""));
        Zone zone = Zone.of(s.origin, full.records(), sources);
        zones.installTransferred(s.name, zone, source);
        saveCopy(s, zone);
    }

    private void checkExpiry(Secondary s, Soa soa) {
        Instant last = s.lastSuccess;
        if (last == null || s.expired) {
            return;
        }
        if (!clock.instant().isBefore(last.plusSeconds(soa.expire()))) {
            // RFC 1035 §4.3.5: past EXPIRE without a successful check, "the zone is no longer authoritative".
            s.expired = true;
            catalog.expire(s.name, true);
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "expired",
                    "no primary reached since " + last + " (SOA expire " + soa.expire() + " s): answering SERVFAIL");
        }
    }

    /** Writes the copy beside the old one, then moves it over: a crash leaves the old copy or the new one. */
    private void saveCopy(Secondary s, Zone zone) {
        Path file = copyFile(s.name);
        try {
            Files.createDirectories(copies);
            Path tmp = copies.resolve(s.name + ".zone.tmp");
            Files.writeString(tmp, ZoneText.render(zone), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            journal.event(Actor.APPLIANCE, ZoneService.SUBJECT_PREFIX + s.name, "save-failed", e.getMessage());
        }
    }

    private Path copyFile(String name) {
        return copies.resolve(name + ".zone");
    }

    private SecondaryStatus status(Secondary s) {
        Optional<ServedZone> served = zones.zone(s.name);
        return new SecondaryStatus(s.name, "secondary", s.primaries.stream().map(Primary::toString).toList(),
                s.keyName, served.map(ServedZone::serial).orElse(-1L),
                served.map(ServedZone::recordCount).orElse(0), s.lastRefresh, s.lastSuccess, s.nextRefresh,
                s.expired, s.lastTransfer, s.lastError);
    }

    private static long clamp(long seconds) {
        return Math.max(MIN_INTERVAL_SECONDS, Math.min(MAX_INTERVAL_SECONDS, seconds));
    }

    private static String message(Exception e) {
        if (e instanceof ZoneParseException z) {
            return "transferred zone rejected: " + z.errors().stream().map(ZoneError::toString).limit(5).toList();
        }
        return e.getMessage();
    }

    private static String nameOf(DnsName zone) {
        String text = zone.toString().toLowerCase(java.util.Locale.ROOT);
        return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
    }

    private static DnsName safeName(String name) {
        try {
            return DnsName.of(name);
        } catch (IllegalArgumentException e) {
            return DnsName.ROOT;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * The outcome of {@link #define}.
     *
     * @param status the zone's status now
     * @param created true when no zone of that name was served or followed before
     */
    public record Change(SecondaryStatus status, boolean created) {
    }
}
