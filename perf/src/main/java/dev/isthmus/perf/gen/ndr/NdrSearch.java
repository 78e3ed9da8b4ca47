package dev.isthmus.perf.gen.ndr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Finds the NDR and the PDR between a minimum and a maximum rate with a bounded number of trials, after FD.io
 * CSIT's MLRsearch: phases of growing trial duration (the initial duration doubling up to the final one) and
 * shrinking interval width (twice the previous phase's goal, down to {@code precision}), each trial classifying the
 * rate for both goals at once. A rate that lost more than a goal allows stays an upper bound for that goal whatever
 * the duration (a longer trial would not lose less); a rate that passed is a lower bound only for phases whose
 * trials are no longer than its own, so each phase re-measures its lower bounds first. The first trial offers the
 * maximum; if it loses, the search starts below the rate that was received (the maximum receive rate).
 *
 * <p>Within a phase, a goal's interval is bisected until {@code (upper - lower) / upper <= width}; a lower bound that
 * fails on re-measurement becomes the upper one and the search steps down by a width that doubles on each further
 * failure (external search). It ends when the last phase has met its width for both goals, or after
 * {@code maxTrials} trials ({@link Outcome#converged()} false).
 */
public final class NdrSearch {

    /**
     * @param minRate         lowest rate to try (pps); below it the goal is reported as 0
     * @param maxRate         highest rate to try (pps): the profile's offered rate
     * @param pdrLoss         the PDR's loss-ratio goal (RFC 2544 asks for zero; CSIT's PDR is 0.005)
     * @param initialDuration duration of the first phase's trials
     * @param finalDuration   duration of the last phase's trials (RFC 2544 §24: at least 60 s for a report)
     * @param precision       relative width of the final interval, e.g. 0.005
     * @param maxTrials       bound on the number of trials
     */
    public record Settings(double minRate, double maxRate, double pdrLoss, Duration initialDuration,
            Duration finalDuration, double precision, int maxTrials) {

        public Settings {
            if (!(minRate > 0) || !(maxRate >= minRate)) {
                throw new IllegalArgumentException("need 0 < min rate <= max rate, got " + minRate + " and " + maxRate);
            }
            if (pdrLoss < 0 || pdrLoss >= 1) {
                throw new IllegalArgumentException("the PDR loss goal must be in [0, 1), got " + pdrLoss);
            }
            if (initialDuration.compareTo(finalDuration) > 0 || initialDuration.isZero()) {
                throw new IllegalArgumentException("need 0 < initial duration <= final duration");
            }
            if (!(precision > 0 && precision < 0.5)) {
                throw new IllegalArgumentException("precision must be in (0, 0.5), got " + precision);
            }
            if (maxTrials < 1) {
                throw new IllegalArgumentException("max trials must be at least 1");
            }
        }
    }

    /**
     * @param ndr       highest rate measured with no loss at the final duration (0 if none was found)
     * @param pdr       highest rate measured with at most the PDR goal's loss at the final duration
     * @param ndrUpper  lowest rate that lost (the NDR lies below it; the maximum rate if none did)
     * @param pdrUpper  likewise for the PDR
     * @param converged whether both intervals met the precision within the trial budget
     */
    public record Outcome(double ndr, double pdr, double ndrUpper, double pdrUpper, List<TrialResult> trials,
            boolean converged) {
    }

    /** A goal's bounds: the rate that passed (with its trial duration) and the rate that failed. */
    private static final class Goal {
        final double loss;
        double lower = -1;
        Duration lowerDuration = Duration.ZERO;
        double upper = -1;
        /** Relative step of the external search below a failed lower bound; doubles with each failure. */
        double step;
        /** Whether the external search has tried just under the maximum receive rate already. */
        boolean triedMrr;

        Goal(double loss) {
            this.loss = loss;
        }

        void classify(TrialResult r) {
            if (r.lossRatio() <= loss) {
                if (r.rate() > lower || r.duration().compareTo(lowerDuration) > 0 && r.rate() >= lower) {
                    lower = r.rate();
                    lowerDuration = r.duration();
                }
                if (upper >= 0 && upper <= lower) {
                    upper = -1;
                }
            } else {
                if (upper < 0 || r.rate() < upper) {
                    upper = r.rate();
                }
                if (lower >= r.rate()) {
                    lower = -1;
                    lowerDuration = Duration.ZERO;
                }
            }
        }
    }

    private final Settings settings;
    private final Consumer<TrialResult> listener;

    /** @param listener told of each trial as it ends (the command prints it) */
    public NdrSearch(Settings settings, Consumer<TrialResult> listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public Outcome search(Trial trial) throws Exception {
        Settings s = settings;
        List<Duration> durations = new ArrayList<>();
        for (Duration d = s.initialDuration(); d.compareTo(s.finalDuration()) < 0; d = d.multipliedBy(2)) {
            durations.add(d);
        }
        durations.add(s.finalDuration());
        List<TrialResult> trials = new ArrayList<>();
        Goal ndr = new Goal(0);
        Goal pdr = new Goal(s.pdrLoss());
        Goal[] goals = {ndr, pdr};
        // The maximum receive rate: what the device passes when offered the most.
        TrialResult first = measure(trial, s.maxRate(), durations.get(0), trials, goals);
        double mrr = first.duration().toNanos() > 0 ? first.received() * 1e9 / first.duration().toNanos() : 0;
        boolean converged = true;
        for (int phase = 0; phase < durations.size(); phase++) {
            Duration d = durations.get(phase);
            double width = s.precision() * Math.pow(2, durations.size() - 1 - phase);
            for (Goal g : goals) {
                g.step = 2 * width;
                while (true) {
                    if (trials.size() >= s.maxTrials()) {
                        converged = false;
                        break;
                    }
                    Double next = nextRate(g, d, width, mrr, s);
                    if (next == null) {
                        break;
                    }
                    measure(trial, next, d, trials, goals);
                }
            }
        }
        return new Outcome(Math.max(0, ndr.lower), Math.max(0, pdr.lower), ndr.upper < 0 ? s.maxRate() : ndr.upper,
                pdr.upper < 0 ? s.maxRate() : pdr.upper, List.copyOf(trials), converged);
    }

    /** The next rate to measure for a goal in a phase, or null when the goal is done in this phase. */
    private static Double nextRate(Goal g, Duration d, double width, double mrr, Settings s) {
        if (g.lower >= 0 && g.lowerDuration.compareTo(d) < 0) {
            return g.lower; // re-measure the lower bound at this phase's duration
        }
        if (g.lower < 0) {
            if (g.upper < 0) {
                return s.maxRate();
            }
            if (g.upper <= s.minRate()) {
                return null; // nothing at or above the minimum passes
            }
            // External search below the lowest failure: start under the receive rate, then widen the step.
            double guess;
            if (!g.triedMrr && mrr > s.minRate() && mrr < g.upper) {
                g.triedMrr = true;
                guess = mrr * (1 - width);
            } else {
                guess = g.upper * (1 - g.step);
                g.step = Math.min(0.5, g.step * 2);
            }
            return Math.max(s.minRate(), guess);
        }
        if (g.upper < 0) {
            return null; // the lower bound is the maximum rate
        }
        if ((g.upper - g.lower) / g.upper <= width) {
            return null;
        }
        return (g.lower + g.upper) / 2;
    }

    private TrialResult measure(Trial trial, double rate, Duration d, List<TrialResult> trials, Goal[] goals)
            throws Exception {
        TrialResult r = trial.run(rate, d);
        trials.add(r);
        for (Goal g : goals) {
            g.classify(r);
        }
        if (listener != null) {
            listener.accept(r);
        }
        return r;
    }

    /** One line for a trial: offered, sent, received, loss ratio, p99. */
    public static String describe(int index, TrialResult r) {
        return String.format(Locale.ROOT, "trial %2d  %5.1fs  offered %12.0f pps  sent %11d  received %11d  loss %.6f%s",
                index, r.duration().toMillis() / 1000.0, r.rate(), r.sent(), r.received(), r.lossRatio(),
                r.p99Nanos() >= 0 ? String.format(Locale.ROOT, "  p99 %.1f us", r.p99Nanos() / 1e3) : "");
    }
}
