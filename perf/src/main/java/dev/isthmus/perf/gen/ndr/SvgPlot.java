package dev.isthmus.perf.gen.ndr;

import java.util.List;
import java.util.Locale;

/**
 * The search drawn as an SVG (plain text, no library): loss ratio against offered load above, p99 latency against
 * offered load below, one dot per trial (latency trials too), the NDR and PDR as vertical lines.
 */
public final class SvgPlot {

    private static final int WIDTH = 720;
    private static final int PANEL = 260;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int GAP = 70;

    private SvgPlot() {
    }

    public static String render(String title, List<TrialResult> trials, double ndr, double pdr) {
        double maxRate = trials.stream().mapToDouble(TrialResult::rate).max().orElse(1) * 1.05;
        double maxLoss = Math.max(1e-3, trials.stream().mapToDouble(TrialResult::lossRatio).max().orElse(0) * 1.1);
        double maxP99 = Math.max(1, trials.stream().mapToLong(TrialResult::p99Nanos).max().orElse(0) / 1e3 * 1.1);
        int height = TOP + 2 * PANEL + GAP + 50;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        int lossTop = TOP;
        int latTop = TOP + PANEL + GAP;
        axes(b, lossTop, "loss ratio", maxLoss, maxRate, "%.4f");
        axes(b, latTop, "p99 latency (us)", maxP99, maxRate, "%.1f");
        for (double[] line : new double[][] {{ndr, 0}, {pdr, 1}}) {
            if (line[0] > 0) {
                double x = x(line[0], maxRate);
                String color = line[1] == 0 ? "#2a7" : "#d80";
                String label = (line[1] == 0 ? "NDR " : "PDR ") + String.format(Locale.ROOT, "%.0f pps", line[0]);
                for (int top : new int[] {lossTop, latTop}) {
                    b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                            + "stroke-dasharray=\"4 3\"/>%n", x, top, x, top + PANEL, color));
                }
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>%n", x + 3,
                        lossTop + 14 + (int) line[1] * 14, color, label));
            }
        }
        for (TrialResult t : trials) {
            double x = x(t.rate(), maxRate);
            double y = lossTop + PANEL - t.lossRatio() / maxLoss * PANEL;
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", x, y,
                    t.lossRatio() == 0 ? "#2a7" : "#c33"));
            if (t.p99Nanos() >= 0) {
                double ly = latTop + PANEL - t.p99Nanos() / 1e3 / maxP99 * PANEL;
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#36c\"/>%n", x, ly));
            }
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">offered load (packets per second)</text>%n",
                LEFT + 200, height - 10));
        return b.append("</svg>\n").toString();
    }

    private static double x(double rate, double maxRate) {
        return LEFT + rate / maxRate * (WIDTH - LEFT - RIGHT);
    }

    private static void axes(StringBuilder b, int top, String label, double maxY, double maxRate, String yFormat) {
        int w = WIDTH - LEFT - RIGHT;
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, top, w, PANEL));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\">%s</text>%n", 14,
                top + PANEL / 2 + 40, 14, top + PANEL / 2 + 40, escape(label)));
        for (int k = 0; k <= 4; k++) {
            double y = top + PANEL - k * PANEL / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, y, LEFT + w, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">" + yFormat
                    + "</text>%n", LEFT - 4, y + 4, maxY * k / 4));
            double xr = maxRate * k / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x(xr, maxRate), top + PANEL + 16, dev.isthmus.perf.gen.Report.rate(xr)));
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
