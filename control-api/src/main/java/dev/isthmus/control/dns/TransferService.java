package dev.isthmus.control.dns;

import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.config.TransferConfig;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.xfr.TransferPolicies;
import dev.isthmus.dns.xfr.TransferPolicy;
import dev.isthmus.dns.xfr.ZoneTransfers;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who may transfer each zone and whom to NOTIFY, as the control plane manages it: the configuration file's
 * {@code dns.allow-transfer} and {@code dns.zones[]} policies, overridden per zone over REST
 * ({@code PUT /dns/zones/{name}/transfer}) — journalled under {@code dns.transfer/NAME} and restored at start
 * like zone changes. Each change publishes a new {@link TransferPolicies} to {@link ZoneTransfers} with one
 * volatile write; the transfers answered on the exception path's TCP read it per transfer.
 *
 * <p>Call {@link #start} before the zones are put in service, so their first versions are already notified and
 * their history kept.
 */
public final class TransferService {

    /** Journal subject prefix of transfer-policy changes: {@code dns.transfer/example.test}. */
    public static final String SUBJECT_PREFIX = "dns.transfer/";

    private final ZoneTransfers transfers;
    private final Journal journal;
    private final Object changeLock = new Object();
    private TransferPolicy global = TransferPolicy.NONE;
    private TsigKeyring keys = TsigKeyring.EMPTY;
    private Map<String, TransferPolicy> configured = Map.of();
    private final Map<String, TransferPolicy> overrides = new HashMap<>();

    public TransferService(ZoneTransfers transfers, Journal journal) {
        this.transfers = transfers;
        this.journal = journal;
    }

    /**
     * Takes the configured policies and, when {@code restoreFromJournal}, the last REST change per zone. NOTIFY is
     * held back until {@link #announce()}.
     */
    public void start(TransferConfig config, TsigKeyring tsigKeys, boolean restoreFromJournal) {
        synchronized (changeLock) {
            transfers.hold();
            keys = tsigKeys;
            global = config.global();
            configured = config.zones();
            if (restoreFromJournal) {
                journal.replay(entry -> {
                    if (entry.kind() == JournalEntry.Kind.CHANGE && entry.subject().startsWith(SUBJECT_PREFIX)) {
                        String name = entry.subject().substring(SUBJECT_PREFIX.length());
                        if (entry.action().equals("delete")) {
                            overrides.remove(name);
                        } else {
                            try {
                                overrides.put(name, TransferJson.read(entry.value(), name));
                            } catch (RejectedException e) {
                                journal.event(Actor.APPLIANCE, entry.subject(), "restore-failed",
                                        e.getMessage() + ": " + String.join("; ", e.problems()));
                            }
                        }
                    }
                });
            }
            publish();
        }
    }

    /** Sends NOTIFY for every zone with targets, and from now on for each change (after the data plane started). */
    public void announce() {
        transfers.announce();
    }

    /** @return the zone's policy and what the primary holds for it */
    public TransferView get(String name) {
        String canonical = canonicalName(name);
        synchronized (changeLock) {
            return view(canonical);
        }
    }

    /**
     * Replaces the zone's policy (the configured one is overridden until {@link #delete}), journals it, publishes
     * it, and sends NOTIFY to its targets (a new secondary learns of the zone at once).
     *
     * @throws RejectedException naming each bad field; nothing changed then
     */
    public TransferView put(String name, String body, String actor) {
        String canonical = canonicalName(name);
        TransferPolicy policy = TransferJson.read(body, canonical);
        synchronized (changeLock) {
            if (policy.key() != null && keys.find(DnsName.of(policy.key())) == null) {
                throw new RejectedException("transfer policy of zone " + canonical + " rejected, nothing changed",
                        List.of("key: no TSIG key '" + policy.key() + "' in dns.tsig-keys"));
            }
            journal.change(actor, SUBJECT_PREFIX + canonical, "put", TransferJson.write(policy));
            overrides.put(canonical, policy);
            publish();
            transfers.notifyNow(DnsName.of(canonical));
            return view(canonical);
        }
    }

    /** Drops the REST override: the zone goes back to its configured policy (or none). */
    public TransferView delete(String name, String actor) {
        String canonical = canonicalName(name);
        synchronized (changeLock) {
            if (overrides.containsKey(canonical)) {
                journal.change(actor, SUBJECT_PREFIX + canonical, "delete", "");
                overrides.remove(canonical);
                publish();
            }
            return view(canonical);
        }
    }

    /** @return the primary's counters (transfers by kind, refusals, NOTIFY) */
    public Map<String, Long> counters() {
        return transfers.counters().snapshot();
    }

    private TransferView view(String canonical) {
        TransferPolicy p = effective(canonical);
        String source = overrides.containsKey(canonical) ? "rest" : configured.containsKey(canonical) ? "config"
                : "none";
        DnsName origin = DnsName.of(canonical);
        String prefix = origin + " ";
        List<String> outcomes = transfers.notifier().outcomes().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(e -> e.getKey().substring(prefix.length()) + ": " + e.getValue()).sorted().toList();
        return new TransferView(p.allowTransfer().stream().map(Object::toString).toList(),
                p.notifyTargets().stream().map(TransferPolicy::targetText).toList(), p.key(), source,
                transfers.history().versions(origin), transfers.history().oldestSerial(origin), outcomes);
    }

    private TransferPolicy effective(String canonical) {
        TransferPolicy p = overrides.get(canonical);
        return p != null ? p : configured.getOrDefault(canonical, TransferPolicy.NONE);
    }

    private void publish() {
        Map<String, TransferPolicy> all = new TreeMap<>(configured);
        all.putAll(overrides);
        Map<DnsName, TransferPolicy> byOrigin = new LinkedHashMap<>();
        all.forEach((name, p) -> {
            if (!p.isEmpty()) {
                byOrigin.put(DnsName.of(name), p);
            }
        });
        transfers.policies(new TransferPolicies(byOrigin, global, keys));
    }

    private static String canonicalName(String name) {
        String problem = ConfigLoader.domainNameProblem(name);
        if (problem != null) {
            throw new RejectedException("not a zone name, nothing changed", List.of(problem));
        }
        return ConfigLoader.canonicalOrigin(name);
    }
}
