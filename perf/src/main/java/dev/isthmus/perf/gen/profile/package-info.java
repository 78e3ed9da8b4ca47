/**
 * Traffic profiles of {@code ./isthmus gen}: immutable records ({@link dev.isthmus.perf.gen.profile.Profile},
 * one per port and stream) and their YAML loader, which reports every problem as {@code file:line: key: message}
 * and refuses unknown keys, as the appliance's configuration loader does. The format is described in
 * {@code docs/perf.md}.
 */
package dev.isthmus.perf.gen.profile;
