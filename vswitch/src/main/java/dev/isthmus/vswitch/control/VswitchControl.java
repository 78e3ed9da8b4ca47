package dev.isthmus.vswitch.control;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.ArpBinding;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.StaticEntry;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.config.VswitchConfigException.Kind;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.counters.DomainCounter;
import dev.isthmus.vswitch.counters.StripedCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.fdb.FdbEntry;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.runtime.DomainState;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import dev.isthmus.vswitch.runtime.VswitchState;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * The vswitch's control API. Every mutation builds a whole new {@link VswitchConfig} (validated in its constructors),
 * compiles it into a {@link VswitchSnapshot}, publishes that with one volatile write and then retires what the old
 * one used; a refused change throws {@link VswitchConfigException} and changes nothing. Mutations are serialised on
 * this object; the data path only ever reads {@link #snapshot()} and never waits for the control side.
 *
 * <p>{@link #tick()} is the periodic maintenance (once a second): FDB and ARP aging, table compaction, aging of
 * learned VTEPs, next-hop expiry. {@link #processVtepLearning()} takes the data path's requests to learn VTEPs.
 * {@link #startMaintenance()} runs both on a daemon thread (learning every 100 ms).
 */
public final class VswitchControl implements AutoCloseable {

    private final VswitchState state = new VswitchState();
    private final IntSupplier clock;
    private volatile VswitchSnapshot snapshot;
    private VswitchConfig config;
    private ScheduledExecutorService maintenance;

    /** An empty switch (no underlay, no domains) on the real clock. */
    public VswitchControl() {
        this(VswitchConfig.empty(), SecondsClock::now);
    }

    /**
     * @param initial the configuration to start with
     * @param clock the current second (the data path's learning clock)
     */
    public VswitchControl(VswitchConfig initial, IntSupplier clock) {
        this.clock = clock;
        this.config = VswitchConfig.empty();
        this.snapshot = state.compile(config);
        replace(initial);
    }

    /** @return the snapshot the data path switches with; read it once per burst */
    public VswitchSnapshot snapshot() {
        return snapshot;
    }

    /** @return the current configuration */
    public synchronized VswitchConfig config() {
        return config;
    }

    /**
     * Replaces the whole configuration at once (start-up, or a full reload).
     *
     * @param next the new configuration
     * @return it
     */
    public synchronized VswitchConfig replace(VswitchConfig next) {
        final VswitchSnapshot compiled = state.compile(next);
        // The one volatile write that hands the new configuration to every lcore.
        snapshot = compiled;
        config = next;
        state.retire(compiled);
        return next;
    }

    // ---- underlay ----

    /** @return the underlay, or null when none is configured */
    public synchronized UnderlayConfig underlay() {
        return config.underlay();
    }

    /**
     * Sets the underlay; refused when a domain's VTEP would become unreachable by family or equal to our address.
     *
     * @param underlay the new underlay
     * @return it
     */
    public synchronized UnderlayConfig setUnderlay(UnderlayConfig underlay) {
        if (underlay == null) {
            throw new VswitchConfigException(Kind.INVALID, "underlay missing");
        }
        replace(config.withUnderlay(underlay));
        return underlay;
    }

    /** @return the underlay with its MTUs and resolved next hops, or null when none is configured */
    public UnderlayStatus underlayStatus() {
        final VswitchSnapshot current = snapshot;
        final UnderlayConfig underlay = current.underlay();
        if (underlay == null) {
            return null;
        }
        final int now = clock.getAsInt();
        final List<NextHopView> hops = new ArrayList<>();
        for (int i = 0; i < current.neighborCount(); i++) {
            Neighbor neighbor = current.neighbor(i);
            long mac = neighbor.mac();
            hops.add(new NextHopView(neighbor.address(), mac == Neighbor.UNRESOLVED ? null : new MacAddress(mac),
                    mac == Neighbor.UNRESOLVED ? -1 : neighbor.ageSeconds(now)));
        }
        return new UnderlayStatus(underlay, underlay.mtu(), current.maxInnerFrame(false), current.maxInnerFrame(true),
                hops);
    }

    // ---- bridge domains ----

    /** @return every bridge domain, by VNI */
    public synchronized List<BridgeDomainConfig> bridgeDomains() {
        return config.domains();
    }

    /**
     * @param vni a VNI
     * @return its bridge domain
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized BridgeDomainConfig bridgeDomain(int vni) {
        final BridgeDomainConfig domain = config.domain(vni);
        if (domain == null) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "no bridge domain with VNI " + vni);
        }
        return domain;
    }

    /**
     * Creates a bridge domain, with its ports, flood list and static entries if given.
     *
     * @param domain the new domain
     * @return it
     * @throws VswitchConfigException CONFLICT when the VNI exists or a port belongs to another domain
     */
    public synchronized BridgeDomainConfig createBridgeDomain(BridgeDomainConfig domain) {
        if (config.domain(domain.vni()) != null) {
            throw new VswitchConfigException(Kind.CONFLICT, "bridge domain VNI " + domain.vni() + " already exists");
        }
        replace(config.withDomain(domain));
        return domain;
    }

    /**
     * Deletes a bridge domain and everything it learned.
     *
     * @param vni its VNI
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized void deleteBridgeDomain(int vni) {
        bridgeDomain(vni);
        replace(config.withoutDomain(vni));
    }

    /**
     * Changes a domain's learning settings.
     *
     * @param vni its VNI
     * @param macLimit most learned MACs
     * @param agingSeconds aging time
     * @param arpSuppression whether ARP suppression is on
     * @return the updated domain
     */
    public synchronized BridgeDomainConfig updateSettings(int vni, int macLimit, int agingSeconds,
                                                          boolean arpSuppression) {
        return edit(vni, d -> d.withSettings(macLimit, agingSeconds, arpSuppression));
    }

    /**
     * Changes a domain's learning settings and, when given, its VTEP learning, in one change.
     *
     * @param vni its VNI
     * @param macLimit most learned MACs
     * @param agingSeconds aging time
     * @param arpSuppression whether ARP suppression is on
     * @param learnVteps whether VTEPs are learned, or null to keep the current setting
     * @param maxLearnedVteps most learned VTEPs, or null to keep the current limit
     * @return the updated domain
     */
    public synchronized BridgeDomainConfig updateSettings(int vni, int macLimit, int agingSeconds,
                                                          boolean arpSuppression, Boolean learnVteps,
                                                          Integer maxLearnedVteps) {
        return edit(vni, d -> d.withSettings(macLimit, agingSeconds, arpSuppression).withVtepLearning(
                learnVteps == null ? d.learnVteps() : learnVteps,
                maxLearnedVteps == null ? d.maxLearnedVteps() : maxLearnedVteps));
    }

    /**
     * Turns VTEP learning on or off for a domain and sets its limit; turning it off (or lowering the limit) forgets
     * the learned VTEPs that no longer fit, with the MACs behind them.
     *
     * @param vni its VNI
     * @param learnVteps whether VTEPs not on the flood list are learned
     * @param maxLearnedVteps most learned VTEPs at once
     * @return the updated domain
     */
    public synchronized BridgeDomainConfig updateVtepLearning(int vni, boolean learnVteps, int maxLearnedVteps) {
        return edit(vni, d -> d.withVtepLearning(learnVteps, maxLearnedVteps));
    }

    /**
     * @param vni the domain's VNI
     * @param port the access port to add
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND, CONFLICT (already there, in another domain, or the uplink)
     */
    public synchronized BridgeDomainConfig addAccessPort(int vni, AccessPort port) {
        if (bridgeDomain(vni).ports().contains(port)) {
            throw new VswitchConfigException(Kind.CONFLICT, port + " is already in VNI " + vni);
        }
        return edit(vni, d -> d.withPort(port));
    }

    /**
     * Removes an access port, its static entries and everything learned behind it.
     *
     * @param vni the domain's VNI
     * @param port the access port
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized BridgeDomainConfig removeAccessPort(int vni, AccessPort port) {
        if (!bridgeDomain(vni).ports().contains(port)) {
            throw new VswitchConfigException(Kind.NOT_FOUND, port + " is not in VNI " + vni);
        }
        return edit(vni, d -> d.withoutPort(port));
    }

    /**
     * @param vni the domain's VNI
     * @param vtep a remote VTEP to add to the flood list
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND, CONFLICT (already listed), INVALID (no underlay of its family, our
     *                                own address, not unicast)
     */
    public synchronized BridgeDomainConfig addFloodVtep(int vni, VtepAddress vtep) {
        if (bridgeDomain(vni).floodList().contains(vtep)) {
            throw new VswitchConfigException(Kind.CONFLICT, "VTEP " + vtep + " is already in VNI " + vni);
        }
        return edit(vni, d -> d.withVtep(vtep));
    }

    /**
     * Removes a VTEP from the flood list, with its static entries and everything learned behind it.
     *
     * @param vni the domain's VNI
     * @param vtep the VTEP
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized BridgeDomainConfig removeFloodVtep(int vni, VtepAddress vtep) {
        if (!bridgeDomain(vni).floodList().contains(vtep)) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "VTEP " + vtep + " is not in VNI " + vni);
        }
        return edit(vni, d -> d.withoutVtep(vtep));
    }

    /**
     * Adds or replaces a static FDB entry.
     *
     * @param vni the domain's VNI
     * @param entry the entry; its port or VTEP must belong to the domain
     * @return the updated domain
     */
    public synchronized BridgeDomainConfig addStaticEntry(int vni, StaticEntry entry) {
        return edit(vni, d -> d.withStaticEntry(entry));
    }

    /**
     * @param vni the domain's VNI
     * @param mac the MAC of a static entry
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized BridgeDomainConfig removeStaticEntry(int vni, MacAddress mac) {
        if (bridgeDomain(vni).staticEntries().stream().noneMatch(e -> e.mac().equals(mac))) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "no static entry for " + mac + " in VNI " + vni);
        }
        return edit(vni, d -> d.withoutStaticEntry(mac));
    }

    /**
     * Adds or replaces a configured ARP-suppression binding.
     *
     * @param vni the domain's VNI
     * @param binding the binding
     * @return the updated domain
     */
    public synchronized BridgeDomainConfig addArpBinding(int vni, ArpBinding binding) {
        return edit(vni, d -> d.withArpBinding(binding));
    }

    /**
     * Removes a configured ARP-suppression binding (a snooped one for the address may take its place).
     *
     * @param vni the domain's VNI
     * @param ip the bound IPv4 address
     * @return the updated domain
     * @throws VswitchConfigException NOT_FOUND
     */
    public synchronized BridgeDomainConfig removeArpBinding(int vni, Ipv4Address ip) {
        if (bridgeDomain(vni).arpBindings().stream().noneMatch(b -> b.ip().equals(ip))) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "no ARP binding for " + ip + " in VNI " + vni);
        }
        return edit(vni, d -> d.withoutArpBinding(ip));
    }

    private BridgeDomainConfig edit(int vni, UnaryOperator<BridgeDomainConfig> change) {
        final BridgeDomainConfig next = change.apply(bridgeDomain(vni));
        replace(config.withDomain(next));
        return next;
    }

    // ---- learned VTEPs ----

    /**
     * @param vni the domain's VNI
     * @return the VTEPs it learned from their traffic, oldest first (not its flood list)
     */
    public synchronized List<LearnedVtepView> learnedVteps(int vni) {
        final DomainState domain = stateOf(vni);
        final int now = clock.getAsInt();
        final List<LearnedVtepView> out = new ArrayList<>();
        for (VtepAddress vtep : domain.learnedVteps().addresses()) {
            out.add(new LearnedVtepView(vtep, domain.learnedVteps().idleSeconds(vtep, now)));
        }
        return out;
    }

    /**
     * Takes the lcores' requests to learn VTEPs (see {@link dev.isthmus.vswitch.learn.VtepLearnRequests}) and adds
     * each acceptable new one to its domain as a learned VTEP; when any was added, publishes one new snapshot with
     * all of them (one volatile write). Duplicates (the same VTEP asked for by many packets, or already accepted) are
     * ignored; beyond the domain's {@code maxLearnedVteps} a request is counted and refused; so is an address that
     * cannot be a remote VTEP (not unicast, not of an underlay family, our own).
     *
     * @return how many VTEPs were learned
     */
    public synchronized int processVtepLearning() {
        final VtepLearner learner = new VtepLearner(clock.getAsInt());
        state.learnRequests().drain(learner);
        if (learner.learned > 0) {
            replace(config);
        }
        return learner.learned;
    }

    /** Applies drained requests to the learned VTEPs of their domains; control thread, under this object's lock. */
    private final class VtepLearner implements dev.isthmus.vswitch.learn.VtepLearnQueue.Sink {

        private final int now;
        int learned;

        VtepLearner(int now) {
            this.now = now;
        }

        @Override
        public void request(int vni, boolean ipv6, long high, long low) {
            final BridgeDomainConfig domain = config.domain(vni);
            final DomainState s = state.domain(vni);
            if (domain == null || s == null || !domain.learnVteps()) {
                return; // the domain went away or stopped learning since the packet was queued
            }
            final VtepAddress vtep = new VtepAddress(ipv6, high, low);
            if (domain.floodList().contains(vtep) || s.learnedVteps().contains(vtep)) {
                return;
            }
            final UnderlayConfig underlay = config.underlay();
            if (underlay == null || !vtep.isUsableUnicast() || !underlay.supports(vtep) || underlay.isOwn(vtep)) {
                s.counters().increment(StripedCounters.CONTROL_LANE, DomainCounter.VTEP_LEARN_REFUSED);
                return;
            }
            if (s.learnedVteps().size() >= domain.maxLearnedVteps()) {
                s.counters().increment(StripedCounters.CONTROL_LANE, DomainCounter.VTEP_LEARN_LIMIT);
                return;
            }
            s.learnedVteps().add(vtep, now);
            s.counters().increment(StripedCounters.CONTROL_LANE, DomainCounter.VTEPS_LEARNED);
            learned++;
        }
    }

    /**
     * Ages learned VTEPs: one no FDB entry has pointed at for the domain's aging time is forgotten and a snapshot
     * without it published; {@link VswitchState#retire} then flushes whatever still points at it.
     */
    private void ageLearnedVteps(int now) {
        int aged = 0;
        for (BridgeDomainConfig domain : config.domains()) {
            final DomainState s = state.domain(domain.vni());
            if (s.learnedVteps().size() == 0) {
                continue;
            }
            final BitSet inUse = new BitSet();
            s.fdb().markVtepsInUse(inUse);
            final Set<VtepAddress> referenced = new HashSet<>();
            for (VtepAddress vtep : s.learnedVteps().addresses()) {
                final Integer id = state.vtepId(vtep);
                if (id != null && inUse.get(id)) {
                    referenced.add(vtep);
                }
            }
            final int forgotten = s.learnedVteps().age(referenced, now, domain.agingSeconds()).size();
            if (forgotten > 0) {
                s.counters().add(StripedCounters.CONTROL_LANE, DomainCounter.VTEPS_AGED, forgotten);
                aged += forgotten;
            }
        }
        if (aged > 0) {
            replace(config);
        }
    }

    // ---- FDB and ARP tables ----

    /**
     * @param vni the domain's VNI
     * @return its FDB, sorted by MAC
     */
    public List<FdbEntryView> fdb(int vni) {
        final DomainState domain = stateOf(vni);
        final List<FdbEntryView> out = new ArrayList<>();
        for (FdbEntry entry : domain.fdb().entries(clock.getAsInt())) {
            final int target = entry.target();
            AccessPort port = null;
            VtepAddress vtep = null;
            if (FdbTarget.isLocal(target)) {
                port = new AccessPort(FdbTarget.portId(target), FdbTarget.vlan(target));
            } else {
                synchronized (this) {
                    vtep = state.vtepAddress(FdbTarget.vtepId(target));
                }
                if (vtep == null) {
                    continue; // its VTEP was just removed; retire() flushes the entry
                }
            }
            out.add(new FdbEntryView(new MacAddress(entry.mac()), port, vtep, entry.isStatic(), entry.ageSeconds()));
        }
        return out;
    }

    /**
     * Forgets every learned MAC of a domain; static entries stay.
     *
     * @param vni the domain's VNI
     * @return how many entries were removed
     */
    public synchronized int flush(int vni) {
        final DomainState domain = stateOf(vni);
        domain.arp().flush();
        return domain.fdb().flush();
    }

    /**
     * @param vni the domain's VNI
     * @return its ARP-suppression bindings (configured and snooped), by address
     */
    public Map<Ipv4Address, MacAddress> arpTable(int vni) {
        return stateOf(vni).arp().entries();
    }

    // ---- counters ----

    /**
     * @param vni the domain's VNI
     * @return its counters by name ({@code rx_local}, ..., {@code drop_<reason>}) plus {@code learned_now}
     */
    public Map<String, Long> domainCounters(int vni) {
        final DomainState domain = stateOf(vni);
        final Map<String, Long> out = domain.counters().snapshot();
        out.put("macs_learned_now", (long) domain.fdb().learnedCount());
        out.put("macs_static", (long) domain.fdb().staticCount());
        return out;
    }

    /**
     * @param port an access port
     * @return its counters by name
     */
    public synchronized Map<String, Long> portCounters(AccessPort port) {
        final TrafficCounters counters = state.port(port);
        if (counters == null) {
            throw new VswitchConfigException(Kind.NOT_FOUND, port + " is in no bridge domain");
        }
        return counters.snapshot();
    }

    /**
     * @param vtep a remote VTEP
     * @return its counters by name
     */
    public synchronized Map<String, Long> vtepCounters(VtepAddress vtep) {
        final TrafficCounters counters = state.vtep(vtep);
        if (counters == null) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "VTEP " + vtep + " is in no bridge domain");
        }
        return counters.snapshot();
    }

    private synchronized DomainState stateOf(int vni) {
        final DomainState domain = state.domain(vni);
        if (domain == null || config.domain(vni) == null) {
            throw new VswitchConfigException(Kind.NOT_FOUND, "no bridge domain with VNI " + vni);
        }
        return domain;
    }

    // ---- maintenance ----

    /**
     * One round of maintenance: VTEP learning requests, aging of learned VTEPs, FDB and ARP aging and compaction,
     * next-hop expiry.
     */
    public synchronized void tick() {
        processVtepLearning();
        final int now = clock.getAsInt();
        // Before the FDB ages: an entry that ages in this round still pointed at its VTEP until now.
        ageLearnedVteps(now);
        for (BridgeDomainConfig domain : config.domains()) {
            final DomainState s = state.domain(domain.vni());
            final int aged = s.fdb().maintain(now);
            if (aged > 0) {
                s.counters().add(StripedCounters.CONTROL_LANE, DomainCounter.AGED, aged);
            }
            s.arp().maintain(now, domain.agingSeconds());
        }
        for (Neighbor neighbor : state.neighbors().values()) {
            neighbor.expire(now);
        }
    }

    /** Runs {@link #tick()} once a second on a daemon thread until {@link #close()}. */
    public synchronized void startMaintenance() {
        if (maintenance != null) {
            return;
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "isthmus-vswitch-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        maintenance.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        // Learning requests more often than aging: until a VTEP is learned, its packets are dropped.
        maintenance.scheduleWithFixedDelay(this::processVtepLearning, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
            maintenance = null;
        }
    }
}
