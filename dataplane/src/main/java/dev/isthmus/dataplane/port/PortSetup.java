package dev.isthmus.dataplane.port;

import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Mempool;

/**
 * Brings a DPDK port up from its configuration: create (virtual device) or find (PCI, probed by the EAL's allow
 * list), configure {@code rxQueues} RX queues and one TX queue per lcore — or as many as the device has, when it has
 * fewer (net_pcap has one per output file): lcores beyond them cannot transmit on that port — set the MTU and
 * promiscuity, and start it. Every failure
 * is a {@link dev.isthmus.nativebindings.DpdkException} naming the DPDK call and the port; on failure the port is
 * closed again so that nothing is left half set up.
 */
public final class PortSetup {

    private PortSetup() {
    }

    /** An opened port and how many TX queues it got (lcores {@code 0 .. txQueues-1} may transmit on it). */
    public record Opened(EthPort port, int txQueues) {
    }

    public static Opened open(PortConfig config, int lcores, Mempool pool) {
        EthPort port = config.isPci() ? EthPort.byName(config.device()) : EthPort.createVdev(config.device(),
                config.devargs());
        try {
            int txQueues = Math.max(1, Math.min(lcores, port.info().maxTxQueues()));
            if (config.rxQueues() > port.info().maxRxQueues()) {
                throw new IllegalArgumentException("port " + config.name() + " (" + config.device() + "): "
                        + config.rxQueues() + " rx queues configured, the device has at most "
                        + port.info().maxRxQueues());
            }
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
            return new Opened(port, txQueues);
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
