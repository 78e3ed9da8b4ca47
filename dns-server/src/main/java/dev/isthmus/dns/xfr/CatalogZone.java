package dev.isthmus.dns.xfr;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.Node;
import dev.isthmus.dns.zone.RRset;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the member zones of a catalog zone (RFC 9432, schema version 2): the consumer's side. A catalog lists each
 * member as one PTR record at {@code <unique-id>.zones.<catalog>} whose target is the member zone's name; the
 * {@code version.<catalog>} TXT record must say {@code "2"} (RFC 9432 §4.2.1) or the catalog is not processed.
 * Properties other than the member list (groups, change-of-ownership) are ignored.
 */
public final class CatalogZone {

    /** RFC 9432 §4.2.1: the schema version this consumer understands. */
    public static final String VERSION = "2";

    private CatalogZone() {
    }

    /**
     * The members a catalog lists.
     *
     * @param members the member zones, in catalog order, each once
     * @param problems what was ignored and why (a member with several PTR records, RFC 9432 §4.1: broken)
     */
    public record Members(List<DnsName> members, List<String> problems) {
    }

    /**
     * @throws IllegalArgumentException when the zone is not a version 2 catalog (nothing must change then)
     */
    public static Members read(Zone catalog) {
        DnsName origin = catalog.origin();
        Node version = catalog.node(DnsName.of("version." + origin));
        RRset txt = version == null ? null : version.rrset(RecordType.TXT);
        if (txt == null || txt.records().size() != 1 || !VERSION.equals(firstString(txt.records().get(0).rdata()))) {
            throw new IllegalArgumentException("catalog " + origin + " has no version.TXT \"2\" (RFC 9432 §4.2.1): "
                    + "not processed");
        }
        DnsName zones = DnsName.of("zones." + origin);
        Set<DnsName> members = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (Node node : catalog.nodes()) {
            // RFC 9432 §4.1: member entries are exactly one label below zones.<catalog>.
            if (!node.name().isSubdomainOf(zones) || node.name().labelCount() != zones.labelCount() + 1) {
                continue;
            }
            RRset ptr = node.rrset(RecordType.PTR);
            if (ptr == null) {
                continue;
            }
            if (ptr.records().size() != 1) {
                problems.add(node.name() + ": " + ptr.records().size() + " PTR records, the catalog is broken there "
                        + "(RFC 9432 §4.1): ignored");
                continue;
            }
            ResourceRecord r = ptr.records().get(0);
            members.add(DnsName.fromWire(r.rdata(), 0, r.rdata().length));
        }
        return new Members(List.copyOf(members), problems);
    }

    private static String firstString(byte[] rdata) {
        if (rdata.length == 0 || (rdata[0] & 0xFF) + 1 > rdata.length) {
            return null;
        }
        return new String(rdata, 1, rdata[0] & 0xFF, StandardCharsets.US_ASCII);
    }
}
