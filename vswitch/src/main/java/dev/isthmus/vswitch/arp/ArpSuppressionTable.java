package dev.isthmus.vswitch.arp;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.fdb.LearningTable;

import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4-to-MAC bindings of one bridge domain for ARP suppression, on a {@link LearningTable}: lookups and snooping
 * from lcores without locks, configured bindings static, snooped ones aging like FDB entries, at most a limit of
 * snooped bindings (an ARP storm cannot grow memory).
 *
 * <p>Bindings are snooped from the sender fields of ARP requests and replies (RFC 826, "Packet Reception": the
 * sender's protocol/hardware pair is what a receiver merges into its table). A binding whose MAC changed is updated:
 * the station moved or took over the address (gratuitous ARP).
 */
public final class ArpSuppressionTable {

    /** Marks a stored MAC so that the payload is never 0 (the table's "absent"). */
    private static final long PRESENT = 1L << 48;
    /** Payload width: the MAC and {@link #PRESENT}; the last-seen time gets 13 bits of 16-second ticks. */
    private static final int PAYLOAD_BITS = 49;
    private static final int TICK_SHIFT = 4;
    /** What {@link #lookup} returns when no binding exists. */
    public static final long NONE = -1;

    private volatile LearningTable table;

    /** @param limit most snooped bindings */
    public ArpSuppressionTable(int limit) {
        this.table = new LearningTable(LearningTable.capacityFor(limit), limit, PAYLOAD_BITS, TICK_SHIFT);
    }

    /**
     * Data path: the MAC bound to {@code ip}.
     *
     * @param ip an IPv4 address
     * @return its MAC in the low 48 bits, or {@link #NONE}
     */
    public long lookup(int ip) {
        final long value = table.get(ip & 0xFFFF_FFFFL);
        return value == 0 ? NONE : value & MacAddress.BROADCAST.value();
    }

    /**
     * Data path: snoops a binding from an ARP sender.
     *
     * @param ip the sender IPv4 address
     * @param mac the sender MAC
     * @param now the current second
     * @return a {@link dev.isthmus.vswitch.fdb.LearnOutcome} constant
     */
    public int learn(int ip, long mac, int now) {
        return table.learn(ip & 0xFFFF_FFFFL, mac | PRESENT, now);
    }

    /**
     * Replaces the configured bindings; snooped ones stay. Control thread only.
     *
     * @param bindings IPv4 address to MAC
     */
    public synchronized void setStatic(Map<Ipv4Address, MacAddress> bindings) {
        table.removeIf(value -> (value & LearningTable.STATIC) != 0);
        if (table.staticCount() + bindings.size() > table.capacity() / 4) {
            rebuild(table.dynamicLimit(), bindings.size());
        }
        for (Map.Entry<Ipv4Address, MacAddress> binding : bindings.entrySet()) {
            if (!table.putStatic(binding.getKey().value() & 0xFFFF_FFFFL, binding.getValue().value() | PRESENT)) {
                rebuild(table.dynamicLimit(), bindings.size());
                table.putStatic(binding.getKey().value() & 0xFFFF_FFFFL, binding.getValue().value() | PRESENT);
            }
        }
    }

    /**
     * Ages snooped bindings and compacts. Control thread only.
     *
     * @param now the current second
     * @param maxAge seconds of silence after which a snooped binding goes
     * @return how many bindings aged out
     */
    public synchronized int maintain(int now, int maxAge) {
        final int aged = table.age(now, maxAge);
        if (table.needsCompaction()) {
            rebuild(table.dynamicLimit(), table.staticCount());
        }
        return aged;
    }

    /** Forgets every snooped binding. Control thread only. */
    public synchronized void flush() {
        table.removeIf(value -> (value & LearningTable.STATIC) == 0);
    }

    /** @param limit the new limit on snooped bindings */
    public synchronized void setLimit(int limit) {
        if (limit != table.dynamicLimit()) {
            rebuild(limit, table.staticCount());
        }
    }

    private void rebuild(int limit, int statics) {
        final LearningTable next = table.emptyLike(LearningTable.capacityFor(limit + statics), limit);
        table.copyLiveInto(next);
        table = next;
    }

    /** @return every binding, sorted by address */
    public Map<Ipv4Address, MacAddress> entries() {
        final TreeMap<Long, Long> sorted = new TreeMap<>();
        table.forEach(0, (ip, value, age) -> sorted.put(ip, value & MacAddress.BROADCAST.value()));
        final Map<Ipv4Address, MacAddress> out = new java.util.LinkedHashMap<>();
        sorted.forEach((ip, mac) -> out.put(new Ipv4Address((int) (long) ip), new MacAddress(mac)));
        return out;
    }
}
