package dev.isthmus.dataplane.counters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters summed over lcores at one moment, for the control plane and tests: per lcore, per input queue, per port
 * and per drop reason. Made by {@link #of}; immutable.
 *
 * @param lcores      per lcore, its {@link LcoreCounters.Lcore} counters by name
 * @param inputs      per input (e.g. {@code uplink:0}), received packets and bytes
 * @param portTx      per port number, transmitted packets and bytes
 * @param drops       per drop reason ({@link #key}), packets dropped (reasons with zero omitted)
 */
public record CounterSnapshot(Map<String, Map<String, Long>> lcores, Map<String, long[]> inputs, List<long[]> portTx,
        Map<String, Long> drops) {

    /** Reads every counter of every lcore (opaque loads, no locking; the lcores keep running). */
    public static CounterSnapshot of(List<LcoreCounters> all, int ports) {
        Map<String, Map<String, Long>> lcores = new LinkedHashMap<>();
        Map<String, long[]> inputs = new LinkedHashMap<>();
        List<long[]> portTx = new ArrayList<>();
        for (int p = 0; p < ports; p++) {
            portTx.add(new long[2]);
        }
        long[] drops = new long[DropReasons.CAPACITY];
        for (LcoreCounters counters : all) {
            Map<String, Long> mine = new LinkedHashMap<>();
            for (LcoreCounters.Lcore c : LcoreCounters.Lcore.values()) {
                mine.put(c.name().toLowerCase(java.util.Locale.ROOT), counters.get(c));
            }
            lcores.put(counters.lcoreName(), mine);
            for (int i = 0; i < counters.inputNames().size(); i++) {
                long[] sums = inputs.computeIfAbsent(counters.inputNames().get(i), k -> new long[2]);
                sums[0] += counters.inputPackets(i);
                sums[1] += counters.inputBytes(i);
            }
            for (int p = 0; p < Math.min(ports, counters.ports()); p++) {
                portTx.get(p)[0] += counters.txPackets(p);
                portTx.get(p)[1] += counters.txBytes(p);
            }
            for (int code = 0; code < DropReasons.count(); code++) {
                drops[code] += counters.drops(code);
            }
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (int code = 0; code < DropReasons.count(); code++) {
            if (drops[code] != 0) {
                byReason.put(key(DropReasons.reason(code)), drops[code]);
            }
        }
        return new CounterSnapshot(lcores, inputs, portTx, byReason);
    }

    /** Sum of one lcore counter over all lcores. */
    public long total(LcoreCounters.Lcore counter) {
        String key = counter.name().toLowerCase(java.util.Locale.ROOT);
        return lcores.values().stream().mapToLong(m -> m.getOrDefault(key, 0L)).sum();
    }

    /** Drops of one reason over all lcores. */
    public long drops(DropReason reason) {
        return drops.getOrDefault(key(reason), 0L);
    }

    /** How a reason is named in {@link #drops()}: its enum's simple name and its own, e.g. {@code DataplaneDrop.TX_FULL}. */
    public static String key(DropReason reason) {
        return reason instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() + "." + reason.name() : reason.name();
    }

    /** Received packets of one input, e.g. {@code uplink:0}. */
    public long inputPackets(String input) {
        long[] v = inputs.get(input);
        return v == null ? 0 : v[0];
    }
}
