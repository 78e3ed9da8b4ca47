package dev.isthmus.perf.gen;

import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.Stream;
import dev.isthmus.perf.gen.profile.Template;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The stateless traffic generator: the profile's ports opened once (the data plane's {@link PortSetup}: one RX
 * and one TX queue each, promiscuous, so that answers to any address reach the receiver), then any number of
 * {@link #run runs}, each with a TX lcore ({@link TxLoop}) and an RX lcore ({@link RxLoop}) of its own. The NDR
 * search runs its trials on one open generator with the rates scaled.
 */
public final class Generator implements AutoCloseable {

    private static final String POOL = "isthmus_gen";
    /** Pool names are unique in a process (DPDK's namespace); a test may open several generators. */
    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Mbufs of a resident stream's pool: enough for a TX ring of 1024, the lcore caches and bursts in flight (when
     * the pool runs dry the stream counts {@code noMbuf} and retries); a power of two minus one, as DPDK advises.
     */
    static final int RESIDENT_MBUFS = 4095;

    private final Profile profile;
    private final Mempool pool;
    private final Map<String, EthPort> ports;
    /** Pools of resident streams, by stream id and template bytes (a run with other bytes gets another pool). */
    private final Map<String, ResidentPool> residentPools = new LinkedHashMap<>();

    /** A resident stream's pool and where its mbufs' data starts, from the mbuf. */
    private record ResidentPool(Mempool pool, long dataOffset) {
    }

    private Generator(Profile profile, Mempool pool, Map<String, EthPort> ports) {
        this.profile = profile;
        this.pool = pool;
        this.ports = ports;
    }

    /**
     * Starts the EAL (unless the process has one: tests) and opens the profile's ports.
     *
     * @throws dev.isthmus.nativebindings.DpdkException naming the call and port that failed
     */
    public static Generator open(Profile profile) {
        if (!Eal.isInitialized()) {
            Eal.init(ealArguments(profile));
        }
        Mempool pool = Mempool.create(POOL + POOLS.incrementAndGet(), profile.mbufs());
        Map<String, EthPort> opened = new LinkedHashMap<>();
        try {
            for (Profile.Port p : profile.ports()) {
                PortConfig config = new PortConfig(p.name(), p.device(), p.args(), 1, 1024, 1024, 0, null, List.of(),
                        List.of(), true);
                opened.put(p.name(), PortSetup.open(config, 1, pool).port());
            }
        } catch (RuntimeException e) {
            opened.values().forEach(EthPort::close);
            pool.close();
            throw e;
        }
        return new Generator(profile, pool, opened);
    }

    /** The EAL command line for a profile: like the appliance's, no hugepages unless asked, no PCI unless named. */
    static List<String> ealArguments(Profile profile) {
        Profile.Eal eal = profile.eal();
        List<String> args = new ArrayList<>();
        if (!eal.hugepages()) {
            args.add("--no-huge");
            args.add("--no-shconf");
        }
        if (eal.memoryMb() > 0) {
            args.add("-m");
            args.add(Integer.toString(eal.memoryMb()));
        }
        List<Profile.Port> pci = profile.ports().stream()
                .filter(p -> p.device().matches("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")).toList();
        if (pci.isEmpty()) {
            args.add("--no-pci");
        }
        for (Profile.Port p : pci) {
            args.add("-a");
            args.add(p.args().isEmpty() ? p.device() : p.device() + "," + p.args());
        }
        if (eal.filePrefix() != null) {
            args.add("--file-prefix");
            args.add(eal.filePrefix());
        }
        args.add("--no-telemetry");
        args.add("--log-level=*:warning");
        args.addAll(eal.extraArgs());
        return args;
    }

    public Profile profile() {
        return profile;
    }

    public Mempool pool() {
        return pool;
    }

    public EthPort port(String name) {
        return ports.get(name);
    }

    /**
     * Runs {@code run} (this generator's profile, its rates possibly scaled) until every stream with a count has
     * sent it or {@code duration} has passed, then waits up to {@code drain} for packets still in flight.
     *
     * @param progress gets one line a second while it runs (null: none)
     */
    public RunResult run(Profile run, Duration duration, Duration drain, Consumer<String> progress)
            throws IOException, InterruptedException {
        List<Stream> streams = run.streams();
        int n = streams.size();
        StreamPackets[] packets = new StreamPackets[n];
        StreamPackets[] rxPackets = new StreamPackets[n];
        StreamCounters[] counters = new StreamCounters[n];
        RxStream[] rx = new RxStream[n];
        DnsOutstanding[] outstanding = new DnsOutstanding[n];
        Template.DnsQuery[][] queries = new Template.DnsQuery[n][];
        int[][] dnsPorts = new int[n][];
        TxLoop.TxStream[] tx = new TxLoop.TxStream[n];
        double[] pps = new double[n];
        for (int i = 0; i < n; i++) {
            Stream s = streams.get(i);
            packets[i] = StreamPackets.of(s);
            rxPackets[i] = packets[i];
            counters[i] = new StreamCounters();
            boolean tracked = packets[i].hasSignature() || s.isDns();
            if (tracked) {
                rx[i] = new RxStream(counters[i], s.latency() || s.isDns());
            }
            if (s.isDns()) {
                Template in = s.packet().innermost();
                outstanding[i] = new DnsOutstanding();
                queries[i] = in.queries().toArray(Template.DnsQuery[]::new);
                dnsPorts[i] = new int[] {(int) in.srcPort().first(), (int) (in.srcPort().first() + in.srcPort().span() - 1)};
            }
            EthPort port = ports.get(s.port());
            if (port == null) {
                throw new IllegalArgumentException("stream " + s.name() + ": port " + s.port() + " is not open");
            }
            int speed = s.rate().isShareOfLine() ? port.link().speedMbps() : 0;
            try {
                pps[i] = s.rate().packetsPerSecond(speed, (int) Math.round(packets[i].meanLength()) + 4);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("stream " + s.name() + " on port " + s.port() + ": " + e.getMessage(), e);
            }
            ResidentPool resident = packets[i].resident() ? residentPool(s, packets[i]) : null;
            tx[i] = new TxLoop.TxStream(packets[i], port, pps[i], s.count(), counters[i], outstanding[i],
                    resident != null ? resident.pool() : pool, resident != null,
                    resident != null ? resident.dataOffset() : 0);
        }
        warmUp(packets, rx.length, outstanding, rxPackets, queries, dnsPorts);
        Receiver receiver = new Receiver(rx, outstanding, rxPackets, queries, dnsPorts);
        RxLoop rxLoop = new RxLoop(ports.values().toArray(EthPort[]::new), receiver, run.rxCpu());
        boolean shared = run.sharedLcore();
        TxLoop txLoop = new TxLoop(tx, run.txCpu(), shared ? rxLoop : null);
        Thread rxThread = shared ? null : new Thread(rxLoop, "isthmus-gen-rx");
        Thread txThread = new Thread(txLoop, shared ? "isthmus-gen-txrx" : "isthmus-gen-tx");
        Histogram[] latency = new Histogram[n];
        if (rxThread != null) {
            rxThread.start();
            if (!rxLoop.awaitFirstPoll(10, TimeUnit.SECONDS) || rxLoop.failure() != null) {
                rxLoop.stop();
                rxThread.join();
                throw new IllegalStateException("the RX lcore did not start polling", rxLoop.failure());
            }
        }
        txThread.start();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long[] lastSent = new long[n];
        long[] lastReceived = new long[n];
        long nextTick = start + 1_000_000_000L;
        try {
            while (!txLoop.finished() && System.nanoTime() < deadline) {
                long sleep = Math.min(nextTick, deadline) - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(Math.min(sleep / 1_000_000 + 1, 50));
                }
                if (System.nanoTime() >= nextTick) {
                    if (progress != null) {
                        progress.accept(progressLine((nextTick - start) / 1_000_000_000L, streams, counters, rx,
                                lastSent, lastReceived));
                    }
                    nextTick += 1_000_000_000L;
                }
                for (int i = 0; i < n; i++) {
                    if (rx[i] != null && rx[i].recordLatency) {
                        accumulate(latency, i, rx[i]);
                    }
                }
            }
        } finally {
            txLoop.stop();
            while (!txLoop.finished()) {
                Thread.sleep(1); // the TX thread goes on receiving when it is the shared lcore
            }
            // Packets in flight: wait until nothing more arrives for 50 ms, at most the drain time.
            long drainEnd = System.nanoTime() + drain.toNanos();
            long seen = rxLoop.frames();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < drainEnd && System.nanoTime() - quietSince < 50_000_000L) {
                Thread.sleep(5);
                long now = rxLoop.frames();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                }
            }
            rxLoop.stop();
            txThread.join();
            if (rxThread != null) {
                rxThread.join();
            }
        }
        if (txLoop.failure() != null) {
            throw new IllegalStateException("the TX lcore failed", txLoop.failure());
        }
        if (rxLoop.failure() != null) {
            throw new IllegalStateException("the RX lcore failed", rxLoop.failure());
        }
        List<StreamResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamCounters c = counters[i];
            Map<String, Long> dns = new LinkedHashMap<>();
            if (streams.get(i).isDns()) {
                dns.put("unmatched-id", c.get(StreamCounters.DNS_UNMATCHED));
                dns.put("question", c.get(StreamCounters.DNS_QUESTION));
                dns.put("rcode", c.get(StreamCounters.DNS_RCODE));
                dns.put("answer-count", c.get(StreamCounters.DNS_ANSWERS));
                dns.put("malformed", c.get(StreamCounters.DNS_MALFORMED));
            }
            Histogram h = null;
            double jitter = Double.NaN;
            if (rx[i] != null && rx[i].recordLatency) {
                accumulate(latency, i, rx[i]);
                h = latency[i] != null ? latency[i] : new Histogram(1, RxStream.MAX_LATENCY, 3);
                long pairs = c.get(StreamCounters.JITTER_COUNT);
                jitter = pairs > 0 ? (double) c.get(StreamCounters.JITTER_SUM) / pairs : Double.NaN;
            }
            boolean tracked = rx[i] != null;
            results.add(new StreamResult(streams.get(i), tracked, pps[i], c.get(StreamCounters.SENT),
                    tracked ? c.get(StreamCounters.RECEIVED) : -1, tracked ? c.get(StreamCounters.OUT_OF_ORDER) : -1,
                    tracked ? c.get(StreamCounters.DUPLICATED) : -1, c.get(StreamCounters.NO_MBUF), dns, h, jitter));
        }
        return new RunResult(txLoop.elapsedNanos() / 1e9, results, rxLoop.frames(), receiver.other(),
                txLoop.allocatedBytes(), rxLoop.allocatedBytes(), txLoop.cpuNanos() / 1e9);
    }

    /**
     * Runs the per-packet code (writing every stream's packets, receiving them) on a scratch buffer and throw-away
     * counters until the JIT has compiled it, so that the first second of a run is paced like the rest rather than
     * sent by the interpreter in catch-up bursts.
     */
    private static void warmUp(StreamPackets[] packets, int n, DnsOutstanding[] outstanding, StreamPackets[] rxPackets,
            Template.DnsQuery[][] queries, int[][] dnsPorts) throws IOException {
        if (n == 0) {
            return;
        }
        RxStream[] scratchRx = new RxStream[n];
        DnsOutstanding[] scratchDns = new DnsOutstanding[n];
        StreamPackets[] writers = new StreamPackets[n];
        int longest = 64;
        for (int i = 0; i < n; i++) {
            scratchRx[i] = new RxStream(new StreamCounters(), true);
            scratchDns[i] = outstanding[i] == null ? null : new DnsOutstanding();
            writers[i] = packets[i].copy();
            longest = Math.max(longest, writers[i].maxLength());
        }
        Receiver r = new Receiver(scratchRx, scratchDns, rxPackets, queries, dnsPorts);
        MemorySegment buffer = Arena.ofAuto().allocate(longest, 64);
        long a = buffer.address();
        for (int k = 0; k < WARMUP_PACKETS; k++) {
            for (int i = 0; i < n; i++) {
                int length = writers[i].write(a, k, System.nanoTime());
                if (scratchDns[i] != null) {
                    scratchDns[i].sent(k, writers[i].lastEntry(), 0);
                }
                r.receive(a, length, System.nanoTime());
            }
        }
    }

    private static final int WARMUP_PACKETS = 30_000;

    /**
     * The pool of a resident stream: created once per stream and template, every mbuf given the template when it is
     * created (all of them allocated at once, written, freed). DPDK leaves packet data alone from free to the next
     * allocation and a port only reads what it sends, so the template stays and the TX lcore writes only what
     * varies. The pool serves no RX queue, whose packets would overwrite it.
     */
    private ResidentPool residentPool(Stream s, StreamPackets p) {
        MemorySegment scratch = Arena.ofAuto().allocate(p.length0());
        p.copyTemplate(scratch.address());
        String key = s.id() + ":" + java.util.HexFormat.of().formatHex(scratch.toArray(ValueLayout.JAVA_BYTE));
        ResidentPool existing = residentPools.get(key);
        if (existing != null) {
            return existing;
        }
        Mempool created = Mempool.create(POOL + POOLS.incrementAndGet(), RESIDENT_MBUFS,
                Mempool.DEFAULT_CACHE_SIZE, 128 + ((p.length0() + 63) & ~63));
        List<dev.isthmus.nativebindings.MbufBurst> held = new ArrayList<>();
        int filled = 0;
        long dataOffset = -1;
        try {
            while (true) {
                dev.isthmus.nativebindings.MbufBurst b = new dev.isthmus.nativebindings.MbufBurst();
                int n = Math.min(dev.isthmus.nativebindings.MbufBurst.MAX, RESIDENT_MBUFS - filled);
                if (n == 0 || !b.allocate(created, n)) {
                    break;
                }
                held.add(b);
                for (int i = 0; i < n; i++) {
                    p.copyTemplate(b.dataAddress(i));
                    long offset = b.dataAddress(i) - b.mbuf(i);
                    if (dataOffset >= 0 && offset != dataOffset) {
                        throw new IllegalStateException("mbufs of one pool with data at offsets " + dataOffset
                                + " and " + offset);
                    }
                    dataOffset = offset;
                }
                filled += n;
            }
        } finally {
            held.forEach(dev.isthmus.nativebindings.MbufBurst::freeAll);
        }
        if (filled != RESIDENT_MBUFS) {
            created.close();
            throw new IllegalStateException("stream " + s.name() + ": could give the template to only " + filled
                    + " of the " + RESIDENT_MBUFS + " mbufs of its pool");
        }
        ResidentPool r = new ResidentPool(created, dataOffset);
        residentPools.put(key, r);
        return r;
    }

    /** The packets per second the profile's streams offer in all, share-of-line rates resolved on the open ports. */
    public double offeredPps(Profile run) throws IOException {
        double sum = 0;
        for (Stream s : run.streams()) {
            EthPort port = ports.get(s.port());
            int speed = s.rate().isShareOfLine() ? port.link().speedMbps() : 0;
            sum += s.rate().packetsPerSecond(speed, (int) Math.round(StreamPackets.of(s).meanLength()) + 4);
        }
        return sum;
    }

    private static void accumulate(Histogram[] totals, int i, RxStream s) {
        if (totals[i] == null) {
            totals[i] = new Histogram(1, RxStream.MAX_LATENCY, 3);
        }
        s.addIntervalTo(totals[i]);
    }

    private static String progressLine(long second, List<Stream> streams, StreamCounters[] counters, RxStream[] rx,
            long[] lastSent, long[] lastReceived) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%4ds", second));
        long txAll = 0;
        long rxAll = 0;
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < streams.size(); i++) {
            long sent = counters[i].get(StreamCounters.SENT);
            long received = rx[i] != null ? counters[i].get(StreamCounters.RECEIVED) : 0;
            long ds = sent - lastSent[i];
            long dr = received - lastReceived[i];
            lastSent[i] = sent;
            lastReceived[i] = received;
            txAll += ds;
            rxAll += dr;
            per.append(" | ").append(streams.get(i).name()).append(' ').append(Report.rate(ds));
            if (rx[i] != null) {
                per.append('/').append(Report.rate(dr));
            }
        }
        b.append("  tx ").append(Report.rate(txAll)).append("  rx ").append(Report.rate(rxAll)).append(per);
        return b.toString();
    }

    /**
     * The first {@code count} packets of each generated stream of a profile, as {@code ./isthmus gen} would send
     * them (send times zero), stream after stream. Needs no EAL.
     */
    public static List<byte[]> dump(Profile profile, int count) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (Stream s : profile.streams()) {
            StreamPackets p = StreamPackets.of(s);
            MemorySegment buffer = Arena.ofAuto().allocate(p.maxLength(), 64);
            for (int k = 0; k < count; k++) {
                int length = p.write(buffer.address(), k, 0);
                frames.add(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return frames;
    }

    @Override
    public void close() {
        for (EthPort port : ports.values()) {
            port.close();
        }
        residentPools.values().forEach(r -> r.pool().close());
        pool.close();
    }
}
