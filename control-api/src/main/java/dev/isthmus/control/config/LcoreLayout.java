package dev.isthmus.control.config;

import dev.isthmus.dataplane.config.IdlePolicy;
import java.util.List;

/**
 * The polling threads of the data plane, in one of two modes.
 *
 * <ul>
 *   <li>Run to completion ({@code io} empty, the default): every worker polls its own RX queue of every port, runs
 *       every stage and transmits on its own TX queue of every port. Needs ports with a queue per worker (RSS on a
 *       NIC) to spread the load.</li>
 *   <li>Handoff ({@code io} given): the I/O lcores poll every RX queue, hash each packet's flow and hand it through
 *       the receiving worker's {@code MbufRing}; the workers run the stages on what their ring brings and transmit on
 *       TX queues they alone own. For ports with one RX queue (net_tap, net_af_packet, virtio without multiqueue, a
 *       NIC whose RSS cannot hash what matters), as DPDK's load_balancer example and VPP's worker handoff do.</li>
 * </ul>
 *
 * @param io          the I/O lcores' CPUs (-1 unpinned); empty for run to completion
 * @param workers     the workers' CPUs (-1 unpinned)
 * @param handoffRing slots of each worker's handoff ring (a power of two); used only with {@code io}
 * @param idle        what an lcore does when its inputs are empty: spin, or sleep adaptively (the data plane's own
 *                    type: one model of the concern)
 */
public record LcoreLayout(List<Integer> io, List<Integer> workers, int handoffRing, IdlePolicy idle) {

    /** Slots of a worker's handoff ring unless configured: 32 bursts, as DPDK's load_balancer sizes its rings. */
    public static final int DEFAULT_HANDOFF_RING = 1024;

    public LcoreLayout {
        io = List.copyOf(io);
        workers = List.copyOf(workers);
    }

    /** Run to completion on {@code workers}. */
    public LcoreLayout(List<Integer> workers) {
        this(List.of(), workers, DEFAULT_HANDOFF_RING, IdlePolicy.poll());
    }

    /** True when I/O lcores hand packets to the workers through rings. */
    public boolean handoff() {
        return !io.isEmpty();
    }

    /** How many polling threads there are in all: I/O lcores first, then workers. */
    public int count() {
        return io.size() + workers.size();
    }

    /** Every lcore's CPU in dataplane order: the I/O lcores, then the workers. */
    public List<Integer> cpus() {
        return java.util.stream.Stream.concat(io.stream(), workers.stream()).toList();
    }
}
