package dev.isthmus.vswitch.config;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.fdb.Fdb;
import dev.isthmus.vswitch.wire.VxlanHeader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * One bridge domain (one VxLAN segment): its VNI, local access ports, the flood list of remote VTEPs, static FDB
 * entries and ARP bindings, and its learning settings. Lists are copied, sorted and free of duplicates.
 *
 * @param vni the 24-bit VxLAN Network Identifier (RFC 7348 section 5)
 * @param name a label for people, may be empty
 * @param ports local access ports
 * @param floodList remote VTEPs that receive a head-end replicated copy of every broadcast, multicast and
 *                  unknown-unicast frame; VxLAN from them is accepted for this VNI
 * @param staticEntries configured stations
 * @param arpBindings configured IPv4-to-MAC bindings answered by ARP suppression
 * @param macLimit most learned MACs at once; beyond it learning stops and is counted
 * @param agingSeconds seconds of silence after which a learned MAC is forgotten
 * @param arpSuppression whether ARP requests for known bindings are answered locally instead of flooded
 * @param learnVteps whether VxLAN from a VTEP not on the flood list makes the switch learn that VTEP (as Linux's
 *                   vxlan device does with {@code learning}); off, such packets are dropped as unknown
 * @param maxLearnedVteps most VTEPs learned at once in this domain; further VTEPs are refused and counted
 */
