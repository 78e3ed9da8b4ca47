package dev.isthmus.dataplane.pipeline;

import dev.isthmus.dataplane.ring.FlowHash;

/**
 * Hands every pending packet to a worker lcore chosen by its flow hash ({@link FlowHash}), through that lcore's
 * handoff ring: the RX-lcore half of an RX/worker split, keeping each flow on one worker (and in order) while
 * spreading flows over them. The workers' pipelines see these packets arrive from their ring input.
 */
public final class FlowDispatchStage implements PacketStage {

    private final int firstWorker;
    private final int workers;
    private final boolean symmetric;

    /**
     * @param firstWorker the lcore index of the first worker (workers are consecutive lcores)
     * @param workers     how many workers share the flows
     * @param symmetric   keep both directions of a conversation on the same worker
     */
    public FlowDispatchStage(int firstWorker, int workers, boolean symmetric) {
        if (workers < 1 || firstWorker < 0) {
            throw new IllegalArgumentException("need at least one worker from a valid lcore index, got " + workers
                    + " from " + firstWorker);
        }
        this.firstWorker = firstWorker;
        this.workers = workers;
        this.symmetric = symmetric;
    }

    @Override
    public void process(PacketFrame frame) {
        final int n = frame.size();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i)) {
                long hash = FlowHash.hash(frame.address(i), frame.length(i), symmetric);
                frame.handOff(i, firstWorker + FlowHash.select(hash, workers));
            }
        }
    }
}
