package dev.isthmus.dataplane.pipeline;

import dev.isthmus.dataplane.counters.DropReason;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.HeaderParser;
import dev.isthmus.dataplane.packet.PacketHeaders;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.nativebindings.MbufBurst;

/**
 * One burst on its way through the pipeline: the packets ({@link #burst()}, with their data address and length) and
 * one verdict per packet. Owned and reused by one lcore; stages read packets through flyweights at
 * {@link #address(int)} and record a verdict per packet, which the worker carries out after the last stage.
 *
 * <p>The packets' headers are parsed once per burst, by the first stage that asks for {@link #headers()}, and read
 * from there by every later stage (a pipeline whose stages never ask, such as plain forwarding, never parses).
 *
 * <p>A verdict is an {@code int}: the kind in the top byte, its target (port number, ring number or drop reason
 * code) below. Port numbers are the dataplane's (positions in the configuration), not DPDK port ids.
 */
public final class PacketFrame {

    public static final int PENDING = 0;
    public static final int TRANSMIT = 1;
    public static final int HAND_OFF = 2;
    public static final int PUNT = 3;
    public static final int DROP = 4;
    /** The stage took the mbuf out of the burst ({@link MbufBurst#take}) and answers for it now. */
    public static final int CONSUMED = 5;

    private static final int KIND_SHIFT = 24;
    private static final int TARGET_MASK = (1 << KIND_SHIFT) - 1;

    private final int[] verdicts = new int[MbufBurst.MAX];
    private final int[] portOfDpdkId;
    /** Per port number: configured with RX checksum offload, so its mbufs' ol_flags carry the NIC's verdicts. */
    private final boolean[] rxVerdicts;
    private final PacketEmitter emitter;
    private final PacketHeaders headers = new PacketHeaders();
    /** {@link #headers} describe this burst (parsed since the last {@link #reset}). */
    private boolean parsed;
    private MbufBurst burst;
    private int size;
    private int pending;
    private int inputPort;
    private int inputQueue;
    private long nanoTime;

    /**
     * A frame whose ports give no NIC checksum verdicts (every checksum is summed), for tests and benchmarks that
     * run stages without a port table.
     *
     * @param portOfDpdkId the dataplane port number of each DPDK port id (-1 for ports not in the dataplane)
     * @param emitter      sends packets stages create
     */
    public PacketFrame(int[] portOfDpdkId, PacketEmitter emitter) {
        this(portOfDpdkId, new boolean[0], emitter);
    }

    /**
     * A frame for the ports of a table: each port's NIC checksum verdicts are used when it was configured with
     * {@link PortSetup#ADDRESSED_PORT_RX_OFFLOADS}.
     */
    public PacketFrame(PortTable ports, PacketEmitter emitter) {
        this(ports.portOfDpdkIdTable(), rxVerdictPorts(ports), emitter);
    }

    private PacketFrame(int[] portOfDpdkId, boolean[] rxVerdicts, PacketEmitter emitter) {
        this.portOfDpdkId = portOfDpdkId.clone();
        this.rxVerdicts = rxVerdicts;
        this.emitter = emitter;
    }

    private static boolean[] rxVerdictPorts(PortTable ports) {
        boolean[] verdicts = new boolean[ports.size()];
        for (int p = 0; p < verdicts.length; p++) {
            verdicts[p] = ports.entry(p).hasRxOffloads(PortSetup.ADDRESSED_PORT_RX_OFFLOADS);
        }
        return verdicts;
    }

    /** Transmits a new mbuf the stage owns (see {@link PacketEmitter#transmitNew}). */
    public void transmitNew(long mbuf, int port) {
        emitter.transmitNew(mbuf, port);
    }

    /** Counts mbufs the stage could not allocate, the pool being empty (see {@link PacketEmitter#noMbuf}). */
    public void noMbuf(int mbufs) {
        emitter.noMbuf(mbufs);
    }

    /**
     * Starts a frame over a received burst: every packet pending.
     *
     * @param inputPort  the port number the burst came from, or -1 when it came from a ring (then each packet's own
     *                   input port is read from its mbuf)
     * @param inputQueue the RX queue, or the ring number for a ring
     * @param nanoTime   {@link System#nanoTime()} when the burst was received
     */
    public void reset(MbufBurst burst, int inputPort, int inputQueue, long nanoTime) {
        this.burst = burst;
        this.size = burst.size();
        this.pending = size;
        this.inputPort = inputPort;
        this.inputQueue = inputQueue;
        this.nanoTime = nanoTime;
        this.parsed = false;
        java.util.Arrays.fill(verdicts, 0, size, PENDING);
    }

    /**
     * The parsed headers of this burst's packets, indexed like the frame: parsed on the first call after
     * {@link #reset} (the pending packets; decided ones are not looked at), then shared by every stage.
     */
    public PacketHeaders headers() {
        // Small enough to inline wherever it is called, per packet too (dropIfMalformed): the check costs one field
        // read once the burst is parsed; the loop over the burst stays out of line.
        if (!parsed) {
            parseBurst();
        }
        return headers;
    }

    private void parseBurst() {
        parsed = true;
        final int n = size;
        final int port = inputPort;
        if (port < 0) {
            for (int i = 0; i < n; i++) {
                if (verdicts[i] == PENDING) {
                    parse(i);
                }
            }
            return;
        }
        // A burst from one port: whether its ol_flags carry verdicts is decided once.
        final MbufBurst b = burst;
        final PacketHeaders h = headers;
        final int[] v = verdicts;
        final boolean nicVerdicts = port < rxVerdicts.length && rxVerdicts[port];
        for (int i = 0; i < n; i++) {
            if (v[i] == PENDING) {
                HeaderParser.parse(b.dataAddress(i), b.dataLength(i),
                        nicVerdicts ? b.olFlags(i) : HeaderParser.NO_VERDICTS, h, i);
            }
        }
    }

