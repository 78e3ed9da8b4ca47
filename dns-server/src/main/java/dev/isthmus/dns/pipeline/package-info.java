/**
 * The DNS engine on the data plane: {@link dev.isthmus.dns.pipeline.DnsStage} answers UDP/53 queries to the
 * appliance's addresses in the mbuf they came in, on the queue they came from; {@link
 * dev.isthmus.dns.pipeline.DnsDataPath} builds each lcore's DNS stage and sums its counters. Where the stage stands
 * among the others, and the exception path that serves DNS over TCP, belong to the appliance
 * ({@code dev.isthmus.dataplane.exception}).
 *
 * <h2>Per lcore, nothing shared</h2>
 * Each lcore has its own stage, {@code QueryEngine} (scratch state), flyweights, {@link
 * dev.isthmus.dns.pipeline.DnsCounters} (by RCODE and QTYPE, single writer, summed on read) and query-log ring.
 * The only thing lcores share is the {@code ZoneCatalog}, an immutable snapshot swapped by one volatile write. The
 * query log and the per-second counters leave the poll loop through an SPSC ring per lcore ({@code LogRing}) to one
 * logger thread; a full ring drops the record and counts it, the lcore never waits.
 */
package dev.isthmus.dns.pipeline;
