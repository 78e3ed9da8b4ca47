package dev.isthmus.dns.xfr;

import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.wire.DnsName;
import java.net.InetAddress;
import java.util.Map;

/**
 * The transfer policies of every zone, the global {@code allow-transfer} and the TSIG keys (RFC 8945) the policies
 * name, immutable; replaced whole with one volatile write by {@link ZoneTransfers#policies(TransferPolicies)}.
 *
 * <p>A transfer is admitted when the peer's address is in the zone's prefixes (or, when it lists none, in the global
 * ones) and, when the zone requires a key, the request was signed with that key and verified. A zone that requires a
 * key and has no prefixes anywhere admits any address that signs with the key.
 *
 * @param zones each zone's own policy, by origin
 * @param global the prefixes allowed to transfer a zone whose policy lists none
 * @param keys the TSIG keys transfers may be signed with (requests signed with another key get NOTAUTH/BADKEY)
 */
public record TransferPolicies(Map<DnsName, TransferPolicy> zones, TransferPolicy global, TsigKeyring keys) {
    public static final TransferPolicies NONE = new TransferPolicies(Map.of(), TransferPolicy.NONE, TsigKeyring.EMPTY);

    public TransferPolicies {
        zones = Map.copyOf(zones);
    }

    /** Without TSIG keys. */
    public TransferPolicies(Map<DnsName, TransferPolicy> zones, TransferPolicy global) {
        this(zones, global, TsigKeyring.EMPTY);
    }

    /** @return the zone's policy, {@link TransferPolicy#NONE} when it has none */
    public TransferPolicy of(DnsName origin) {
        return zones.getOrDefault(origin, TransferPolicy.NONE);
    }

    /**
     * @param verifiedKey the key the request was signed with and verified by, or null for an unsigned request
     * @return true when the transfer of {@code origin} to {@code peer} is allowed
     */
    public boolean admits(DnsName origin, InetAddress peer, TsigKey verifiedKey) {
        TransferPolicy p = of(origin);
        if (p.key() != null && (verifiedKey == null || !verifiedKey.name().equals(DnsName.of(p.key())))) {
            return false; // RFC 8945 §5.2: a zone that requires a key is given only to that key
        }
        if (!p.allowTransfer().isEmpty()) {
            return p.allows(peer);
        }
        if (!global.allowTransfer().isEmpty()) {
            return global.allows(peer);
        }
        return p.key() != null;
    }

    /** @return true when {@code peer} may transfer the zone without a key (the address rules alone) */
    public boolean allows(DnsName origin, InetAddress peer) {
        return admits(origin, peer, null);
    }

    /** @return the key the zone's transfers and NOTIFY are signed with, or null (none, or not among the keys) */
    public TsigKey keyOf(DnsName origin) {
        String name = of(origin).key();
        return name == null ? null : keys.find(DnsName.of(name));
    }

    /** @return true when the zone may be transferred or has NOTIFY targets: its history is then worth keeping */
    public boolean transferable(DnsName origin) {
        TransferPolicy p = of(origin);
        return !p.allowTransfer().isEmpty() || !p.notifyTargets().isEmpty() || p.key() != null
            || !global.allowTransfer().isEmpty();
    }

    /** @return a copy with {@code origin}'s policy replaced ({@link TransferPolicy#isEmpty()} removes it) */
    public TransferPolicies with(DnsName origin, TransferPolicy policy) {
        var next = new java.util.HashMap<>(zones);
        if (policy.isEmpty()) {
            next.remove(origin);
        } else {
            next.put(origin, policy);
        }
        return new TransferPolicies(next, global, keys);
    }

    /** @return a copy with these keys */
    public TransferPolicies withKeys(TsigKeyring keyring) {
        return new TransferPolicies(zones, global, keyring);
    }
}
