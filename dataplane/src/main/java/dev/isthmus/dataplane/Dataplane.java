package dev.isthmus.dataplane;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalArguments;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.dataplane.ring.RingSync;
import dev.isthmus.dataplane.worker.PollWorker;
import dev.isthmus.dataplane.worker.PuntPath;
import dev.isthmus.dataplane.worker.WorkerInput;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.PortStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The running dataplane built from a {@link DataplaneConfig}: the EAL (initialised from the configuration unless the
 * process already has one), one mbuf pool, the ports configured and started, a handoff ring per lcore when asked
 * for, and one {@link PollWorker} per lcore running the pipeline its {@link PipelineFactory} builds.
 *
 * <p>{@link #stop()} stops the workers (each sends what it buffered), frees what waits in the handoff rings and
 * stops the ports; {@link #start()} starts them again. {@link #close()} stops and releases everything but the EAL,
 * which lives as long as the process. Start-up fails fast: the first DPDK error is thrown with the call, port and
 * code, after undoing what was already set up.
 */
public final class Dataplane implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Dataplane.class.getName());

    private final DataplaneConfig config;
    private final Mempool mempool;
    private final List<EthPort> ports;
    private final PortTable portTable;
    private final List<MbufRing> handoffRings;
    private final List<PollWorker> workers;
    private boolean running;
    private boolean closed;
    private int mbufsMissingAtClose = -1;

    private Dataplane(DataplaneConfig config, Mempool mempool, List<EthPort> ports, PortTable portTable,
            List<MbufRing> handoffRings, List<PollWorker> workers) {
        this.config = config;
        this.mempool = mempool;
        this.ports = ports;
        this.portTable = portTable;
        this.handoffRings = handoffRings;
        this.workers = workers;
    }

    /**
     * Builds and starts the dataplane.
     *
     * @throws dev.isthmus.nativebindings.DpdkException naming the failed DPDK call and port
     * @throws IllegalStateException when a worker cannot register or pin itself
     */
    public static Dataplane start(DataplaneConfig config, PipelineFactory pipelines) {
        if (!Eal.isInitialized()) {
            List<String> args = EalArguments.of(config);
            LOG.log(System.Logger.Level.INFO, "starting EAL: " + String.join(" ", args));
            Eal.init(args);
        }
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            Mempool pool = Mempool.create(config.name() + "_pool", config.mempool().mbufs(),
                    config.mempool().cacheSize(), config.mempool().dataRoom());
            undo.add(pool);
            List<EthPort> ports = new ArrayList<>();
            List<Integer> txQueues = new ArrayList<>();
            List<PortTable.Entry> entries = new ArrayList<>();
            for (PortConfig pc : config.ports()) {
                PortSetup.Opened opened = PortSetup.open(pc, config.lcores().size(), pool);
                EthPort port = opened.port();
                undo.add(port);
                ports.add(port);
                txQueues.add(opened.txQueues());
                if (opened.txQueues() < config.lcores().size()) {
                    LOG.log(System.Logger.Level.WARNING, "port " + pc.name() + " has " + opened.txQueues()
                            + " TX queue(s) for " + config.lcores().size() + " lcores: lcores from lcore"
                            + opened.txQueues() + " on cannot transmit on it (counted as NO_TX_QUEUE)");
                }
                MacAddress mac = pc.mac() != null ? pc.mac() : new MacAddress(port.macAddress());
                entries.add(new PortTable.Entry(pc.name(), port.id(), mac, pc.ipv4(), pc.ipv6(),
                        opened.rxOffloads(), opened.txOffloads()));
                if (opened.rxOffloads() != 0) {
                    LOG.log(System.Logger.Level.INFO, "port " + pc.name() + " (" + port.info().driverName()
                            + "): IPv4 and UDP RX checksum offload on");
                }
                if (opened.txOffloads() != 0) {
                    LOG.log(System.Logger.Level.INFO, "port " + pc.name() + " (" + port.info().driverName()
                            + "): IPv4 and UDP TX checksum offload on");
                }
            }
            PortTable table = new PortTable(entries);
            List<MbufRing> rings = new ArrayList<>();
            if (config.handoffRing() > 0) {
                for (int k = 0; k < config.lcores().size(); k++) {
                    MbufRing ring = new MbufRing(config.name() + "_lcore" + k, config.handoffRing(), RingSync.MULTI,
                            RingSync.SINGLE);
                    undo.add(ring);
                    rings.add(ring);
                }
            }
            PuntPath punt = config.puntPort() == null ? PuntPath.none()
                    : new PuntPath.ToPort(config.portIndex(config.puntPort()));
            EthPort[] portArray = ports.toArray(EthPort[]::new);
            MbufRing[] ringArray = rings.toArray(MbufRing[]::new);
            List<PollWorker> workers = new ArrayList<>();
            for (int k = 0; k < config.lcores().size(); k++) {
                LcoreConfig lc = config.lcores().get(k);
                List<WorkerInput> inputs = new ArrayList<>();
                for (QueueRef q : lc.rxQueues()) {
                    int p = config.portIndex(q.port());
                    inputs.add(new WorkerInput.RxQueue(portArray[p], p, q.queue(), q.toString()));
                }
                if (!rings.isEmpty()) {
                    inputs.add(new WorkerInput.Ring(ringArray[k], k));
                }
                String name = "lcore" + k;
                LcoreCounters counters = new LcoreCounters(name, inputs.stream().map(WorkerInput::name).toList(),
                        ports.size());
                LcoreContext context = new LcoreContext(k, name, config.lcores().size(), table, pool, counters);
                EthPort[] transmittable = new EthPort[portArray.length];
                for (int p = 0; p < portArray.length; p++) {
                    transmittable[p] = k < txQueues.get(p) ? portArray[p] : null;
                }
                workers.add(new PollWorker(k, name, lc.cpu(), inputs, transmittable, table,
                        ringArray, punt, pipelines.create(context), counters, config.drainInterval().toNanos(),
                        config.idle()));
            }
            Dataplane dataplane = new Dataplane(config, pool, List.copyOf(ports), table, List.copyOf(rings),
                    List.copyOf(workers));
            try {
                dataplane.startWorkers();
            } catch (RuntimeException e) {
                dataplane.stopWorkers();
                throw e;
            }
            return dataplane;
        } catch (RuntimeException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void startWorkers() {
        for (PollWorker worker : workers) {
            worker.start();
        }
        running = true;
    }

    private void stopWorkers() {
        for (PollWorker worker : workers) {
            worker.stop();
        }
    }

    /** Starts the ports and workers again after {@link #stop()}. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("dataplane " + config.name() + " is closed");
        }
        if (running) {
            return;
        }
        for (EthPort port : ports) {
            port.start();
        }
        startWorkers();
    }

    /**
     * Stops the workers (each sends or frees what it buffered and leaves DPDK), frees the mbufs still in the handoff
     * rings, and stops the ports. Idempotent.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopWorkers();
        drainRings();
        for (EthPort port : ports) {
            port.stop();
        }
    }

    private void drainRings() {
        long[] batch = new long[MbufBurst.MAX];
        MbufBurst burst = new MbufBurst();
        for (MbufRing ring : handoffRings) {
            int n;
            while ((n = ring.dequeueBurst(batch, 0, batch.length)) > 0) {
                for (int i = 0; i < n; i++) {
                    burst.add(batch[i]);
                }
                burst.freeAll();
            }
        }
    }

    /** Stops, closes the ports, frees the rings and the pool. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        RuntimeException failure = null;
        for (EthPort port : ports) {
            try {
                port.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : addSuppressed(failure, e);
            }
        }
        handoffRings.forEach(MbufRing::close);
        // Every port is closed, so every mbuf should be home: what is missing was leaked by someone.
        mbufsMissingAtClose = mempool.size() - mempool.available();
        if (mbufsMissingAtClose != 0) {
            LOG.log(System.Logger.Level.WARNING, config.name() + ": " + mbufsMissingAtClose
                    + " mbufs were not returned to the pool at close");
        }
        mempool.close();
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addSuppressed(RuntimeException first, RuntimeException next) {
        first.addSuppressed(next);
        return first;
    }

    /**
     * How many mbufs were missing from the pool when {@link #close()} had closed every port (0 when nothing leaked);
     * -1 before close. Ports such as net_tap hold mbufs in their RX rings while open, so this is the leak check.
     */
    public int mbufsMissingAtClose() {
        return mbufsMissingAtClose;
    }

    public DataplaneConfig config() {
        return config;
    }

    public Mempool mempool() {
        return mempool;
    }

    public PortTable ports() {
        return portTable;
    }

    /** The DPDK port of a port number. */
    public EthPort port(int portNumber) {
        return ports.get(portNumber);
    }

    /** The DPDK port of a configured name. */
    public EthPort port(String name) {
        int index = config.portIndex(name);
        if (index < 0) {
            throw new IllegalArgumentException("no port named '" + name + "'");
        }
        return ports.get(index);
    }

    public List<PollWorker> workers() {
        return workers;
    }

    /** True when every worker is polling (for health checks). */
    public boolean isPolling() {
        return running && workers.stream().allMatch(PollWorker::isPolling);
    }

    /**
     * The ports' own counters as DPDK keeps them, by port name: packets and bytes, and what never reached a worker —
     * RX queue overflows ({@code rxMissed}) and RX mbuf allocation failures ({@code rxNoMbuf}). Control path: one
     * {@code rte_eth_stats_get} per port.
     */
    public java.util.Map<String, PortStats> portStats() {
        java.util.Map<String, PortStats> stats = new java.util.LinkedHashMap<>();
        for (int p = 0; p < ports.size(); p++) {
            stats.put(config.ports().get(p).name(), ports.get(p).stats());
        }
        return stats;
    }

    /** Every lcore's counters, summed by lcore, input, port and drop reason. */
    public CounterSnapshot counters() {
        return CounterSnapshot.of(workers.stream().map(PollWorker::counters).toList(), ports.size());
    }
}
