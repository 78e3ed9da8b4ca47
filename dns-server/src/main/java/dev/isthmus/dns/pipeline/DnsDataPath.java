package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dns.dnstap.DnstapWriter;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.rrl.RrlControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The DNS network function on the data plane: builds each lcore's pipeline around a {@link DnsStage}, owns the
 * lcores' DNS counters and the query-log thread, and sums the counters on read.
 *
 * <p>Each lcore's pipeline, in order:
 * <ol>
 *   <li>{@link ExceptionReturnStage} (with an exception port): the kernel's frames go out of the uplink;</li>
 *   <li>{@link DnsStage}: UDP/53 queries to the appliance answered in place;</li>
 *   <li>{@link ExceptionStage}: the rest addressed to the appliance (TCP/53 ...) punted to the kernel;</li>
 *   <li>{@code HostStage}: ARP, ICMP echo, neighbour discovery;</li>
 *   <li>the fallback: whatever is left is not ours, dropped and counted.</li>
 * </ol>
 * DNS comes first because it is nearly all the traffic; the stages ahead of it cost one comparison per burst.
 *
 * <p>Usage: {@code Dataplane.start(config.withPuntPort("exception"), dns.pipelines("exception", "uplink"))}, then
 * {@link #counters()} any time; {@link #close()} after the dataplane has stopped.
 */
public final class DnsDataPath implements AutoCloseable {

    private final ZoneCatalog catalog;
    private final DnsSettings settings;
    private final QueryLogger logger;
    private final RrlControl rrl;
    private final CookieControl cookies;
    private volatile ServerIdentity identity = ServerIdentity.NONE;
    private final List<DnsCounters> counters = new CopyOnWriteArrayList<>();

    /**
     * @param catalog  the zones, shared with the control plane (changed atomically while lcores answer)
     * @param settings MTU, query log, offload ports
     * @param sink     where the logger thread writes query-log and per-second lines
     */
    public DnsDataPath(ZoneCatalog catalog, DnsSettings settings, QueryLogSink sink) {
        this(catalog, settings, sink, new RrlControl(), new CookieControl());
    }

    /**
     * @param rrl where the response-rate-limiting policy is published (the control plane changes it at any time)
     * @param cookies where the server-cookie secrets are published
     */
    public DnsDataPath(ZoneCatalog catalog, DnsSettings settings, QueryLogSink sink, RrlControl rrl,
                       CookieControl cookies) {
        this.rrl = rrl;
        this.cookies = cookies;
        this.catalog = catalog;
        this.settings = settings;
        this.logger = new QueryLogger(sink);
    }

    /**
     * Pipelines for the dataplane's lcores.
     *
     * @param exceptionPort name of the exception port (the dataplane's punt port), or null when there is none
     *                      (then punted packets are dropped as NO_PUNT_PATH)
     * @param uplinkPort    name of the port the exception port's frames leave through (ignored without one)
     */
    public PipelineFactory pipelines(String exceptionPort, String uplinkPort) {
        return lcore -> new Pipeline(stages(lcore, exceptionPort, uplinkPort), false);
    }

    /** The stages of one lcore's pipeline (see the class comment), for callers composing their own. */
    public List<PacketStage> stages(LcoreContext lcore, String exceptionPort, String uplinkPort) {
        return ordered(lcore, exceptionPort, uplinkPort, true, List.of(dnsStage(lcore)));
    }

    /**
     * One lcore's stages in the order of the class comment, with {@code middle} where the DNS stage stands: the DNS
     * stage if any, then other network functions' stages (the appliance puts the vswitch's there, so that VxLAN to
     * its VTEP address is switched, not punted). The single place that order is written.
     *
     * @param exceptionPort name of the exception port, or null when there is none
     * @param uplinkPort    name of the port the exception port's frames leave through (ignored without one)
     * @param classifyWithoutExceptionPort whether the {@link ExceptionStage} runs also without an exception port: then
     *                      what it would punt is dropped as NO_PUNT_PATH, else it is left to the host stage and the
     *                      fallback (NO_VERDICT)
     * @param middle        the stages between {@link ExceptionReturnStage} and {@link ExceptionStage}, in order
     */
    public static List<PacketStage> ordered(LcoreContext lcore, String exceptionPort, String uplinkPort,
                                            boolean classifyWithoutExceptionPort, List<? extends PacketStage> middle) {
        PortTable ports = lcore.ports();
        int exception = exceptionPort == null ? -1 : portNumber(ports, exceptionPort);
        List<PacketStage> stages = new ArrayList<>();
        if (exception >= 0) {
            stages.add(new ExceptionReturnStage(exception, portNumber(ports, uplinkPort)));
        }
        stages.addAll(middle);
        if (exception >= 0 || classifyWithoutExceptionPort) {
            stages.add(new ExceptionStage(ports, exception));
        }
        stages.add(new HostStage(ports));
        return stages;
    }

    /** A DNS stage for one lcore, with its own counters and query-log ring (registered here). */
    public DnsStage dnsStage(LcoreContext lcore) {
        DnsCounters mine = new DnsCounters(lcore.name());
        // With dnstap each record also holds the query and the whole response (at most the MTU's UDP payload).
        LogRing ring = logger.dnstap() == null ? new LogRing(settings.logRingSlots())
                : new LogRing(settings.logRingSlots(), QueryLogWriter.recordBytesForMessages(
                        settings.mtu() - dev.isthmus.dataplane.packet.Ipv4Header.MIN_HEADER_LENGTH
                                - dev.isthmus.dataplane.packet.UdpHeader.HEADER_LENGTH));
        logger.register(lcore.name(), ring);
        counters.add(mine);
        return new DnsStage(lcore.ports(), catalog, settings, mine, new QueryLogWriter(ring, mine,
                settings.queryLogEvery()), rrl, cookies, identity);
    }

    private static int portNumber(PortTable ports, String name) {
        for (int p = 0; p < ports.size(); p++) {
            if (ports.entry(p).name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no port named '" + name + "' (ports: "
                + ports.entries().stream().map(PortTable.Entry::name).toList() + ")");
    }

    /** Every lcore's DNS counters, summed now. */
    public DnsCounterSnapshot counters() {
        return DnsCounterSnapshot.of(List.copyOf(counters), logger.dnstap() == null ? -1 : dnstapDropped());
    }

    /** Each lcore's counters over its last whole second, as the logger thread last received them. */
    public Map<String, Map<String, Long>> lastSecond() {
        return logger.lastSecond();
    }

    /**
     * Sets the NSID and CH TXT identity texts the lcores' stages are built with (call before the data plane starts).
     *
     * @return this
     */
    public DnsDataPath identity(ServerIdentity identity) {
        this.identity = identity;
        return this;
    }

    /**
     * Writes every sampled query-log record ({@link DnsSettings#queryLogEvery()}) also to {@code writer} (a
     * {@code DnstapFile} or {@code DnstapSocket}) as dnstap AUTH_QUERY and AUTH_RESPONSE with the whole messages;
     * call before the data plane starts (the lcores' rings are sized for the messages then). The logger thread
     * closes it when the path is closed.
     *
     * @return this
     */
    public DnsDataPath dnstap(DnstapWriter writer) {
        logger.dnstap(writer);
        return this;
    }

    /** Frames the dnstap output dropped because it could not take them (a socket without a collector). */
    public long dnstapDropped() {
        DnstapWriter tap = logger.dnstap();
        return tap == null ? 0 : tap.dropped();
    }

    /** @return where the server-cookie secrets are published */
    public CookieControl cookies() {
        return cookies;
    }

    /** @return where the response-rate-limiting policy is published */
    public RrlControl rrl() {
        return rrl;
    }

    public ZoneCatalog catalog() {
        return catalog;
    }

    /** Stops the logger thread after it has written what the rings hold. Call after the dataplane stopped. */
    @Override
    public void close() {
        logger.close();
    }
}
