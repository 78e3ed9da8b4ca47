package dev.isthmus.dataplane.pipeline;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import java.util.List;

/**
 * An lcore's ordered stages. Packets no stage decided on get the fallback: dropped as
 * {@link DataplaneDrop#NO_VERDICT}, or punted to the exception path when {@code puntUndecided}.
 */
public final class Pipeline {

    private static final int NO_VERDICT = DropReasons.code(DataplaneDrop.NO_VERDICT);

    private final PacketStage[] stages;
    private final boolean puntUndecided;

    public Pipeline(List<PacketStage> stages, boolean puntUndecided) {
        this.stages = stages.toArray(PacketStage[]::new);
        this.puntUndecided = puntUndecided;
    }

    public static Pipeline of(PacketStage... stages) {
        return new Pipeline(List.of(stages), false);
    }

    /** Runs every stage over the frame, then applies the fallback to what is still pending. */
    public void process(PacketFrame frame) {
        final PacketStage[] s = stages;
        for (int k = 0; k < s.length && frame.pendingCount() > 0; k++) {
            s[k].process(frame);
        }
        if (frame.pendingCount() > 0) {
            final int n = frame.size();
            for (int i = 0; i < n; i++) {
                if (frame.isPending(i)) {
                    if (puntUndecided) {
                        frame.punt(i);
                    } else {
                        frame.drop(i, NO_VERDICT);
                    }
                }
            }
        }
    }

    public int stageCount() {
        return stages.length;
    }
}
