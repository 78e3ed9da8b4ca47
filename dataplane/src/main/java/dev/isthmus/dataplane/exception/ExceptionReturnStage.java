package dev.isthmus.dataplane.exception;

import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.pipeline.PacketStage;

/**
 * The way back from the exception path: every frame the kernel sends out of the exception port (TCP segments of a
 * DNS-over-TCP connection, its ARP and neighbour solicitations, ICMP errors) leaves through the uplink port
 * unchanged — the kernel already wrote the appliance's MAC and addresses as its source. One instance per lcore.
 */
public final class ExceptionReturnStage implements PacketStage {

    private final int exceptionPort;
    private final int uplinkPort;

    /**
     * @param exceptionPort port number of the exception port (the kernel's side of the appliance)
     * @param uplinkPort    port number its frames leave through
     */
    public ExceptionReturnStage(int exceptionPort, int uplinkPort) {
        if (exceptionPort < 0 || uplinkPort < 0 || exceptionPort == uplinkPort) {
            throw new IllegalArgumentException("exception port " + exceptionPort + " and uplink " + uplinkPort
                    + " must be two different ports");
        }
        this.exceptionPort = exceptionPort;
        this.uplinkPort = uplinkPort;
    }

    @Override
    public void process(PacketFrame frame) {
        final int burstPort = frame.inputPort();
        if (burstPort >= 0 && burstPort != exceptionPort) {
            return; // the common case: a burst from an uplink, one comparison per burst
        }
        final int n = frame.size();
        for (int i = 0; i < n; i++) {
            if (frame.isPending(i) && (burstPort == exceptionPort || frame.inputPort(i) == exceptionPort)) {
                frame.transmit(i, uplinkPort);
            }
        }
    }
}
