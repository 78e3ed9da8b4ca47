package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.isthmus.nativebindings.generated.Dpdk;
import dev.isthmus.nativebindings.generated.rte_eth_conf;
import dev.isthmus.nativebindings.generated.rte_eth_dev_info;
import dev.isthmus.nativebindings.generated.rte_eth_rss_conf;
import dev.isthmus.nativebindings.generated.rte_eth_rxmode;
import dev.isthmus.nativebindings.generated.rte_eth_stats;
import dev.isthmus.nativebindings.generated.rte_eth_txmode;
import dev.isthmus.nativebindings.generated.rte_ether_addr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One DPDK Ethernet port (ethdev): created from a virtual device, probed from a PCI address, or found by name;
 * configured, started, observed and closed here. Received and sent packets go through {@link MbufBurst}.
 *
 * <p>Lifecycle, as DPDK requires: {@link #configure} → {@link #setupRxQueue}/{@link #setupTxQueue} for every queue →
 * {@link #start} → (data path) → {@link #stop} → {@link #close}. Every failing call throws {@link DpdkException}
 * naming the call and the port.
 */
public final class EthPort implements AutoCloseable {

    static {
        Shim.ensureLoaded();
    }

    private final short id;
    private final String name;
    /** Created by rte_vdev_init (or rte_eth_from_rings), so removed with rte_vdev_uninit. */
    private final boolean virtual;
    /** Queue counts of the last configure(); -1 before. DPDK dereferences unconfigured queue arrays. */
    private int rxQueues = -1;
    private int txQueues = -1;
    private boolean started;
    private boolean closed;

    private EthPort(short id, String name, boolean virtual) {
        this.id = id;
        this.name = name;
        this.virtual = virtual;
    }

    /**
     * Creates a port from a virtual device: {@code createVdev("net_null0", "")},
     * {@code createVdev("net_tap0", "iface=isthmus0")}, {@code createVdev("net_pcap0", "rx_pcap=a.pcap,infinite_rx=1")}.
     * The name's prefix picks the driver and must be unique in the process.
     */
    public static EthPort createVdev(String name, String args) {
        Eal.require();
        try (Arena arena = Arena.ofConfined()) {
            String call = "rte_vdev_init(" + name + (args.isEmpty() ? "" : ", " + args) + ")";
            DpdkException.check(call, Dpdk.rte_vdev_init(arena.allocateFrom(name), arena.allocateFrom(args)));
            return new EthPort(portIdOf(arena, name), name, true);
        }
    }

    /**
     * Probes a device by its devargs, e.g. a PCI address {@code "0000:03:00.0"} (bound to vfio-pci), and returns its
     * port. The EAL must have been initialised without {@code --no-pci} for PCI devices.
     */
    public static EthPort probe(String devargs) {
        Eal.require();
        try (Arena arena = Arena.ofConfined()) {
            DpdkException.check("rte_dev_probe(" + devargs + ")", Dpdk.rte_dev_probe(arena.allocateFrom(devargs)));
            int comma = devargs.indexOf(',');
            String name = comma < 0 ? devargs : devargs.substring(0, comma);
            return new EthPort(portIdOf(arena, name), name, false);
        }
    }

    /** The existing port of this name (e.g. one created by a {@code --vdev} EAL argument). */
    public static EthPort byName(String name) {
        Eal.require();
        try (Arena arena = Arena.ofConfined()) {
            return new EthPort(portIdOf(arena, name), name, false);
        }
    }

    /**
     * A {@code net_ring} port that receives from {@code rx} and sends to {@code tx} ({@code rte_eth_from_rings}).
     * Two of them over the same two rings, crossed, make a cable between two ports inside the process.
     * The rings must outlive the port. DPDK names the device {@code net_ring_<name>}, which is {@link #name()}.
     */
    public static EthPort fromRings(String name, NativeRing rx, NativeRing tx) {
        Eal.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxs = arena.allocate(ADDRESS);
            rxs.set(ADDRESS, 0, MemorySegment.ofAddress(rx.address()));
            MemorySegment txs = arena.allocate(ADDRESS);
            txs.set(ADDRESS, 0, MemorySegment.ofAddress(tx.address()));
            int port = Dpdk.rte_eth_from_rings(arena.allocateFrom(name), rxs, 1, txs, 1, Dpdk.rte_socket_id());
            if (port < 0) {
                throw DpdkException.fromRteErrno("rte_eth_from_rings(" + name + ", rx " + rx.name() + ", tx "
                        + tx.name() + ")");
            }
            return new EthPort((short) port, "net_ring_" + name, true);
        }
    }

    /** Ports DPDK knows of in this process ({@code rte_eth_dev_count_avail}). */
    public static int countAvailable() {
        Eal.require();
        return Short.toUnsignedInt(Dpdk.rte_eth_dev_count_avail());
    }

    private static short portIdOf(Arena arena, String name) {
        MemorySegment id = arena.allocate(JAVA_SHORT);
        DpdkException.check("rte_eth_dev_get_port_by_name(" + name + ")",
                Dpdk.rte_eth_dev_get_port_by_name(arena.allocateFrom(name), id));
        return id.get(JAVA_SHORT, 0);
    }

    /** The DPDK port id. */
    public int id() {
        return Short.toUnsignedInt(id);
    }

    /** The port id as the shim's uint16_t, for {@link MbufBurst}. */
    short nativeId() {
        return id;
    }

    public String name() {
        return name;
    }

    /** NUMA socket of the port's device; where its queues and mempool belong. */
    public int socketId() {
        int socket = Dpdk.rte_eth_dev_socket_id(id);
        return socket < 0 ? Dpdk.rte_socket_id() : socket;
    }

    /** Flow types spread over RX queues when there are several: IPv4/IPv6 by addresses, UDP and TCP by ports too. */
    private static final long RSS_HASH_FUNCTIONS = Dpdk.RTE_ETH_RSS_IP() | Dpdk.RTE_ETH_RSS_UDP() | Dpdk.RTE_ETH_RSS_TCP();

    /**
     * Configures the number of RX and TX queues and the port-wide TX offloads ({@code TxOffloads.PORT_*}; 0 for
     * none), with no RX offloads; see {@link #configure(int, int, long, long)}.
     */
    public void configure(int rxQueues, int txQueues, long txOffloads) {
        configure(rxQueues, txQueues, 0, txOffloads);
    }

    /**
     * Configures the number of RX and TX queues and the port-wide RX offloads ({@code RxOffloads.PORT_*}) and TX
     * offloads ({@code TxOffloads.PORT_*}); 0 for none. With more than one RX queue, RSS spreads flows over them by
     * a hash of addresses and ports (the flow types of {@code RTE_ETH_RSS_IP | UDP | TCP} the device supports, DPDK's
     * default key), so that each poll lcore sees whole flows; see {@link #rssHashFunctions()}. Everything else stays
     * at the driver's defaults, the MTU included.
     */
    public void configure(int rxQueues, int txQueues, long rxOffloads, long txOffloads) {
        checkOpen();
        if (started) {
            throw new IllegalStateException(this + " is started; stop it before configuring");
        }
        if (rxQueues < 0 || rxQueues > 0xFFFF || txQueues < 0 || txQueues > 0xFFFF) {
            throw new IllegalArgumentException("queue counts " + rxQueues + " rx, " + txQueues + " tx out of range");
        }
        long rssHash = rxQueues > 1 ? RSS_HASH_FUNCTIONS & info().rssHashCapabilities() : 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment conf = NativeMemory.allocateStruct(arena, rte_eth_conf.layout());
            rte_eth_txmode.offloads(rte_eth_conf.txmode(conf), txOffloads);
            rte_eth_rxmode.offloads(rte_eth_conf.rxmode(conf), rxOffloads);
            if (rssHash != 0) {
                // rss_key stays NULL: the driver's default key.
                rte_eth_rxmode.mq_mode(rte_eth_conf.rxmode(conf), Dpdk.RTE_ETH_MQ_RX_RSS());
                rte_eth_rss_conf.rss_hf(rte_eth_conf.rx_adv_conf.rss_conf(rte_eth_conf.rx_adv_conf(conf)), rssHash);
            }
            DpdkException.check(describe("rte_eth_dev_configure", rxQueues + " rx, " + txQueues + " tx, rx offloads 0x"
                    + Long.toHexString(rxOffloads) + ", tx offloads 0x" + Long.toHexString(txOffloads)),
                    Dpdk.rte_eth_dev_configure(id, (short) rxQueues, (short) txQueues, conf));
        }
        this.rxQueues = rxQueues;
        this.txQueues = txQueues;
    }

    /** Sets up RX queue {@code queue} with {@code descriptors} ring entries, receiving into {@code pool}. */
    public void setupRxQueue(int queue, int descriptors, Mempool pool) {
        checkQueue("RX", queue, rxQueues);
        DpdkException.check(describe("rte_eth_rx_queue_setup", "queue " + queue + ", " + descriptors + " descriptors, "
                + pool.name()), Dpdk.rte_eth_rx_queue_setup(id, (short) queue, (short) descriptors, socketId(),
                MemorySegment.NULL, pool.segment()));
    }

    /** Sets up TX queue {@code queue} with {@code descriptors} ring entries and the driver's default thresholds. */
    public void setupTxQueue(int queue, int descriptors) {
        checkQueue("TX", queue, txQueues);
        DpdkException.check(describe("rte_eth_tx_queue_setup", "queue " + queue + ", " + descriptors + " descriptors"),
                Dpdk.rte_eth_tx_queue_setup(id, (short) queue, (short) descriptors, socketId(), MemorySegment.NULL));
    }

    public void start() {
        checkOpen();
        if (rxQueues < 0) {
            throw new IllegalStateException(this + " is not configured");
        }
        DpdkException.check(describe("rte_eth_dev_start", null), Dpdk.rte_eth_dev_start(id));
        started = true;
    }

    /** Stops the port; its queues keep their setup and {@link #start} may be called again. */
    public void stop() {
        if (started) {
            DpdkException.check(describe("rte_eth_dev_stop", null), Dpdk.rte_eth_dev_stop(id));
            started = false;
        }
    }

    public boolean isStarted() {
        return started;
    }

    /**
     * Stops and releases the port; a virtual device is removed too, so its name can be used again. The mbufs its RX
     * rings held go back to their pool. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (virtual) {
            // The vdev's remove callback closes the ethdev and frees the port id.
            try (Arena arena = Arena.ofConfined()) {
                DpdkException.check(describe("rte_vdev_uninit", null), Dpdk.rte_vdev_uninit(arena.allocateFrom(name)));
            }
        } else {
            DpdkException.check(describe("rte_eth_dev_close", null), Dpdk.rte_eth_dev_close(id));
        }
    }

    /** The link as the driver last saw it, without waiting ({@code rte_eth_link_get_nowait}). */
    public LinkStatus link() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment speed = arena.allocate(JAVA_INT);
            MemorySegment flags = arena.allocate(JAVA_INT);
            DpdkException.check(describe("rte_eth_link_get_nowait", null),
                    Shim.linkGet(id, speed.address(), flags.address()));
            int f = flags.get(JAVA_INT, 0);
            return new LinkStatus((f & Shim.LINK_UP) != 0, speed.get(JAVA_INT, 0), (f & Shim.LINK_FULL_DUPLEX) != 0,
                    (f & Shim.LINK_AUTONEG) != 0);
        }
    }

    /** The port's counters now ({@code rte_eth_stats_get}). */
    public PortStats stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = NativeMemory.allocateStruct(arena, rte_eth_stats.layout());
            DpdkException.check(describe("rte_eth_stats_get", null), Dpdk.rte_eth_stats_get(id, s));
            return new PortStats(rte_eth_stats.ipackets(s), rte_eth_stats.opackets(s), rte_eth_stats.ibytes(s),
                    rte_eth_stats.obytes(s), rte_eth_stats.imissed(s), rte_eth_stats.ierrors(s),
                    rte_eth_stats.oerrors(s), rte_eth_stats.rx_nombuf(s));
        }
    }

    public void resetStats() {
        DpdkException.check(describe("rte_eth_stats_reset", null), Dpdk.rte_eth_stats_reset(id));
    }

    /** The port's MAC address: its six bytes in transmission order in the low 48 bits (first byte highest). */
    public long macAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = NativeMemory.allocateStruct(arena, rte_ether_addr.layout());
            DpdkException.check(describe("rte_eth_macaddr_get", null), Dpdk.rte_eth_macaddr_get(id, addr));
            long mac = 0;
            for (int i = 0; i < 6; i++) {
                mac = mac << 8 | Byte.toUnsignedLong(addr.get(JAVA_BYTE, i));
            }
            return mac;
        }
    }

    /** The MAC address as {@code 02:00:00:00:00:01}. */
    public String macAddressString() {
        long mac = macAddress();
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (text.length() > 0) {
                text.append(':');
            }
            text.append(String.format("%02x", (mac >>> shift) & 0xFF));
        }
        return text.toString();
    }

    /** The driver's description of the port ({@code rte_eth_dev_info_get}). */
    public DeviceInfo info() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = NativeMemory.allocateStruct(arena, rte_eth_dev_info.layout());
            DpdkException.check(describe("rte_eth_dev_info_get", null), Dpdk.rte_eth_dev_info_get(id, info));
            return new DeviceInfo(NativeMemory.cString(rte_eth_dev_info.driver_name(info)),
                    Short.toUnsignedInt(rte_eth_dev_info.max_rx_queues(info)),
                    Short.toUnsignedInt(rte_eth_dev_info.max_tx_queues(info)),
                    Short.toUnsignedInt(rte_eth_dev_info.min_mtu(info)),
                    Short.toUnsignedInt(rte_eth_dev_info.max_mtu(info)),
                    rte_eth_dev_info.rx_offload_capa(info), rte_eth_dev_info.tx_offload_capa(info),
                    rte_eth_dev_info.flow_type_rss_offloads(info));
        }
    }

    /**
     * The {@code RTE_ETH_RSS_*} flow types the port spreads over its RX queues, as configured
     * ({@code rte_eth_dev_conf_get}); 0 when RSS is off (one RX queue, or a device without RSS).
     */
    public long rssHashFunctions() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment conf = NativeMemory.allocateStruct(arena, rte_eth_conf.layout());
            DpdkException.check(describe("rte_eth_dev_conf_get", null), Dpdk.rte_eth_dev_conf_get(id, conf));
            if (rte_eth_rxmode.mq_mode(rte_eth_conf.rxmode(conf)) != Dpdk.RTE_ETH_MQ_RX_RSS()) {
                return 0;
            }
            return rte_eth_rss_conf.rss_hf(rte_eth_conf.rx_adv_conf.rss_conf(rte_eth_conf.rx_adv_conf(conf)));
        }
    }

    /**
     * The {@code RTE_ETH_RX_OFFLOAD_*} bits the port is configured with, as the driver keeps them
     * ({@code rte_eth_dev_conf_get}).
     */
    public long rxOffloads() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment conf = NativeMemory.allocateStruct(arena, rte_eth_conf.layout());
            DpdkException.check(describe("rte_eth_dev_conf_get", null), Dpdk.rte_eth_dev_conf_get(id, conf));
            return rte_eth_rxmode.offloads(rte_eth_conf.rxmode(conf));
        }
    }

    public int mtu() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mtu = arena.allocate(JAVA_SHORT);
            DpdkException.check(describe("rte_eth_dev_get_mtu", null), Dpdk.rte_eth_dev_get_mtu(id, mtu));
            return Short.toUnsignedInt(mtu.get(JAVA_SHORT, 0));
        }
    }

    public void setMtu(int mtu) {
        DpdkException.check(describe("rte_eth_dev_set_mtu", "mtu " + mtu), Dpdk.rte_eth_dev_set_mtu(id, (short) mtu));
    }

    public void setPromiscuous(boolean on) {
        if (on) {
            DpdkException.check(describe("rte_eth_promiscuous_enable", null), Dpdk.rte_eth_promiscuous_enable(id));
        } else {
            DpdkException.check(describe("rte_eth_promiscuous_disable", null), Dpdk.rte_eth_promiscuous_disable(id));
        }
    }

    public boolean isPromiscuous() {
        return DpdkException.check(describe("rte_eth_promiscuous_get", null), Dpdk.rte_eth_promiscuous_get(id)) == 1;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // DPDK 22.11 crashes (rather than failing) on a queue of a port that was never configured.
    private void checkQueue(String kind, int queue, int configured) {
        checkOpen();
        if (configured < 0) {
            throw new IllegalStateException(this + " is not configured; configure() before setting up queues");
        }
        if (queue < 0 || queue >= configured) {
            throw new IllegalArgumentException(kind + " queue " + queue + " of " + this + " which has " + configured);
        }
    }

    private String describe(String call, String detail) {
        return call + "(port " + id() + " " + name + (detail == null ? "" : ", " + detail) + ")";
    }

    @Override
    public String toString() {
        return "EthPort[" + id() + " " + name + "]";
    }
}
