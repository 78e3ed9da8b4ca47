package dev.isthmus.dns.xfr;

import java.time.Duration;

/**
 * Bounds on what one transfer may bring, so a hostile or broken primary cannot exhaust the control plane's heap or
 * hold it forever: a transfer past a bound fails and changes nothing.
 *
 * @param maxBytes total DNS message octets of one transfer
 * @param maxRecords records of one transfer (an AXFR's zone, or an IXFR's deletions and additions together)
 * @param timeout for connecting and for each read
 */
public record TransferLimits(long maxBytes, int maxRecords, Duration timeout) {
    /** 256 MiB and 2 million records: far above any zone the appliance is sized for, far below its heap. */
    public static final TransferLimits DEFAULT = new TransferLimits(256L << 20, 2_000_000, Duration.ofSeconds(10));
}
