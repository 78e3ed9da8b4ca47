package dev.isthmus.dataplane.pipeline;

import dev.isthmus.dataplane.packet.EthernetHeader;

/**
 * Forwards every pending packet out of a fixed peer of its input port, optionally swapping its MAC addresses:
 * testpmd's {@code io} and {@code macswap} forwarding modes, the reference workloads of {@code bench forward}.
 */
public final class PortForwardStage implements PacketStage {

    private final int[] peer;
    private final boolean swapMacs;

    /**
     * @param peer     for each port number, the port number to send its packets out of
     * @param swapMacs swap source and destination MAC first (macswap)
     */
    public PortForwardStage(int[] peer, boolean swapMacs) {
        this.peer = peer.clone();
        this.swapMacs = swapMacs;
    }

    /** Pairs ports 0-1, 2-3, ... as testpmd does by default; a last odd port sends back to itself. */
    public static int[] pairedPorts(int ports) {
        int[] peer = new int[ports];
        for (int p = 0; p < ports; p++) {
            peer[p] = (p ^ 1) < ports ? p ^ 1 : p;
        }
        return peer;
    }

    @Override
    public void process(PacketFrame frame) {
        final int n = frame.size();
        final int[] peer = this.peer;
        final int burstPort = frame.inputPort();
        for (int i = 0; i < n; i++) {
            if (!frame.isPending(i)) {
                continue;
            }
            if (swapMacs && frame.length(i) >= EthernetHeader.HEADER_LENGTH) {
                EthernetHeader.swapMacs(frame.address(i));
            }
            frame.transmit(i, peer[burstPort >= 0 ? burstPort : frame.inputPort(i)]);
        }
    }
}
