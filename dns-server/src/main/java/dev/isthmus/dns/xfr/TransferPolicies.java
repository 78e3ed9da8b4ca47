package dev.isthmus.dns.xfr;

import dev.isthmus.dns.wire.DnsName;
import java.net.InetAddress;
import java.util.Map;

/**
 * The transfer policies of every zone and the global {@code allow-transfer}, immutable; replaced whole with one
 * volatile write by {@link ZoneTransfers#policies(TransferPolicies)}.
 *
 * @param zones each zone's own policy, by origin
 * @param global the prefixes allowed to transfer a zone whose policy lists none
 */
public record TransferPolicies(Map<DnsName, TransferPolicy> zones, TransferPolicy global) {
    public static final TransferPolicies NONE = new TransferPolicies(Map.of(), TransferPolicy.NONE);

    public TransferPolicies {
        zones = Map.copyOf(zones);
    }

    /** @return the zone's policy, {@link TransferPolicy#NONE} when it has none */
    public TransferPolicy of(DnsName origin) {
        return zones.getOrDefault(origin, TransferPolicy.NONE);
    }

    /** @return true when {@code peer} may transfer the zone: its own prefixes, or the global ones when it has none */
    public boolean allows(DnsName origin, InetAddress peer) {
        TransferPolicy p = of(origin);
        return p.allowTransfer().isEmpty() ? global.allows(peer) : p.allows(peer);
    }

    /** @return true when the zone may be transferred or has NOTIFY targets: its history is then worth keeping */
    public boolean transferable(DnsName origin) {
        TransferPolicy p = of(origin);
        return !p.allowTransfer().isEmpty() || !p.notifyTargets().isEmpty() || !global.allowTransfer().isEmpty();
    }

    /** @return a copy with {@code origin}'s policy replaced ({@link TransferPolicy#isEmpty()} removes it) */
    public TransferPolicies with(DnsName origin, TransferPolicy policy) {
        var next = new java.util.HashMap<>(zones);
        if (policy.isEmpty()) {
            next.remove(origin);
        } else {
            next.put(origin, policy);
        }
        return new TransferPolicies(next, global);
    }
}
