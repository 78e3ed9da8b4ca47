package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.counters.DomainCounters;
import dev.isthmus.vswitch.fdb.Fdb;

/**
 * What a bridge domain keeps across configuration snapshots: its FDB, ARP-suppression table and counters.
 *
 * @param fdb the MAC table
 * @param arp the ARP-suppression table
 * @param counters the counters
 */
public record DomainState(Fdb fdb, ArpSuppressionTable arp, DomainCounters counters) {
}
