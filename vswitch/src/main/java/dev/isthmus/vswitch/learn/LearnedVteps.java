package dev.isthmus.vswitch.learn;

import dev.isthmus.vswitch.config.VtepAddress;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The VTEPs one bridge domain has learned (accepted without being configured), each with the last second an FDB entry
 * pointed at it: what aging measures. Kept beside the domain's FDB across snapshots, never in its configuration, so
 * neither the journal nor a restart keeps it (the VTEPs are learned again from their traffic). Control thread only.
 */
public final class LearnedVteps {

    private final Map<VtepAddress, Integer> lastReferenced = new LinkedHashMap<>();

    /** @param vtep an address @return whether it is learned here */
    public boolean contains(VtepAddress vtep) {
        return lastReferenced.containsKey(vtep);
    }

    /** @return how many VTEPs are learned */
    public int size() {
        return lastReferenced.size();
    }

    /**
     * @param vtep a VTEP not learned yet
     * @param now the current second, its first reference
     */
    public void add(VtepAddress vtep, int now) {
        lastReferenced.putIfAbsent(vtep, now);
    }

    /** @return the learned VTEPs, oldest first (a copy) */
    public List<VtepAddress> addresses() {
        return new ArrayList<>(lastReferenced.keySet());
    }

    /** @param vtep a learned VTEP @return seconds since an FDB entry last pointed at it, or -1 if not learned */
    public int idleSeconds(VtepAddress vtep, int now) {
        final Integer last = lastReferenced.get(vtep);
        return last == null ? -1 : Math.max(0, now - last);
    }

    /**
     * One aging round: VTEPs in {@code referenced} are marked as seen now; any other not seen for
     * {@code agingSeconds} is forgotten.
     *
     * @return the VTEPs forgotten
     */
    public List<VtepAddress> age(Set<VtepAddress> referenced, int now, int agingSeconds) {
        final List<VtepAddress> aged = new ArrayList<>();
        for (Iterator<Map.Entry<VtepAddress, Integer>> it = lastReferenced.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<VtepAddress, Integer> e = it.next();
            if (referenced.contains(e.getKey())) {
                e.setValue(now);
            } else if (now - e.getValue() >= agingSeconds) {
                aged.add(e.getKey());
                it.remove();
            }
        }
        return aged;
    }

    /**
     * Forgets the VTEPs {@code drop} selects, then the newest beyond {@code limit}.
     *
     * @return how many were forgotten
     */
    public int prune(Predicate<VtepAddress> drop, int limit) {
        final int before = lastReferenced.size();
        lastReferenced.keySet().removeIf(drop);
        final Iterator<VtepAddress> it = lastReferenced.keySet().iterator();
        for (int kept = 0; it.hasNext(); kept++) {
            it.next();
            if (kept >= limit) {
                it.remove();
            }
        }
        return before - lastReferenced.size();
    }

    /** Forgets every learned VTEP. */
    public void clear() {
        lastReferenced.clear();
    }
}
