/**
 * DNS over kernel sockets: {@link dev.isthmus.dns.transport.KernelDnsServer} (UDP workers sharing a port through
 * {@code SO_REUSEPORT}, TCP per RFC 7766 on virtual threads) and {@link dev.isthmus.dns.transport.KernelDnsMain},
 * the {@code ./isthmus dns} command. Each worker owns its {@link dev.isthmus.dns.engine.QueryEngine} and buffer;
 * they share only the zone catalog.
 */
package dev.isthmus.dns.transport;
