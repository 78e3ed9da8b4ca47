package dev.isthmus.dns.xfr;

import java.net.InetSocketAddress;

/**
 * Takes the NOTIFY messages (RFC 1996) that reach the kernel-socket transport: the data plane does not answer
 * NOTIFY and leaves it to the exception path, whose kernel delivers it here. The handler (the control plane's
 * secondary-zone service) verifies it and starts a refresh; the engine never sees it.
 */
@FunctionalInterface
public interface NotifyHandler {

    /** RFC 1996 §3.1: the NOTIFY opcode. */
    int OPCODE_NOTIFY = 4;

    /**
     * @param message the whole message as received
     * @param from its source
     * @return the answer to send back, or null to send none
     */
    byte[] onNotify(byte[] message, InetSocketAddress from);
}
