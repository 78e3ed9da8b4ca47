/**
 * The packet pipeline, frame at a time (as VPP's graph nodes): a worker hands each received burst to its
 * {@link dev.isthmus.dataplane.pipeline.Pipeline} as one {@link dev.isthmus.dataplane.pipeline.PacketFrame}; every
 * {@link dev.isthmus.dataplane.pipeline.PacketStage} in turn gives verdicts to the packets still pending — transmit
 * on a port, hand off to a ring, punt to the exception path, drop with a reason, or leave for the next stage.
 * Verdicts are collected in an array and carried out once per burst by the worker: grouped TX bursts per port, ring
 * enqueues per ring, one bulk free of the drops, counters per burst.
 *
 * <p>Network functions (DNS, VxLAN) plug in as stages; nothing here knows about them. Stages are created per lcore
 * by a {@link dev.isthmus.dataplane.pipeline.PipelineFactory}, so each may keep its own flyweights and state without
 * sharing; a stage never blocks, allocates per packet or throws for a bad packet (it drops it with a reason).
 */
package dev.isthmus.dataplane.pipeline;
