package dev.isthmus.perf.gen.ndr;

import dev.isthmus.perf.gen.Generator;
import dev.isthmus.perf.gen.Report;
import dev.isthmus.perf.gen.RunResult;
import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.ProfileException;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code ./isthmus ndr --profile P.yml [--trial S] [--initial-trial S] [--pdr RATIO] [--precision R]
 * [--max-trials N] [--min-rate PPS] [--svg FILE] [--json]}: the profile's rates are the maximum offered load
 * (streams run continuously, scaled together); the search prints every trial, then NDR and PDR, then latency at
 * 10%, 50% and 90% of the NDR (trials of the final duration), writes the plot, and with {@code --json} a summary
 * line last.
 */
public final class NdrMain {

    private NdrMain() {
    }

    public static void main(String[] args) throws Exception {
        Path profilePath = null;
        double trialSeconds = 10;
        double initialSeconds = -1;
        double pdrLoss = 0.005;
        double precision = 0.01;
        int maxTrials = 30;
        double minRate = 1000;
        Path svg = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--profile" -> profilePath = Path.of(value(args, ++i, a));
                case "--trial" -> trialSeconds = Double.parseDouble(value(args, ++i, a));
                case "--initial-trial" -> initialSeconds = Double.parseDouble(value(args, ++i, a));
                case "--pdr" -> pdrLoss = Double.parseDouble(value(args, ++i, a));
                case "--precision" -> precision = Double.parseDouble(value(args, ++i, a));
                case "--max-trials" -> maxTrials = Integer.parseInt(value(args, ++i, a));
                case "--min-rate" -> minRate = Double.parseDouble(value(args, ++i, a));
                case "--svg" -> svg = Path.of(value(args, ++i, a));
                case "--json" -> json = true;
                default -> fail("unknown argument '" + a + "'");
            }
        }
        if (profilePath == null) {
            fail("--profile is required");
        }
        Profile profile;
        try {
            profile = ProfileLoader.load(profilePath).continuous();
        } catch (ProfileException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Duration trialDuration = Duration.ofMillis((long) (trialSeconds * 1000));
        Duration initial = initialSeconds > 0 ? Duration.ofMillis((long) (initialSeconds * 1000))
                : Duration.ofMillis(Math.max(500, trialDuration.toMillis() / 8));
        if (initial.compareTo(trialDuration) > 0) {
            initial = trialDuration;
        }
        try (Generator gen = Generator.open(profile)) {
            double maxRate = gen.offeredPps(profile);
            final Profile base = profile;
            Trial trial = (rate, duration) -> {
                RunResult r = gen.run(base.scaled(rate / maxRate), duration, Duration.ofMillis(500), null);
                if (r.trackedSent() == 0) {
                    throw new IllegalStateException("no stream of the profile can be tracked on return (give the "
                            + "streams room for the signature, or DNS queries): loss cannot be measured");
                }
                Histogram h = r.latency();
                return new TrialResult(rate, duration, r.trackedSent(), r.received(),
                        h == null ? -1 : h.getValueAtPercentile(99));
            };
            NdrSearch.Settings settings = new NdrSearch.Settings(Math.min(minRate, maxRate), maxRate, pdrLoss,
                    initial, trialDuration, precision, maxTrials);
            System.out.printf(Locale.ROOT, "ndr: %s, max %.0f pps, trials %.1f s up to %.1f s, precision %.3f, PDR loss "
                    + "goal %.4f, at most %d trials%n", profilePath, maxRate, initial.toMillis() / 1e3,
                    trialDuration.toMillis() / 1e3, precision, pdrLoss, maxTrials);
            int[] counter = {0};
            NdrSearch.Outcome o = new NdrSearch(settings, r -> System.out.println(NdrSearch.describe(++counter[0], r)))
                    .search(trial);
            System.out.printf(Locale.ROOT, "NDR %.0f pps (lowest loss at %.0f)  PDR %.0f pps at loss <= %.4f (lowest"
                    + " above at %.0f)  %d trials%s%n", o.ndr(), o.ndrUpper(), o.pdr(), pdrLoss, o.pdrUpper(),
                    o.trials().size(), o.converged() ? "" : "  (trial budget spent before the precision was met)");
            List<TrialResult> all = new ArrayList<>(o.trials());
            StringBuilder latencyJson = new StringBuilder();
            if (o.ndr() > 0) {
                for (double f : new double[] {0.1, 0.5, 0.9}) {
                    double rate = o.ndr() * f;
                    RunResult r = gen.run(profile.scaled(rate / maxRate), trialDuration, Duration.ofMillis(500), null);
                    Histogram h = r.latency();
                    all.add(new TrialResult(rate, trialDuration, r.trackedSent(), r.received(),
                            h == null ? -1 : h.getValueAtPercentile(99)));
                    System.out.printf(Locale.ROOT, "latency at %2.0f%% of NDR (%.0f pps): loss %.6f  %s%n", f * 100,
                            rate, r.lossRatio(), h == null ? "(no stream records latency)" : Report.latency(h,
                                    r.streams().stream().filter(s -> s.latency() != null)
                                            .mapToDouble(s -> s.jitterNanos()).average().orElse(Double.NaN)));
                    if (h != null) {
                        latencyJson.append(latencyJson.isEmpty() ? "" : ",").append(String.format(Locale.ROOT,
                                "{\"share\":%.2f,\"pps\":%.0f,\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p99.9\":%d,\"max\":%d}",
                                f, rate, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()));
                    }
                }
            }
            if (svg != null) {
                Files.writeString(svg, SvgPlot.render("RFC 2544 search: " + profilePath.getFileName(), all, o.ndr(),
                        o.pdr()));
                System.out.println("plot: " + svg);
            }
            if (json) {
                System.out.printf(Locale.ROOT, "{\"ndr\":%.1f,\"pdr\":%.1f,\"pdrLoss\":%.6f,\"trials\":%d,\"converged\":%s,"
                        + "\"latencyNs\":[%s]}%n", o.ndr(), o.pdr(), pdrLoss, o.trials().size(), o.converged(),
                        latencyJson);
            }
        }
        System.exit(0);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("ndr: " + message);
        System.err.println("usage: ./isthmus ndr --profile P.yml [--trial S] [--initial-trial S] [--pdr RATIO] "
                + "[--precision R] [--max-trials N] [--min-rate PPS] [--svg FILE] [--json]");
        System.exit(2);
    }
}
