package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dns.dnstap.DnstapWriter;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.rrl.RrlControl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The DNS network function on the data plane: builds each lcore's {@link DnsStage}, owns the lcores' DNS counters
 * and the query-log thread, and sums the counters on read. Where the stage stands in an lcore's pipeline (after the
 * exception path's return stage, ahead of the other network functions, the exception stage and the host stage) is
 * the appliance's: {@code dev.isthmus.dataplane.exception.StageOrder}.
 *
 * <p>Usage: {@code Dataplane.start(config.withPuntPort("exception"), StageOrder.pipelines("exception", "uplink",
 * true, lcore -> List.of(dns.dnsStage(lcore))))}, then {@link #counters()} any time; {@link #close()} after the
 * dataplane has stopped.
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
