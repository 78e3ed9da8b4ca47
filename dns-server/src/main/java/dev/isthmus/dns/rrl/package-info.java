/**
 * Response-rate limiting (RRL) on the data plane, after the technical note by Paul Vixie and Vernon Schryver
 * ("DNS Response Rate Limiting", 2012) as BIND, NSD and Knot implement it.
 *
 * <ul>
 *   <li>{@link dev.isthmus.dns.rrl.RrlSettings}: the operator's settings (YAML {@code dns.rrl}, REST
 *       {@code /dns/rrl}), validated, each problem naming its field;</li>
 *   <li>{@link dev.isthmus.dns.rrl.RrlPolicy}: those settings compiled for the poll loop (masks, exempt prefixes as
 *       numbers), immutable, published by {@link dev.isthmus.dns.rrl.RrlControl} with one volatile write;</li>
 *   <li>{@link dev.isthmus.dns.rrl.ResponseClass}: what a response is, read from its own bytes — its kind and the
 *       name it is accounted to (the query name for answers, the zone for NXDOMAIN, the delegation for referrals);</li>
 *   <li>{@link dev.isthmus.dns.rrl.RateLimitTable}: one lcore's fixed-size table of token buckets, keyed by
 *       (client prefix, kind, name): send, drop or slip.</li>
 * </ul>
 *
 * <p>Nothing here allocates, locks or calls the kernel per packet; tables belong to one lcore each.
 */
package dev.isthmus.dns.rrl;
