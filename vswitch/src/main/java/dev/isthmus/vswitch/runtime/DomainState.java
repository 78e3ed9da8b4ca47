package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.fdb.Fdb;
import dev.isthmus.vswitch.learn.LearnedVteps;

/**
 * What a bridge domain keeps across configuration snapshots: its FDB, ARP-suppression table, counters and
 * learned VTEPs.
 *
 * @param fdb the MAC table
 * @param arp the ARP-suppression table
 * @param counters the counters
 * @param learnedVteps the VTEPs learned from their traffic (not configured)
 */
public record DomainState(Fdb fdb, ArpSuppressionTable arp, DomainCounters counters, LearnedVteps learnedVteps) {
}
