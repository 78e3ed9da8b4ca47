package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.config.VtepAddress;

/**
 * An underlay next hop (a directly reachable VTEP or a gateway) and its MAC, resolved by ARP (RFC 826) or neighbour
 * discovery (RFC 4861) and kept fresh: after {@link #REFRESH_SECONDS} without confirmation the data path probes
 * again while still using the known MAC (like Linux's STALE/PROBE states), and after {@link #EXPIRY_SECONDS} the
 * MAC is forgotten and encapsulated frames towards it are dropped as unresolved until a reply comes.
 *
 * <p>Written by the lcore that sees the reply, read by every encapsulating lcore: plain volatile fields, one writer
 * at a time in practice, and a lost race only delays a refresh.
 */
public final class Neighbor {

    /** Seconds after which a resolved MAC is probed again. */
    public static final int REFRESH_SECONDS = 30;
    /** Seconds without confirmation after which the MAC is forgotten. */
    public static final int EXPIRY_SECONDS = 90;
    /** Least seconds between two probes. */
    public static final int PROBE_INTERVAL_SECONDS = 1;
    /** What {@link #mac()} returns while unresolved. */
    public static final long UNRESOLVED = -1;

    private final VtepAddress address;
    private volatile long mac = UNRESOLVED;
    private volatile int confirmedAt = Integer.MIN_VALUE / 2;
    private volatile int probedAt = Integer.MIN_VALUE / 2;

    /** @param address the next hop's underlay address */
    public Neighbor(VtepAddress address) {
        this.address = address;
    }

    /** @return the next hop's underlay address */
    public VtepAddress address() {
        return address;
    }

    /** @return the resolved MAC, or {@link #UNRESOLVED} */
    public long mac() {
        return mac;
    }

    /**
     * Records a reply (or any ARP/ND message from the neighbour that carries its MAC).
     *
     * @param mac the neighbour's MAC
     * @param now the current second
     */
    public void confirm(long mac, int now) {
        if (this.mac != mac) {
            this.mac = mac;
        }
        if (confirmedAt != now) {
            confirmedAt = now;
        }
    }

    /**
     * Whether a probe should go out now; when it returns true it also records the probe, so concurrent callers
     * rarely both send one.
     *
     * @param now the current second
     * @return true to send an ARP request or neighbour solicitation
     */
    public boolean takeProbe(int now) {
        final boolean due = mac == UNRESOLVED || now - confirmedAt >= REFRESH_SECONDS;
        if (!due || now - probedAt < PROBE_INTERVAL_SECONDS) {
            return false;
        }
        probedAt = now;
        return true;
    }

    /**
     * Control-side expiry: forgets a MAC unconfirmed for {@link #EXPIRY_SECONDS}.
     *
     * @param now the current second
     */
    public void expire(int now) {
        if (mac != UNRESOLVED && now - confirmedAt >= EXPIRY_SECONDS) {
            mac = UNRESOLVED;
        }
    }

    /** @param now the current second @return seconds since the last confirmation */
    public int ageSeconds(int now) {
        return now - confirmedAt;
    }
}
