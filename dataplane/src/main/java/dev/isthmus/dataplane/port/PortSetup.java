package dev.isthmus.dataplane.port;

import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.nativebindings.DpdkException;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.RxOffloads;
import dev.isthmus.nativebindings.TxOffloads;

/**
 * Brings a DPDK port up from its configuration: create (virtual device) or find (PCI, probed by the EAL's allow
 * list), configure {@code rxQueues} RX queues and one TX queue per lcore — or as many as the device has, when it has
 * fewer (net_pcap has one per output file): lcores beyond them cannot transmit on that port — set the MTU and
 * promiscuity, and start it. A port that owns addresses (it answers for the appliance: DNS, ICMP) gets IPv4 header
 * and UDP TX checksum offload when the device offers both, so that its answers leave the checksums to the NIC, and
 * IPv4 header and UDP RX checksum offload when the device offers both, so that the NIC's verdict on a query's
 * checksums spares the software sums; other ports keep the driver's plain RX and TX paths (some drivers leave
 * their vector paths once an offload is on, and only the stages of an addressed port read the verdicts).
 * Every failure
 * is a {@link dev.isthmus.nativebindings.DpdkException} naming the DPDK call and the port; on failure the port is
 * closed again so that nothing is left half set up.
 */
public final class PortSetup {

    private PortSetup() {
    }

    /**
     * An opened port, how many TX queues it got (lcores {@code 0 .. txQueues-1} may transmit on it) and the RX and
     * TX offloads it was configured with ({@code RxOffloads.PORT_*}, {@code TxOffloads.PORT_*}).
     */
    public record Opened(EthPort port, int txQueues, long rxOffloads, long txOffloads) {
    }

    /** The TX offloads a port with addresses is configured with when its device offers them all. */
    public static final long ADDRESSED_PORT_TX_OFFLOADS = TxOffloads.PORT_IPV4_CKSUM | TxOffloads.PORT_UDP_CKSUM;
    /** The RX offloads a port with addresses is configured with when its device offers them all. */
    public static final long ADDRESSED_PORT_RX_OFFLOADS = RxOffloads.PORT_IPV4_CKSUM | RxOffloads.PORT_UDP_CKSUM;

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
            boolean addressed = !config.ipv4().isEmpty() || !config.ipv6().isEmpty();
            long txOffloads = addressed && port.info().supportsTxOffloads(ADDRESSED_PORT_TX_OFFLOADS)
                    ? ADDRESSED_PORT_TX_OFFLOADS : 0;
            long rxOffloads = addressed && port.info().supportsRxOffloads(ADDRESSED_PORT_RX_OFFLOADS)
                    ? ADDRESSED_PORT_RX_OFFLOADS : 0;
            port.configure(config.rxQueues(), txQueues, rxOffloads, txOffloads);
            for (int q = 0; q < config.rxQueues(); q++) {
                port.setupRxQueue(q, config.rxDescriptors(), pool);
            }
            for (int q = 0; q < txQueues; q++) {
                port.setupTxQueue(q, config.txDescriptors());
            }
            if (config.mtu() != 0) {
                setMtu(port, config);
            }
            port.start();
            if (config.promiscuous()) {
                port.setPromiscuous(true);
            }
            return new Opened(port, txQueues, rxOffloads, txOffloads);
        } catch (RuntimeException e) {
            try {
                port.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void setMtu(EthPort port, PortConfig config) {
        try {
            port.setMtu(config.mtu());
        } catch (DpdkException e) {
            if (config.device().startsWith("net_af_packet")) {
                // DPDK 22.11's AF_PACKET PMD reports a 1514-byte largest frame, so the ethdev layer refuses more.
                throw new IllegalStateException("port " + config.name() + ": net_af_packet cannot take mtu "
                        + config.mtu() + " through DPDK; leave the port's mtu at 0, set the interface's MTU in the "
                        + "kernel (ip link set IFACE mtu " + config.mtu() + ") and give the PMD ring frames that hold "
                        + "a frame (devargs framesz=, e.g. framesz=9216,blocksz=36864) and mbufs whose data room holds "
                        + "a ring frame (mempool.data-room-size at least framesz + 128)", e);
            }
            throw e;
        }
    }
}