    private void parse(int i) {
        final int port = inputPort(i);
        final long olFlags = port >= 0 && port < rxVerdicts.length && rxVerdicts[port]
                ? burst.olFlags(i) : HeaderParser.NO_VERDICTS;
        HeaderParser.parse(burst.dataAddress(i), burst.dataLength(i), olFlags, headers, i);
    }

    public MbufBurst burst() {
        return burst;
    }

    /** Packets in the frame. */
    public int size() {
        return size;
    }

    /** Packets no stage has decided on yet. */
    public int pendingCount() {
        return pending;
    }

    public long address(int i) {
        return burst.dataAddress(i);
    }

    public int length(int i) {
        return burst.dataLength(i);
    }

    /** The port number packet {@code i} was received on. */
    public int inputPort(int i) {
        if (inputPort >= 0) {
            return inputPort;
        }
        int dpdkId = burst.port(i);
        return dpdkId < portOfDpdkId.length ? portOfDpdkId[dpdkId] : -1;
    }

    /** The port number of the burst, or -1 when it came from a ring. */
    public int inputPort() {
        return inputPort;
    }

    public int inputQueue() {
        return inputQueue;
    }

    /** {@link System#nanoTime()} at receipt, read once per burst (for aging and rate limits). */
    public long nanoTime() {
        return nanoTime;
    }

    /**
     * The verdict every packet of the frame shares (e.g. all transmit on port 1), or -1 when they differ; lets the
     * worker hand a whole burst on without sorting it (VPP does the same when a whole frame goes to one next node).
     */
    public int commonVerdict() {
        final int[] v = verdicts;
        final int n = size;
        if (n == 0) {
            return -1;
        }
        final int first = v[0];
        for (int i = 1; i < n; i++) {
            if (v[i] != first) {
                return -1;
            }
        }
        return first;
    }

    /** Kind of a raw verdict as {@link #commonVerdict()} returns it. */
    public static int kindOf(int verdict) {
        return verdict >>> KIND_SHIFT;
    }

    /** Target of a raw verdict as {@link #commonVerdict()} returns it. */
    public static int targetOf(int verdict) {
        return verdict & TARGET_MASK;
    }

    public boolean isPending(int i) {
        return verdicts[i] == PENDING;
    }

    /** The verdict kind of packet {@code i} ({@link #PENDING}, {@link #TRANSMIT}, ...). */
    public int kind(int i) {
        return verdicts[i] >>> KIND_SHIFT;
    }

    /** The verdict's target: port number, ring number or drop reason code. */
    public int target(int i) {
        return verdicts[i] & TARGET_MASK;
    }

    private void decide(int i, int kind, int target) {
        if (verdicts[i] == PENDING) {
            pending--;
        }
        verdicts[i] = (kind << KIND_SHIFT) | (target & TARGET_MASK);
    }

    /** Sends packet {@code i} out of port {@code port} (on this lcore's own TX queue of that port). */
    public void transmit(int i, int port) {
        decide(i, TRANSMIT, port);
    }

    /** Sends packet {@code i} back out of the port it came in on. */
    public void transmitBack(int i) {
        decide(i, TRANSMIT, inputPort(i));
    }

    /** Hands packet {@code i} to another lcore through handoff ring {@code ring} of this worker. */
    public void handOff(int i, int ring) {
        decide(i, HAND_OFF, ring);
    }

    /** Sends packet {@code i} to the exception path (e.g. the kernel through a TAP port). */
    public void punt(int i) {
        decide(i, PUNT, 0);
    }

    /** Drops packet {@code i}, counted under a reason code ({@link DropReasons#code}). */
    public void drop(int i, int reasonCode) {
        decide(i, DROP, reasonCode);
    }

    /**
     * The common first step of a stage that claims IP traffic: when the parser found packet {@code i} malformed, drop
     * it with the parser's reason — except ARP, which is left pending for the host stage (it drops a malformed one
     * with the same reason) or the vswitch (which switches a tenant's frame as it is).
     *
     * @return true when the packet is malformed (dropped, or left for the host stage): the stage goes no further
     */
    public boolean dropIfMalformed(int i) {
        final PacketHeaders h = headers();
        final int status = h.status(i);
        if (status == DropReasons.VALID) {
            return false;
        }
        if (h.etherType(i) != EthernetHeader.TYPE_ARP) {
            drop(i, status);
        }
        return true;
    }

    /** Drops packet {@code i}, counted under a reason. */
    public <E extends Enum<E> & DropReason> void drop(int i, E reason) {
        decide(i, DROP, DropReasons.code(reason));
    }

    /**
     * Takes packet {@code i}'s mbuf out of the burst; the stage now owns it (to keep, send elsewhere or free) and the
     * worker will not touch it.
     */
    public long consume(int i) {
        decide(i, CONSUMED, 0);
        return burst.take(i);
    }

    /** Marks every undecided packet dropped with a reason (used when a stage failed mid-burst). */
    public void dropPending(int reasonCode) {
        for (int i = 0; i < size; i++) {
            if (verdicts[i] == PENDING) {
                decide(i, DROP, reasonCode);
            }
        }
    }

    /** Marks every packet not taken by a stage dropped with a reason, overriding verdicts given so far. */
    public void dropAllNotConsumed(int reasonCode) {
        for (int i = 0; i < size; i++) {
            if (kind(i) != CONSUMED) {
                decide(i, DROP, reasonCode);
            }
        }
    }
}
