/**
 * The dataplane: DPDK ports, poll-mode lcore workers and the packet pipeline network functions plug into.
 * {@link dev.isthmus.dataplane.Dataplane} builds and runs it from a {@link dev.isthmus.dataplane.config.DataplaneConfig}.
 * Subpackages: {@code config} (validated configuration), {@code packet} (zero-copy header flyweights and checksums),
 * {@code pipeline} (frames, stages, verdicts), {@code worker} (poll loops), {@code ring} (lock-free handoff),
 * {@code counters}, {@code port}, {@code host} (ARP, ICMP echo, neighbour discovery for the ports' own addresses),
 * {@code address} (MAC/IPv4/IPv6 values).
 */
package dev.isthmus.dataplane;
