package dev.isthmus.control.config;

import dev.isthmus.dns.edns.CookieSecrets;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.rrl.RrlSettings;
import dev.isthmus.dns.tsig.TsigKeyring;
import java.util.List;

/**
 * The authoritative DNS function.
 *
 * @param enabled whether the data plane answers UDP/53 on the appliance addresses
 * @param uplink the port clients reach the appliance through (its addresses are the ones served, and what the
 *               exception path's kernel sends leaves through it)
 * @param exceptionPath whether TCP/53 and everything else addressed to the appliance that the data plane does not
 *                      answer goes to a kernel in a network namespace (over a veth), where the kernel-socket
 *                      transport answers TCP from the same zones
 * @param queryLogEvery log one query in this many per lcore (1 = all, 0 = off; per-second counters are logged anyway)
 * @param mtu the IP MTU of the ports: the largest UDP answer the data plane sends
 * @param answerCacheEntries slots of each lcore's packet cache of answers (1448 bytes each), a power of two, or 0
 *                           for none
 * @param zones the zones loaded at start
 * @param rrl response-rate limiting ({@code dns.rrl}; off unless a rate is set)
 * @param cookies DNS Cookies ({@code dns.cookies}): the server-cookie secrets, or {@link CookieSecrets#OFF}
 * @param identity NSID and CH TXT identity ({@code dns.identity}), none by default
 * @param dnstapFile where sampled responses are written as dnstap (Frame Streams), or empty for none
 * @param minimalResponses {@code dns.minimal-responses} (default true): authority and additional data only where an
 *                         answer needs them, as Knot and NSD with {@code minimal-responses: yes}
 * @param dnstapSocket the Unix socket of a Frame Streams collector sampled queries and responses go to as dnstap, or
 *                     empty for none ({@code dns.dnstap-socket}; not with {@code dnstapFile})
 * @param tsigKeys the TSIG keys ({@code dns.tsig-keys}, RFC 8945) transfers and NOTIFY are signed with
 * @param secondaries the zones served from primaries ({@code dns.zones[]} with {@code primaries})
 * @param transfers zone transfers to secondaries ({@code dns.allow-transfer}, {@code dns.zones[].allow-transfer},
 *                  {@code notify}, {@code key}, {@code dns.ixfr-history})
 */
public record DnsConfig(boolean enabled, String uplink, boolean exceptionPath, int queryLogEvery, int mtu,
                        int answerCacheEntries, List<ZoneSource> zones, RrlSettings rrl,
                        CookieSecrets cookies, ServerIdentity identity, String dnstapFile,
                        boolean minimalResponses, String dnstapSocket, TsigKeyring tsigKeys,
                        List<SecondarySource> secondaries, TransferConfig transfers) {

    public DnsConfig {
        zones = List.copyOf(zones);
        secondaries = List.copyOf(secondaries);
    }

    /** Without zone transfers to secondaries ({@link TransferConfig#NONE}). */
    public DnsConfig(boolean enabled, String uplink, boolean exceptionPath, int queryLogEvery, int mtu,
                     int answerCacheEntries, List<ZoneSource> zones, RrlSettings rrl,
                     CookieSecrets cookies, ServerIdentity identity, String dnstapFile, boolean minimalResponses,
                     String dnstapSocket, TsigKeyring tsigKeys, List<SecondarySource> secondaries) {
        this(enabled, uplink, exceptionPath, queryLogEvery, mtu, answerCacheEntries, zones, rrl, cookies, identity,
                dnstapFile, minimalResponses, dnstapSocket, tsigKeys, secondaries, TransferConfig.NONE);
    }
}
