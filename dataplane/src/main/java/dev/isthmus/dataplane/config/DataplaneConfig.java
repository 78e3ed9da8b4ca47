package dev.isthmus.dataplane.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole dataplane: EAL, mbuf pool, ports and poll-mode lcores.
 *
 * <p>Every RX queue of every port is polled by exactly one lcore; every lcore gets its own TX queue on every port
 * (queue index = the lcore's position in {@link #lcores()}), so no two threads share a queue and no lock is needed.
 *
 * @param name          names the DPDK objects (pool, rings) of this dataplane; unique per process
 * @param eal           how the EAL starts
 * @param mempool       the mbuf pool
 * @param ports         the ports, by unique name and device
 * @param lcores        the poll-mode workers
 * @param drainInterval how long a partial TX burst may wait for more packets before it is sent (l2fwd uses 100 µs)
 * @param handoffRing   slots of each lcore's handoff ring (a power of two), through which any lcore may hand it
 *                      packets (e.g. by flow hash); 0 for no handoff rings
 * @param puntPort      name of the port punted packets are sent out of (an exception port: TAP or virtio-user),
 *                      or null to drop them (counted)
 * @param idle          what lcores do when their inputs are empty (spin, or sleep adaptively)
 */
public record DataplaneConfig(String name, EalConfig eal, MempoolConfig mempool, List<PortConfig> ports,
        List<LcoreConfig> lcores, Duration drainInterval, int handoffRing, String puntPort, IdlePolicy idle) {

    /** A dataplane whose lcores spin when idle. */
    public DataplaneConfig(String name, EalConfig eal, MempoolConfig mempool, List<PortConfig> ports,
            List<LcoreConfig> lcores, Duration drainInterval, int handoffRing, String puntPort) {
        this(name, eal, mempool, ports, lcores, drainInterval, handoffRing, puntPort, IdlePolicy.poll());
    }

    public DataplaneConfig {
        Objects.requireNonNull(name, "dataplane: name is missing");
        if (!name.matches("[A-Za-z0-9_]{1,16}")) {
            throw new IllegalArgumentException("dataplane: name '" + name + "' must be 1..16 letters, digits or _");
        }
        Objects.requireNonNull(eal, "dataplane: eal is missing");
        Objects.requireNonNull(mempool, "dataplane: mempool is missing");
        ports = List.copyOf(Objects.requireNonNull(ports, "dataplane: ports is missing"));
        lcores = List.copyOf(Objects.requireNonNull(lcores, "dataplane: lcores is missing"));
        Objects.requireNonNull(drainInterval, "dataplane: drainInterval is missing");
        Objects.requireNonNull(idle, "dataplane: idle is missing");
        if (drainInterval.isNegative() || drainInterval.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("dataplane: drainInterval must be 0..100 ms, got " + drainInterval);
        }
        if (handoffRing != 0 && (handoffRing < 64 || handoffRing > (1 << 20) || Integer.bitCount(handoffRing) != 1)) {
            throw new IllegalArgumentException("dataplane: handoffRing must be 0 or a power of two 64..1048576, got "
                    + handoffRing);
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("dataplane: at least one port is needed");
        }
        if (lcores.isEmpty()) {
            throw new IllegalArgumentException("dataplane: at least one lcore is needed");
        }
        if (ports.size() > 64) {
            throw new IllegalArgumentException("dataplane: at most 64 ports, got " + ports.size());
        }
        Map<String, PortConfig> byName = new HashMap<>();
        Set<String> devices = new HashSet<>();
        for (PortConfig port : ports) {
            if (byName.put(port.name(), port) != null) {
                throw new IllegalArgumentException("dataplane: two ports are named '" + port.name() + "'");
            }
            if (!devices.add(port.device())) {
                throw new IllegalArgumentException("dataplane: device '" + port.device() + "' is used by two ports");
            }
        }
        Set<QueueRef> polled = new HashSet<>();
        Set<Integer> cpus = new HashSet<>();
        for (LcoreConfig lcore : lcores) {
            if (lcore.cpu() >= 0 && !cpus.add(lcore.cpu())) {
                throw new IllegalArgumentException("dataplane: two lcores are pinned to cpu " + lcore.cpu());
            }
            for (QueueRef queue : lcore.rxQueues()) {
                PortConfig port = byName.get(queue.port());
                if (port == null) {
                    throw new IllegalArgumentException("lcore on cpu " + lcore.cpu() + ": polls " + queue
                            + " of unknown port '" + queue.port() + "' (ports: " + byName.keySet() + ")");
                }
                if (queue.queue() >= port.rxQueues()) {
                    throw new IllegalArgumentException("lcore on cpu " + lcore.cpu() + ": polls " + queue + " but port "
                            + port.name() + " has " + port.rxQueues() + " rx queue(s)");
                }
                if (!polled.add(queue)) {
                    throw new IllegalArgumentException("dataplane: queue " + queue + " is polled by two lcores");
                }
            }
        }
        for (PortConfig port : ports) {
            for (int q = 0; q < port.rxQueues(); q++) {
                if (!polled.contains(new QueueRef(port.name(), q))) {
                    throw new IllegalArgumentException("dataplane: queue " + port.name() + ":" + q
                            + " is polled by no lcore (its packets would pile up)");
                }
            }
        }
        if (puntPort != null && !byName.containsKey(puntPort)) {
            throw new IllegalArgumentException("dataplane: puntPort '" + puntPort + "' is not a port (ports: "
                    + byName.keySet() + ")");
        }
        long descriptors = 0;
        for (PortConfig port : ports) {
            descriptors += (long) port.rxQueues() * port.rxDescriptors() + (long) lcores.size() * port.txDescriptors();
        }
        long needed = descriptors + (long) lcores.size() * (mempool.cacheSize() + 64L * (ports.size() + 2) + handoffRing);
        if (mempool.mbufs() < needed) {
            throw new IllegalArgumentException("mempool: " + mempool.mbufs() + " mbufs cannot fill " + descriptors
                    + " descriptors plus the lcores' caches and bursts; need at least " + needed);
        }
        if (eal.hugepages() == false && ports.stream().anyMatch(PortConfig::isPci)) {
            throw new IllegalArgumentException("eal: PCI ports need hugepages (eal.hugepages: true)");
        }
    }

    /** A dataplane with a 100 µs drain, no handoff rings and no punt port. */
    public static DataplaneConfig of(String name, EalConfig eal, MempoolConfig mempool, List<PortConfig> ports,
            List<LcoreConfig> lcores) {
        return new DataplaneConfig(name, eal, mempool, ports, lcores, Duration.ofNanos(100_000), 0, null);
    }

    /** This configuration with handoff rings of {@code slots} per lcore. */
    public DataplaneConfig withHandoffRing(int slots) {
        return new DataplaneConfig(name, eal, mempool, ports, lcores, drainInterval, slots, puntPort, idle);
    }

    /** This configuration with lcores that do {@code policy} when idle. */
    public DataplaneConfig withIdle(IdlePolicy policy) {
        return new DataplaneConfig(name, eal, mempool, ports, lcores, drainInterval, handoffRing, puntPort, policy);
    }

    /** This configuration punting to the port named {@code port}. */
    public DataplaneConfig withPuntPort(String port) {
        return new DataplaneConfig(name, eal, mempool, ports, lcores, drainInterval, handoffRing, port, idle);
    }

    /** The port of a name. */
    public Optional<PortConfig> port(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst();
    }

    /** Index of a port in {@link #ports()} (the dataplane's port number), or -1. */
    public int portIndex(String portName) {
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(portName)) {
                return i;
            }
        }
        return -1;
    }
}
