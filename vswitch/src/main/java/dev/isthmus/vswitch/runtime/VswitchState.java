package dev.isthmus.vswitch.runtime;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.ArpBinding;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.StaticEntry;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.fdb.Fdb;
import dev.isthmus.vswitch.fdb.FdbEntry;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.learn.LearnedVteps;
import dev.isthmus.vswitch.learn.VtepLearnRequests;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The long-lived state behind the snapshots — per-domain FDB, ARP table and counters, per-port and per-VTEP
 * counters, VTEP ids, underlay next hops, learned VTEPs — and the two steps of applying a new configuration to it: {@link #compile}
 * (create what the new configuration needs and build its snapshot, changing nothing the current snapshot uses) and
 * {@link #retire} (after the new snapshot is published: flush entries that point at removed ports and VTEPs, free
 * their ids). Control thread only; the owner serialises calls.
 */
public final class VswitchState {

    private final Map<Integer, DomainState> domains = new HashMap<>();
    private final Map<AccessPort, TrafficCounters> ports = new HashMap<>();
    private final Map<VtepAddress, Integer> vtepIds = new HashMap<>();
    private final Map<VtepAddress, TrafficCounters> vtepCounters = new HashMap<>();
    private final Map<VtepAddress, Neighbor> neighbors = new HashMap<>();
    private final BitSet usedIds = new BitSet();
    private final VtepLearnRequests learnRequests = new VtepLearnRequests();

    /**
     * Builds the snapshot of {@code config}, creating the state of new domains, ports and VTEPs, and brings each
     * domain's FDB settings, static entries and ARP bindings in line with it. The current snapshot keeps working:
     * nothing it uses is removed here.
     *
     * @param config the validated configuration
     * @return its snapshot, to publish
     */
    public VswitchSnapshot compile(VswitchConfig config) {
        final UnderlayConfig underlay = config.underlay();
        final Map<VtepAddress, Vtep> vteps = new LinkedHashMap<>();
        final Map<VtepAddress, Neighbor> liveNeighbors = new LinkedHashMap<>();
        final Function<VtepAddress, Vtep> vtepOf = address -> vteps.computeIfAbsent(address, a -> {
            VtepAddress hop = underlay.nextHop(a);
            Neighbor neighbor = hop == null ? null
                    : liveNeighbors.computeIfAbsent(hop, h -> neighbors.computeIfAbsent(h, Neighbor::new));
            return new Vtep(idOf(a), a, neighbor, vtepCounters.computeIfAbsent(a, x -> new TrafficCounters()),
                    underlay.uplinkMac().value(), underlay.ipv4() == null ? 0 : underlay.ipv4().value(),
                    underlay.udpPort());
        });
        for (BridgeDomainConfig domain : config.domains()) {
            domain.floodList().forEach(vtepOf::apply);
        }
        for (BridgeDomainConfig domain : config.domains()) {
            final LearnedVteps learned = stateOf(domain).learnedVteps();
            keepApplicable(learned, domain, underlay);
            learned.addresses().forEach(vtepOf::apply);
        }
        final int idBound = usedIds.length();
        final List<BridgeDomain> compiled = new ArrayList<>();
        for (BridgeDomainConfig domain : config.domains()) {
            DomainState state = stateOf(domain);
            state.fdb().configure(domain.macLimit(), domain.agingSeconds());
            state.arp().setLimit(domain.macLimit());
            syncStatics(state.fdb(), domain, vteps);
            Map<Ipv4Address, MacAddress> bindings = new LinkedHashMap<>();
            for (ArpBinding binding : domain.arpBindings()) {
                bindings.put(binding.ip(), binding.mac());
            }
            state.arp().setStatic(bindings);

            final int[] targets = new int[domain.ports().size()];
            final TrafficCounters[] counters = new TrafficCounters[targets.length];
            for (int i = 0; i < targets.length; i++) {
                AccessPort port = domain.ports().get(i);
                targets[i] = FdbTarget.local(port.portId(), port.vlan());
                counters[i] = ports.computeIfAbsent(port, p -> new TrafficCounters());
            }
            final Vtep[] flood = domain.floodList().stream().map(vteps::get).toArray(Vtep[]::new);
            final Vtep[] learned = state.learnedVteps().addresses().stream().map(vteps::get).toArray(Vtep[]::new);
            compiled.add(new BridgeDomain(domain, state, targets, counters, flood, learned, idBound));
        }
        return new VswitchSnapshot(config, compiled, new ArrayList<>(vteps.values()),
                new ArrayList<>(liveNeighbors.values()), learnRequests);
    }

    private DomainState stateOf(BridgeDomainConfig domain) {
        return domains.computeIfAbsent(domain.vni(), vni -> new DomainState(
                new Fdb(domain.macLimit(), domain.agingSeconds()), new ArpSuppressionTable(domain.macLimit()),
                new DomainCounters(), new LearnedVteps()));
    }

    /**
     * Forgets learned VTEPs the domain's configuration no longer allows: all of them when learning is off (or there
     * is no underlay), one that is now configured on the flood list (it keeps its id, so the MACs learned behind it
     * stay), one of a family the underlay lost or now its own address, and the newest beyond the limit.
     */
    private static void keepApplicable(LearnedVteps learned, BridgeDomainConfig domain, UnderlayConfig underlay) {
        if (!domain.learnVteps() || underlay == null) {
            learned.clear();
            return;
        }
        learned.prune(a -> domain.floodList().contains(a) || !underlay.supports(a) || underlay.isOwn(a),
                domain.maxLearnedVteps());
    }

    private void syncStatics(Fdb fdb, BridgeDomainConfig domain, Map<VtepAddress, Vtep> vteps) {
        final Map<Long, Integer> wanted = new HashMap<>();
        for (StaticEntry entry : domain.staticEntries()) {
            int target = entry.port() != null
                    ? FdbTarget.local(entry.port().portId(), entry.port().vlan())
                    : FdbTarget.remote(vteps.get(entry.vtep()).id());
            wanted.put(entry.mac().value(), target);
        }
        for (FdbEntry existing : fdb.entries(0)) {
            if (existing.isStatic() && !Integer.valueOf(existing.target()).equals(wanted.get(existing.mac()))) {
                fdb.removeStatic(existing.mac());
            }
        }
        wanted.forEach(fdb::putStatic);
    }

    private int idOf(VtepAddress address) {
        return vtepIds.computeIfAbsent(address, a -> {
            int id = usedIds.nextClearBit(0);
            usedIds.set(id);
            return id;
        });
    }

    /**
     * After {@code current} is published: flushes FDB entries that point at ports and VTEPs no longer in their
     * domain, forgets the state of removed domains, ports and VTEPs and frees VTEP ids nobody uses.
     *
     * @param current the snapshot now published
     */
    public void retire(VswitchSnapshot current) {
        final VswitchConfig config = current.config();
        final Set<Integer> liveVnis = new HashSet<>();
        final Set<AccessPort> livePorts = new HashSet<>();
        final Set<VtepAddress> liveVteps = new HashSet<>();
        for (BridgeDomainConfig domain : config.domains()) {
            liveVnis.add(domain.vni());
            livePorts.addAll(domain.ports());
            liveVteps.addAll(domain.floodList());
            final List<VtepAddress> learned = domains.get(domain.vni()).learnedVteps().addresses();
            liveVteps.addAll(learned);
            final Fdb fdb = domains.get(domain.vni()).fdb();
            final Set<Integer> targets = new HashSet<>();
            for (AccessPort port : domain.ports()) {
                targets.add(FdbTarget.local(port.portId(), port.vlan()));
            }
            for (VtepAddress vtep : domain.floodList()) {
                targets.add(FdbTarget.remote(vtepIds.get(vtep)));
            }
            for (VtepAddress vtep : learned) {
                targets.add(FdbTarget.remote(vtepIds.get(vtep)));
            }
            for (FdbEntry entry : fdb.entries(0)) {
                if (!targets.contains(entry.target())) {
                    fdb.flushTarget(entry.target());
                }
            }
        }
        domains.keySet().retainAll(liveVnis);
        ports.keySet().retainAll(livePorts);
        vtepCounters.keySet().retainAll(liveVteps);
        vtepIds.entrySet().removeIf(e -> {
            if (liveVteps.contains(e.getKey())) {
                return false;
            }
            usedIds.clear(e.getValue());
            return true;
        });
        final Set<VtepAddress> liveHops = new HashSet<>();
        for (int i = 0; i < current.neighborCount(); i++) {
            liveHops.add(current.neighbor(i).address());
        }
        neighbors.keySet().retainAll(liveHops);
    }

    /**
     * @param vni a VNI
     * @return its state, or null
     */
    public DomainState domain(int vni) {
        return domains.get(vni);
    }

    /** @param port an access port @return its counters, or null */
    public TrafficCounters port(AccessPort port) {
        return ports.get(port);
    }

    /** @param vtep a VTEP @return its counters, or null */
    public TrafficCounters vtep(VtepAddress vtep) {
        return vtepCounters.get(vtep);
    }

    /** @param id a VTEP id @return its address, or null */
    public VtepAddress vtepAddress(int id) {
        for (Map.Entry<VtepAddress, Integer> e : vtepIds.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    /** @param vtep a VTEP @return its id, or null */
    public Integer vtepId(VtepAddress vtep) {
        return vtepIds.get(vtep);
    }

    /** @return every DomainState by VNI (read-only view) */
    public Map<Integer, DomainState> domains() {
        return java.util.Collections.unmodifiableMap(domains);
    }

    /** @return the lcores' requests to learn VTEPs */
    public VtepLearnRequests learnRequests() {
        return learnRequests;
    }

    /** @return every underlay next hop (read-only view) */
    public Map<VtepAddress, Neighbor> neighbors() {
        return java.util.Collections.unmodifiableMap(neighbors);
    }
}
