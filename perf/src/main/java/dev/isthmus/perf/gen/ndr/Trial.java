package dev.isthmus.perf.gen.ndr;

import java.time.Duration;

/** One trial of the search: offer {@code rate} packets per second for {@code duration}, report what came back. */
@FunctionalInterface
public interface Trial {

    TrialResult run(double rate, Duration duration) throws Exception;
}
