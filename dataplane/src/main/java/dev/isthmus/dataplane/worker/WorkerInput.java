package dev.isthmus.dataplane.worker;

import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.nativebindings.EthPort;

/** Something a worker polls: an RX queue of a port, or a handoff ring fed by other lcores. */
public sealed interface WorkerInput {

    /** How counters name this input, e.g. {@code uplink:0} or {@code ring:dns1}. */
    String name();

    /**
     * An RX queue.
     *
     * @param port       the DPDK port
     * @param portNumber the dataplane's number for it
     * @param queue      the RX queue index
     * @param name       counters' name
     */
    record RxQueue(EthPort port, int portNumber, int queue, String name) implements WorkerInput {
    }

    /**
     * A handoff ring this worker alone consumes.
     *
     * @param ring       the ring
     * @param ringNumber reported to stages as {@code inputQueue}
     */
    record Ring(MbufRing ring, int ringNumber) implements WorkerInput {
        @Override
        public String name() {
            return "ring:" + ring.name();
        }
    }
}
