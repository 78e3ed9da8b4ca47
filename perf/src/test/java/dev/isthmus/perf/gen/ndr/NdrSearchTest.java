package dev.isthmus.perf.gen.ndr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search converges on simulated devices whose drop points are known. */
class NdrSearchTest {

    private static final Duration FINAL = Duration.ofSeconds(8);
    private static final Duration INITIAL = Duration.ofSeconds(1);

    /** A device that forwards up to {@code capacity} pps and drops the excess. */
    private static Trial capped(double capacity) {
        return (rate, d) -> {
            long sent = Math.round(rate * d.toNanos() / 1e9);
            long passed = Math.min(sent, Math.round(capacity * d.toNanos() / 1e9));
            return new TrialResult(rate, d, sent, passed, -1);
        };
    }

    private static NdrSearch.Settings settings(double max, int maxTrials) {
        return new NdrSearch.Settings(1_000, max, 0.005, INITIAL, FINAL, 0.005, maxTrials);
    }

    @Test
    void findsTheNdrAndPdrOfADeviceThatDropsAboveItsCapacity() throws Exception {
        double capacity = 3_210_000;
        NdrSearch.Outcome o = new NdrSearch(settings(10_000_000, 60), null).search(capped(capacity));
        assertTrue(o.converged(), "converged in " + o.trials().size() + " trials");
        assertTrue(o.ndr() <= capacity && o.ndr() >= capacity * (1 - 0.005), "NDR " + o.ndr());
        assertTrue(o.ndrUpper() > capacity && (o.ndrUpper() - o.ndr()) / o.ndrUpper() <= 0.005, "NDR upper " + o.ndrUpper());
        // The PDR lets 0.5% go: capacity / (1 - 0.005), within the precision.
        double pdr = capacity / (1 - 0.005);
        assertTrue(o.pdr() <= pdr && o.pdr() >= pdr * (1 - 0.005), "PDR " + o.pdr() + " expected about " + pdr);
        Duration last = o.trials().get(o.trials().size() - 1).duration();
        assertEquals(FINAL, last, "the bounds are confirmed at the final duration");
        assertTrue(o.trials().size() <= 30, "trials: " + o.trials().size());
    }

    @Test
    void aDeviceThatKeepsUpGivesTheMaximum() throws Exception {
        NdrSearch.Outcome o = new NdrSearch(settings(1_000_000, 20), null).search(capped(5_000_000));
        assertEquals(1_000_000, o.ndr());
        assertEquals(1_000_000, o.pdr());
        assertTrue(o.trials().size() <= 5, "only the maximum, re-measured per phase: " + o.trials().size());
    }

    @Test
    void aDeviceThatLosesOnlyOnLongTrialsIsCaughtInTheLastPhase() throws Exception {
        // Passes 2 Mpps in short trials, but only 1.5 Mpps over the final duration (a buffer that fills).
        Trial trial = (rate, d) -> {
            double capacity = d.compareTo(FINAL) >= 0 ? 1_500_000 : 2_000_000;
            return capped(capacity).run(rate, d);
        };
        NdrSearch.Outcome o = new NdrSearch(settings(4_000_000, 60), null).search(trial);
        assertTrue(o.ndr() <= 1_500_000 && o.ndr() >= 1_500_000 * 0.995, "NDR " + o.ndr());
    }

    @Test
    void theTrialBudgetBoundsTheSearch() throws Exception {
        List<TrialResult> seen = new ArrayList<>();
        NdrSearch.Outcome o = new NdrSearch(settings(10_000_000, 6), seen::add).search(capped(1_234_567));
        assertEquals(6, o.trials().size());
        assertEquals(o.trials(), seen, "every trial is reported as it ends");
        assertFalse(o.converged());
    }

    @Test
    void aDeviceThatPassesNothingGivesZero() throws Exception {
        NdrSearch.Outcome o = new NdrSearch(settings(1_000_000, 40), null).search(capped(0));
        assertEquals(0, o.ndr());
        assertEquals(0, o.pdr());
    }

    @Test
    void theSvgPlotsEveryTrial() throws Exception {
        NdrSearch.Outcome o = new NdrSearch(settings(10_000_000, 60), null).search(capped(3_000_000));
        String svg = SvgPlot.render("test", o.trials(), o.ndr(), o.pdr());
        assertTrue(svg.startsWith("<svg"));
        assertEquals(o.trials().size(), svg.split("<circle").length - 1);
        assertTrue(svg.contains("NDR ") && svg.contains("PDR "));
    }
}
