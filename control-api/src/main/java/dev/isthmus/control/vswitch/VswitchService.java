package dev.isthmus.control.vswitch;

import dev.isthmus.control.config.VswitchSection;
import dev.isthmus.control.config.VswitchViews;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Actor;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.StaticEntryView;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.StaticEntry;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.VswitchControl;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The vswitch as the control plane manages it: translates the API's view of bridge domains (ports by name, VTEPs
 * and MACs as text) to the vswitch's configuration and back, applies each change through {@link VswitchControl}
 * (which validates it whole and publishes a new snapshot to the data path atomically, or refuses it and changes
 * nothing), journals every applied change with the domain's full new state, and restores domains from the journal
 * at start.
 */
public final class VswitchService {

    /** Journal subject prefix of bridge-domain changes: {@code vswitch.bd/100}. */
    public static final String SUBJECT_PREFIX = "vswitch.bd/";

    private final VswitchControl control;
    private final PortDirectory ports;
    private final Journal journal;
    private final ObjectMapper json;
    private final IntFunction<Optional<String>> portMacs;

    /**
     * @param portMacs the MAC of a port by its number, when the data plane runs (the underlay's default MAC)
     */
    public VswitchService(VswitchControl control, PortDirectory ports, Journal journal, ObjectMapper json,
                          IntFunction<Optional<String>> portMacs) {
        this.control = control;
        this.ports = ports;
        this.journal = journal;
        this.json = json;
        this.portMacs = portMacs;
    }

    /**
     * Sets up the underlay and bridge domains of the configuration file (not journalled: the file is their record).
     *
     * @throws dev.isthmus.vswitch.config.VswitchConfigException or {@link RejectedException} with the reason
     */
    public void configure(VswitchSection section) {
        if (section.underlay() != null) {
            control.setUnderlay(config(section.underlay()));
        }
        for (BridgeDomainView domain : section.bridgeDomains()) {
            control.createBridgeDomain(config(domain));
        }
        if (section.underlay() != null || !section.bridgeDomains().isEmpty()) {
            journal.event(Actor.APPLIANCE, "vswitch", "configured", section.bridgeDomains().size()
                    + " bridge domain(s)" + (section.underlay() == null ? "" : ", underlay on " + section.underlay().port()));
        }
    }

    /** Journal subject of underlay changes. */
    public static final String UNDERLAY_SUBJECT = "vswitch.underlay";

    /** @return the underlay, if one is configured */
    public Optional<UnderlayView> underlay() {
        return Optional.ofNullable(control.underlay()).map(this::view);
    }

    /** Sets the underlay; refused (nothing changed) when a domain's VTEP would become unreachable. */
    public UnderlayView setUnderlay(UnderlayView underlay, String actor) {
        UnderlayConfig config = config(underlay);
        UnderlayView after = view(control.setUnderlay(config));
        journal.change(actor, UNDERLAY_SUBJECT, "put", write(after));
        return after;
    }

    /** @return every bridge domain, by VNI */
    public List<BridgeDomainView> bridgeDomains() {
        return control.bridgeDomains().stream().map(this::view).toList();
    }

    /** @return one bridge domain @throws VswitchConfigException NOT_FOUND */
    public BridgeDomainView bridgeDomain(int vni) {
        return view(control.bridgeDomain(vni));
    }

    public BridgeDomainView create(BridgeDomainView domain, String actor) {
        BridgeDomainConfig config = config(domain);
        return journalled(actor, config.vni(), "create", () -> control.createBridgeDomain(config));
    }

    public void delete(int vni, String actor) {
        control.deleteBridgeDomain(vni);
        journal.change(actor, SUBJECT_PREFIX + vni, "delete", "");
    }

    public BridgeDomainView addPort(int vni, PortRef port, String actor) {
        AccessPort accessPort = accessPort(port);
        return journalled(actor, vni, "add-port", () -> control.addAccessPort(vni, accessPort));
    }

    public BridgeDomainView removePort(int vni, PortRef port, String actor) {
        AccessPort accessPort = accessPort(port);
        return journalled(actor, vni, "remove-port", () -> control.removeAccessPort(vni, accessPort));
    }

    public BridgeDomainView addVtep(int vni, String address, String actor) {
        VtepAddress vtep = VtepAddress.parse(address);
        return journalled(actor, vni, "add-vtep", () -> control.addFloodVtep(vni, vtep));
    }

    public BridgeDomainView removeVtep(int vni, String address, String actor) {
        VtepAddress vtep = VtepAddress.parse(address);
        return journalled(actor, vni, "remove-vtep", () -> control.removeFloodVtep(vni, vtep));
    }

    public BridgeDomainView settings(int vni, SettingsCommand settings, String actor) {
        return journalled(actor, vni, "settings", () -> control.updateSettings(vni, settings.macLimit(),
                settings.agingSeconds(), settings.arpSuppression(), settings.learnVteps(), settings.maxLearnedVteps()));
    }

    public BridgeDomainView addStaticEntry(int vni, StaticEntryView entry, String actor) {
        StaticEntry staticEntry = staticEntry(entry);
        return journalled(actor, vni, "add-static", () -> control.addStaticEntry(vni, staticEntry));
    }

    public BridgeDomainView removeStaticEntry(int vni, String mac, String actor) {
        MacAddress address = mac(mac);
        return journalled(actor, vni, "remove-static", () -> control.removeStaticEntry(vni, address));
    }

