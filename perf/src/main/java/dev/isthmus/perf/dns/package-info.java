/**
 * DNS benchmarks: {@link dev.isthmus.perf.dns.DnsEngineBenchmark} (the engine alone, JMH), the zone/query
 * generation that {@code perf/scripts/bench-dns-kernel.sh} uses to compare the kernel transport with NSD and Knot,
 * and {@link dev.isthmus.perf.dns.DnsDataplaneBench}, the data-plane side of {@code perf/scripts/bench-dns.sh}.
 */
package dev.isthmus.perf.dns;
