package dev.isthmus.dataplane.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What a poll-mode lcore does when its inputs are empty.
 *
 * <ul>
 *   <li>{@link Mode#POLL} (the default): spin. Lowest latency, a whole core per lcore whatever the load — the right
 *       choice on a dedicated core ({@code isolcpus}).</li>
 *   <li>{@link Mode#ADAPTIVE}: after {@code emptyPolls} turns in a row that received nothing (and with no partial TX
 *       burst waiting), sleep; each further empty turn sleeps twice as long, up to {@code maxSleep}; the first turn
 *       that receives resets it. Under load the loop never sleeps (one counter increment per empty turn is the
 *       whole cost); idle, it costs a wake-up every {@code maxSleep}; and the first packet after idleness waits at
 *       most {@code maxSleep} (plus the RX ring absorbs what arrives meanwhile). As DPDK's l3fwd-power scales its
 *       pauses with empty polls, and VPP's adaptive mode leaves polling when a queue is quiet — for cores shared
 *       with other work, such as two appliances, a router and a client on one small machine.</li>
 * </ul>
 *
 * @param mode       spin or sleep when idle
 * @param emptyPolls empty turns in a row before the first sleep (ADAPTIVE)
 * @param maxSleep   the longest sleep, which bounds the wake-up latency (ADAPTIVE)
 */
public record IdlePolicy(Mode mode, int emptyPolls, Duration maxSleep) {

    /** The first sleep, doubled on each further empty turn. */
    public static final long FIRST_SLEEP_NANOS = 1_000;

    public enum Mode { POLL, ADAPTIVE }

    public IdlePolicy {
        Objects.requireNonNull(mode, "idle policy: mode is missing");
        Objects.requireNonNull(maxSleep, "idle policy: maxSleep is missing");
        if (emptyPolls < 1) {
            throw new IllegalArgumentException("idle policy: emptyPolls must be at least 1, got " + emptyPolls);
        }
        if (maxSleep.toNanos() < FIRST_SLEEP_NANOS || maxSleep.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("idle policy: maxSleep must be 1 µs..100 ms, got " + maxSleep);
        }
    }

    /** Spin (the default). */
    public static IdlePolicy poll() {
        return new IdlePolicy(Mode.POLL, 1024, Duration.ofNanos(500_000));
    }

    /** Sleep after {@code emptyPolls} empty turns, at most {@code maxSleep} at a time. */
    public static IdlePolicy adaptive(int emptyPolls, Duration maxSleep) {
        return new IdlePolicy(Mode.ADAPTIVE, emptyPolls, maxSleep);
    }

    public boolean adaptive() {
        return mode == Mode.ADAPTIVE;
    }
}
