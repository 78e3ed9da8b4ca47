package dev.isthmus.perf.gen;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The generator's final report: a table for people, {@code --json} for machines. */
public final class Report {

    private Report() {
    }

    /** A packet count per second, short: 950, 12.3k, 4.56M. */
    public static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    public static String text(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "ran %.3f s: sent %d (%s pps), received %d tracked, lost %d (loss ratio %.6f);"
                + " %d frames received in all, %d not from a stream%n", r.seconds(), r.sent(), rate(r.sentPps()),
                r.received(), r.lost(), r.lossRatio(), r.rxFrames(), r.rxOther()));
        b.append(String.format(Locale.ROOT, "TX lcore: %.3f CPU-seconds (%s pps per CPU-second), allocated %d bytes in its"
                + " loop after the first second; RX lcore allocated %d%n", r.txCpuSeconds(),
                rate(r.txCpuSeconds() > 0 ? r.sent() / r.txCpuSeconds() : 0), r.txAllocated(), r.rxAllocated()));
        b.append(String.format(Locale.ROOT, "%-16s %12s %12s %12s %12s %10s %10s%n", "stream", "offered pps", "sent",
                "received", "lost", "reordered", "duplicated"));
        for (StreamResult s : r.streams()) {
            b.append(String.format(Locale.ROOT, "%-16s %12.0f %12d %12s %12s %10s %10s%n", s.stream().name(),
                    s.offeredPps(), s.sent(), known(s.received()), known(s.lost()), known(s.outOfOrder()),
                    known(s.duplicated())));
            if (s.latency() != null) {
                b.append("    latency ").append(latency(s.latency(), s.jitterNanos())).append('\n');
            }
            if (!s.dnsMismatches().isEmpty()) {
                b.append("    dns mismatches:");
                s.dnsMismatches().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                b.append('\n');
            }
            if (s.noMbuf() > 0) {
                b.append("    mempool empty at ").append(s.noMbuf()).append(" bursts\n");
            }
        }
        return b.toString();
    }

    /** min/p50/p90/p99/p99.9/max and jitter in microseconds. */
    public static String latency(Histogram h, double jitterNanos) {
        if (h.getTotalCount() == 0) {
            return "(no samples)";
        }
        return String.format(Locale.ROOT, "us: min %.1f p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f jitter %.2f"
                + " (%d samples)", h.getMinValue() / 1e3, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, jitterNanos / 1e3, h.getTotalCount());
    }

    private static String known(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    public static String json(RunResult r) {
        StringBuilder b = new StringBuilder("{");
        b.append(String.format(Locale.ROOT, "\"seconds\":%.6f,\"sent\":%d,\"received\":%d,\"lost\":%d,\"lossRatio\":%.9f,"
                + "\"rxFrames\":%d,\"rxOther\":%d,\"txAllocatedBytes\":%d,\"rxAllocatedBytes\":%d,\"txCpuSeconds\":%.6f,"
                + "\"streams\":[", r.seconds(), r.sent(), r.received(), r.lost(), r.lossRatio(), r.rxFrames(), r.rxOther(),
                r.txAllocated(), r.rxAllocated(), r.txCpuSeconds()));
        String sep = "";
        for (StreamResult s : r.streams()) {
            b.append(sep).append('{');
            sep = ",";
            b.append("\"name\":").append(quote(s.stream().name())).append(",\"port\":").append(quote(s.stream().port()));
            b.append(String.format(Locale.ROOT, ",\"offeredPps\":%.3f,\"sent\":%d,\"noMbuf\":%d", s.offeredPps(), s.sent(),
                    s.noMbuf()));
            if (s.tracked()) {
                b.append(String.format(Locale.ROOT, ",\"received\":%d,\"lost\":%d,\"outOfOrder\":%d,\"duplicated\":%d",
                        s.received(), s.lost(), s.outOfOrder(), s.duplicated()));
            }
            if (s.latency() != null && s.latency().getTotalCount() > 0) {
                Histogram h = s.latency();
                b.append(String.format(Locale.ROOT, ",\"latencyNs\":{\"samples\":%d,\"min\":%d,\"p50\":%d,\"p90\":%d,"
                        + "\"p99\":%d,\"p99.9\":%d,\"max\":%d,\"jitter\":%.1f}", h.getTotalCount(), h.getMinValue(),
                        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                        h.getValueAtPercentile(99.9), h.getMaxValue(), s.jitterNanos()));
            }
            if (!s.dnsMismatches().isEmpty()) {
                b.append(",\"dnsMismatches\":{");
                String sep2 = "";
                for (Map.Entry<String, Long> e : s.dnsMismatches().entrySet()) {
                    b.append(sep2).append(quote(e.getKey())).append(':').append(e.getValue());
                    sep2 = ",";
                }
                b.append('}');
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
