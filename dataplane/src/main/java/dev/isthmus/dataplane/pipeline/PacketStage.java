package dev.isthmus.dataplane.pipeline;

/**
 * One step of packet processing, applied to a whole burst. For each packet it wants, it gives a verdict through
 * the frame ({@link PacketFrame#transmit}, {@link PacketFrame#handOff}, {@link PacketFrame#punt},
 * {@link PacketFrame#drop}); packets it leaves {@link PacketFrame#isPending pending} go to the next stage.
 *
 * <p>Called on the lcore's own thread only. Must not block, allocate per packet, or throw for anything a packet
 * contains; if it throws anyway the worker drops the burst's undecided packets as {@code STAGE_FAILED}, logs once
 * and goes on.
 */
@FunctionalInterface
public interface PacketStage {

    void process(PacketFrame frame);
}