    /** @return the domain's FDB, learned and static, sorted by MAC */
    public List<FdbEntryJson> fdb(int vni) {
        List<FdbEntryJson> out = new ArrayList<>();
        for (FdbEntryView e : control.fdb(vni)) {
            out.add(new FdbEntryJson(e.mac().toString(), e.port() == null ? null : portRef(e.port()),
                    e.vtep() == null ? null : e.vtep().toString(), e.isStatic(), e.ageSeconds()));
        }
        return out;
    }

    /** Forgets the domain's learned MACs (static entries stay). @return how many were removed */
    public int flush(int vni, String actor) {
        int removed = control.flush(vni);
        journal.event(actor, SUBJECT_PREFIX + vni, "flush", removed + " entries");
        return removed;
    }

    /** @return the domain's counters by name */
    public Map<String, Long> counters(int vni) {
        return control.domainCounters(vni);
    }

    /**
     * Re-creates the bridge domains the journal holds, each from its last recorded state; a domain that no longer
     * applies (its port is gone from the configuration) is skipped and the reason journalled.
     */
    public void restore() {
        Map<String, JournalEntry> last = new LinkedHashMap<>();
        JournalEntry[] lastUnderlay = new JournalEntry[1];
        journal.replay(e -> {
            if (e.kind() == JournalEntry.Kind.CHANGE && e.subject().startsWith(SUBJECT_PREFIX)) {
                last.put(e.subject(), e);
            } else if (e.kind() == JournalEntry.Kind.CHANGE && e.subject().equals(UNDERLAY_SUBJECT)) {
                lastUnderlay[0] = e;
            }
        });
        List<String> restored = new ArrayList<>();
        if (lastUnderlay[0] != null) {
            try {
                control.setUnderlay(config(json.readValue(lastUnderlay[0].value(), UnderlayView.class)));
                restored.add("underlay");
            } catch (IOException | RuntimeException e) {
                journal.event(Actor.APPLIANCE, UNDERLAY_SUBJECT, "restore-failed", String.valueOf(e.getMessage()));
            }
        }
        for (JournalEntry entry : last.values()) {
            if (entry.action().equals("delete")) {
                continue;
            }
            try {
                BridgeDomainConfig domain = config(json.readValue(entry.value(), BridgeDomainView.class));
                if (control.config().domain(domain.vni()) == null) {
                    control.createBridgeDomain(domain);
                } else {
                    control.replace(control.config().withDomain(domain));
                }
                restored.add(Integer.toString(domain.vni()));
            } catch (IOException | RuntimeException e) {
                journal.event(Actor.APPLIANCE, entry.subject(), "restore-failed", String.valueOf(e.getMessage()));
            }
        }
        if (!restored.isEmpty()) {
            journal.event(Actor.APPLIANCE, "vswitch.bd", "restored", String.join(" ", restored));
        }
    }

    private BridgeDomainView journalled(String actor, int vni, String action, Supplier<BridgeDomainConfig> change) {
        BridgeDomainView after = view(change.get());
        journal.change(actor, SUBJECT_PREFIX + vni, action, write(after.withoutLearnedVteps()));
        return after;
    }

    private String write(Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    UnderlayConfig config(UnderlayView v) {
        return VswitchViews.underlay(v, ports::id, portMacs);
    }

    UnderlayView view(UnderlayConfig u) {
        return new UnderlayView(ports.name(u.uplinkPort()), u.uplinkMac().toString(),
                u.ipv4() == null ? null : u.ipv4() + "/" + u.ipv4PrefixLength(),
                u.ipv4Gateway() == null ? null : u.ipv4Gateway().toString(),
                u.ipv6() == null ? null : u.ipv6() + "/" + u.ipv6PrefixLength(),
                u.ipv6Gateway() == null ? null : u.ipv6Gateway().toString(), u.udpPort(), u.mtu());
    }

    BridgeDomainConfig config(BridgeDomainView v) {
        return VswitchViews.bridgeDomain(v, ports::id);
    }

    BridgeDomainView view(BridgeDomainConfig c) {
        return new BridgeDomainView(c.vni(), c.name(), c.ports().stream().map(this::portRef).toList(),
                c.floodList().stream().map(VtepAddress::toString).toList(),
                c.staticEntries().stream().map(e -> new StaticEntryView(e.mac().toString(),
                        e.port() == null ? null : portRef(e.port()), e.vtep() == null ? null : e.vtep().toString())).toList(),
                c.macLimit(), c.agingSeconds(), c.arpSuppression(), c.learnVteps(), c.maxLearnedVteps(),
                learnedVteps(c.vni()));
    }

    /** The domain's learned VTEPs; none while it is not (yet) in the vswitch, e.g. a command being converted. */
    private List<String> learnedVteps(int vni) {
        try {
            return control.learnedVteps(vni).stream().map(v -> v.address().toString()).toList();
        } catch (VswitchConfigException e) {
            return List.of();
        }
    }

    private PortRef portRef(AccessPort port) {
        return new PortRef(ports.name(port.portId()), port.vlan());
    }

    private AccessPort accessPort(PortRef ref) {
        return VswitchViews.accessPort(ref, ports::id);
    }

    private static MacAddress mac(String text) {
        return VswitchViews.mac(text);
    }

    private StaticEntry staticEntry(StaticEntryView v) {
        return VswitchViews.staticEntry(v, ports::id);
    }
}
