/**
 * DNS benchmarks: {@link dev.isthmus.perf.dns.DnsEngineBenchmark} (the engine alone, JMH) and the zone/query
 * generation that {@code perf/scripts/bench-dns-kernel.sh} uses to compare the kernel transport with NSD and Knot.
 */
package dev.isthmus.perf.dns;