public record BridgeDomainConfig(int vni, String name, List<AccessPort> ports, List<VtepAddress> floodList,
                                 List<StaticEntry> staticEntries, List<ArpBinding> arpBindings, int macLimit,
                                 int agingSeconds, boolean arpSuppression, boolean learnVteps, int maxLearnedVteps) {

    /** Largest accepted MAC limit per domain. */
    public static final int MAX_MAC_LIMIT = 1_000_000;
    /** Longest accepted aging time (one day). */
    public static final int MAX_AGING_SECONDS = 86_400;
    /** Learned VTEPs a domain holds by default when it learns VTEPs. */
    public static final int DEFAULT_MAX_LEARNED_VTEPS = 64;
    /**
     * Largest accepted {@link #maxLearnedVteps}: every learned VTEP costs an id, counters, a next hop and, while it
     * is unresolved, probes, so a spoofing sender must not be able to make the switch hold an unbounded number.
     */
    public static final int MAX_LEARNED_VTEPS_LIMIT = 4_096;

    public BridgeDomainConfig {
        VswitchConfigException.require(vni >= 0 && vni <= VxlanHeader.MAX_VNI, "VNI must be in [0, 16777215]: " + vni);
        name = name == null ? "" : name;
        VswitchConfigException.require(name.length() <= 64, "bridge domain name longer than 64 characters");
        ports = sortedUnique(ports, "access port", vni);
        floodList = sortedUnique(floodList, "flood-list VTEP", vni);
        for (VtepAddress vtep : floodList) {
            VswitchConfigException.require(vtep.isUsableUnicast(),
                    "VNI " + vni + ": flood-list VTEP " + vtep + " is not a unicast address");
        }
        staticEntries = List.copyOf(staticEntries == null ? List.of() : staticEntries);
        Set<MacAddress> macs = new HashSet<>();
        for (StaticEntry entry : staticEntries) {
            VswitchConfigException.require(macs.add(entry.mac()), "VNI " + vni + ": static MAC " + entry.mac() + " twice");
            VswitchConfigException.require(entry.port() == null || ports.contains(entry.port()),
                    "VNI " + vni + ": static MAC " + entry.mac() + " names " + entry.port() + ", not an access port of the domain");
            VswitchConfigException.require(entry.vtep() == null || floodList.contains(entry.vtep()),
                    "VNI " + vni + ": static MAC " + entry.mac() + " names VTEP " + entry.vtep() + ", not in the flood list");
        }
        arpBindings = List.copyOf(arpBindings == null ? List.of() : arpBindings);
        Set<Integer> ips = new HashSet<>();
        for (ArpBinding binding : arpBindings) {
            VswitchConfigException.require(ips.add(binding.ip().value()),
                    "VNI " + vni + ": ARP binding for " + binding.ip() + " twice");
        }
        VswitchConfigException.require(macLimit >= 1 && macLimit <= MAX_MAC_LIMIT,
                "VNI " + vni + ": MAC limit must be in [1, " + MAX_MAC_LIMIT + "]: " + macLimit);
        VswitchConfigException.require(agingSeconds >= 10 && agingSeconds <= MAX_AGING_SECONDS,
                "VNI " + vni + ": aging time must be in [10, " + MAX_AGING_SECONDS + "] seconds: " + agingSeconds);
        VswitchConfigException.require(maxLearnedVteps >= 1 && maxLearnedVteps <= MAX_LEARNED_VTEPS_LIMIT,
                "VNI " + vni + ": max-learned-vteps must be in [1, " + MAX_LEARNED_VTEPS_LIMIT + "]: " + maxLearnedVteps);
    }

    private static <T extends Comparable<T>> List<T> sortedUnique(List<T> items, String what, int vni) {
        if (items == null) {
            return List.of();
        }
        TreeSet<T> sorted = new TreeSet<>();
        for (T item : items) {
            VswitchConfigException.require(item != null, "VNI " + vni + ": null " + what);
            VswitchConfigException.require(sorted.add(item), "VNI " + vni + ": " + what + " " + item + " listed twice");
        }
        return List.copyOf(sorted);
    }

    /**
     * A domain with no ports, VTEPs or static entries and default settings (limit {@link Fdb#DEFAULT_MAC_LIMIT},
     * aging {@link Fdb#DEFAULT_AGING_SECONDS} s, ARP suppression on, VTEP learning off with a limit of
     * {@link #DEFAULT_MAX_LEARNED_VTEPS}).
     *
     * @param vni the VNI
     * @return the domain
     */
    public static BridgeDomainConfig of(int vni) {
        return new BridgeDomainConfig(vni, "", List.of(), List.of(), List.of(), List.of(),
                Fdb.DEFAULT_MAC_LIMIT, Fdb.DEFAULT_AGING_SECONDS, true, false, DEFAULT_MAX_LEARNED_VTEPS);
    }

    /** @param port a port to add @return this domain with it */
    public BridgeDomainConfig withPort(AccessPort port) {
        return new BridgeDomainConfig(vni, name, plus(ports, port), floodList, staticEntries, arpBindings, macLimit,
                agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param port a port to remove (with static entries at it) @return this domain without it */
    public BridgeDomainConfig withoutPort(AccessPort port) {
        return new BridgeDomainConfig(vni, name, minus(ports, port), floodList,
                staticEntries.stream().filter(e -> !port.equals(e.port())).toList(), arpBindings, macLimit,
                agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param vtep a VTEP to add to the flood list @return this domain with it */
    public BridgeDomainConfig withVtep(VtepAddress vtep) {
        return new BridgeDomainConfig(vni, name, ports, plus(floodList, vtep), staticEntries, arpBindings, macLimit,
                agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param vtep a VTEP to remove (with static entries at it) @return this domain without it */
    public BridgeDomainConfig withoutVtep(VtepAddress vtep) {
        return new BridgeDomainConfig(vni, name, ports, minus(floodList, vtep),
                staticEntries.stream().filter(e -> !vtep.equals(e.vtep())).toList(), arpBindings, macLimit,
                agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param entry a static entry, replacing any for the same MAC @return this domain with it */
    public BridgeDomainConfig withStaticEntry(StaticEntry entry) {
        List<StaticEntry> next = new ArrayList<>(staticEntries.stream().filter(e -> !e.mac().equals(entry.mac())).toList());
        next.add(entry);
        return new BridgeDomainConfig(vni, name, ports, floodList, next, arpBindings, macLimit, agingSeconds,
                arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param mac a MAC @return this domain without its static entry */
    public BridgeDomainConfig withoutStaticEntry(MacAddress mac) {
        return new BridgeDomainConfig(vni, name, ports, floodList,
                staticEntries.stream().filter(e -> !e.mac().equals(mac)).toList(), arpBindings, macLimit,
                agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param binding an ARP binding, replacing any for the same IP @return this domain with it */
    public BridgeDomainConfig withArpBinding(ArpBinding binding) {
        List<ArpBinding> next = new ArrayList<>(arpBindings.stream().filter(b -> !b.ip().equals(binding.ip())).toList());
        next.add(binding);
        return new BridgeDomainConfig(vni, name, ports, floodList, staticEntries, next, macLimit, agingSeconds,
                arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param ip an IPv4 address @return this domain without its configured ARP binding */
    public BridgeDomainConfig withoutArpBinding(dev.isthmus.dataplane.address.Ipv4Address ip) {
        return new BridgeDomainConfig(vni, name, ports, floodList, staticEntries,
                arpBindings.stream().filter(b -> !b.ip().equals(ip)).toList(), macLimit, agingSeconds, arpSuppression, learnVteps, maxLearnedVteps);
    }

    /**
     * @param macLimit most learned MACs
     * @param agingSeconds aging time
     * @param arpSuppression whether ARP suppression is on
     * @return this domain with those settings
     */
    public BridgeDomainConfig withSettings(int macLimit, int agingSeconds, boolean arpSuppression) {
        return new BridgeDomainConfig(vni, name, ports, floodList, staticEntries, arpBindings, macLimit, agingSeconds,
                arpSuppression, learnVteps, maxLearnedVteps);
    }

    /**
     * @param learnVteps whether VTEPs not on the flood list are learned
     * @param maxLearnedVteps most learned VTEPs at once
     * @return this domain with those settings
     */
    public BridgeDomainConfig withVtepLearning(boolean learnVteps, int maxLearnedVteps) {
        return new BridgeDomainConfig(vni, name, ports, floodList, staticEntries, arpBindings, macLimit, agingSeconds,
                arpSuppression, learnVteps, maxLearnedVteps);
    }

    /** @param name a label @return this domain with that name */
    public BridgeDomainConfig withName(String name) {
        return new BridgeDomainConfig(vni, name, ports, floodList, staticEntries, arpBindings, macLimit, agingSeconds,
                arpSuppression, learnVteps, maxLearnedVteps);
    }

    /**
     * Applies an edit; a convenience for chains of withers.
     *
     * @param edit the edit
     * @return the edited domain
     */
    public BridgeDomainConfig with(UnaryOperator<BridgeDomainConfig> edit) {
        return edit.apply(this);
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> next = new ArrayList<>(list);
        next.add(item);
        return next;
    }

    private static <T> List<T> minus(List<T> list, T item) {
        List<T> next = new ArrayList<>(list);
        next.remove(item);
        return next;
    }
}
