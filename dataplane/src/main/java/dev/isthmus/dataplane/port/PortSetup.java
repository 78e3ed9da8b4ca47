package dev.isthmus.dataplane.port;

import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Mempool;

/**
 * Brings a DPDK port up from its configuration: create (virtual device) or find (PCI, probed by the EAL's allow
 * list), configure {@code rxQueues} RX and one TX queue per lcore, set the MTU, promiscuity, start. Every failure
 * is a {@link dev.isthmus.nativebindings.DpdkException} naming the DPDK call and the port; on failure the port is
 * closed again so that nothing is left half set up.
 */
public final class PortSetup {

    private PortSetup() {
    }

    public static EthPort open(PortConfig config, int txQueues, Mempool pool) {
        EthPort port = config.isPci() ? EthPort.byName(config.device()) : EthPort.createVdev(config.device(),
                config.devargs());
        try {
            port.configure(config.rxQueues(), txQueues, 0);
            for (int q = 0; q < config.rxQueues(); q++) {
                port.setupRxQueue(q, config.rxDescriptors(), pool);
            }
            for (int q = 0; q < txQueues; q++) {
                port.setupTxQueue(q, config.txDescriptors());
            }
            if (config.mtu() != 0) {
                port.setMtu(config.mtu());
            }
            port.start();
            if (config.promiscuous()) {
                port.setPromiscuous(true);
            }
            return port;
        } catch (RuntimeException e) {
            try {
                port.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
