/**
 * EDNS options the data plane adds to or reads from a message around the engine, without touching how answers are
 * made: DNS Cookies (RFC 7873, server cookies as RFC 9018). The engine answers; these classes read the query's
 * options before and append to the response's OPT record after, so the packet cache keeps only what every client
 * may receive (never another client's cookie).
 *
 * <p>Per lcore, allocation-free: flyweights over the packet, secrets read from an immutable snapshot published with
 * one volatile write.
 */
package dev.isthmus.dns.edns;
