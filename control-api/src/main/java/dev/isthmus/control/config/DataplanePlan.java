package dev.isthmus.control.config;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates the appliance configuration into the dataplane's.
 *
 * <p>Run to completion: every port gets one RX queue per worker and every worker polls its own queue of every port
 * (queue k to worker k), the layout that needs no lock and that RSS spreads flows over on a real NIC.
 *
 * <p>Handoff ({@code lcores.io}): the dataplane's lcores are the I/O lcores, then the workers. Every port still gets
 * one queue pair per lcore, so that every lcore owns a TX queue of every port (the workers transmit on theirs; the
 * I/O lcores' stay idle). The I/O lcores poll every RX queue of every port between them (queue q to I/O lcore
 * q mod I): a device that spreads its input over all its queues by itself — net_tap's multiqueue tun, net_af_packet's
 * fanout over its queue pairs, RSS — loses nothing to an unpolled queue. The workers poll only their handoff rings.
 */
public final class DataplanePlan {

    /** Names the DPDK objects (mbuf pool, rings) of the appliance's dataplane. */
    public static final String NAME = "isthmus";
    /** RX and TX descriptors per queue: DPDK examples' default, deep enough for bursts at 10G. */
    static final int DESCRIPTORS = 1024;

    /** The smallest pool an automatic size gets: what DPDK's examples use for one port (8K - 1). */
    static final int MIN_AUTO_MBUFS = 8191;

    private DataplanePlan() {
    }

    /**
     * A pool that fills every RX and TX descriptor of every port's queues, each worker's cache and a few bursts per
     * port in flight, with half as much again to spare; rounded up to a power of two minus one (the size the
     * mempool's ring uses best). With handoff, every lcore's ring may be full as well.
     */
    static int autoMbufs(int ports, int workers, int cacheSize, int handoffRing) {
        long descriptors = (long) ports * workers * (DESCRIPTORS + DESCRIPTORS);
        long inFlight = (long) workers * (cacheSize + 64L * (ports + 2) + handoffRing);
        long wanted = Math.max(MIN_AUTO_MBUFS, (descriptors + inFlight) * 3 / 2);
        long size = Long.highestOneBit(wanted) << 1;
        return (int) Math.min(size - 1, (1 << 26) - 1);
    }

    /**
     * @param exceptionInterface the host end of the DNS exception path's veth, opened as the port named
     *                           {@link ConfigLoader#EXCEPTION_PORT} after the configured ones and used as the punt
     *                           port; null for none
     * @throws IllegalArgumentException with the dataplane's reason when the combination is impossible (e.g. too
     *                                  few mbufs for the descriptors)
     */
    public static DataplaneConfig of(ApplianceConfig config, String exceptionInterface) {
        int workers = config.lcores().count(); // every lcore owns a queue pair on every port
        EalConfig eal = config.eal();
        MempoolConfig mempool = config.mempool();
        List<PortConfig> ports = new ArrayList<>();
        for (dev.isthmus.control.config.AppliancePort port : config.ports()) {
            List<Ipv4Address> ipv4 = new ArrayList<>();
            List<Ipv6Address> ipv6 = new ArrayList<>();
            List<IpPrefix> addresses = new ArrayList<>(port.addresses());
            if (port.name().equals(config.dns().uplink())) {
                addresses.addAll(config.serviceAddresses()); // anycast: answered like the port's own
            }
            for (IpPrefix address : addresses) {
                if (address.isIpv6()) {
                    ipv6.add(Ipv6Address.parse(address.address().getHostAddress()));
                } else {
                    ipv4.add(Ipv4Address.parse(address.address().getHostAddress()));
                }
            }
            ports.add(new PortConfig(port.name(), port.device(), port.devargs(), workers, DESCRIPTORS, DESCRIPTORS,
                    port.mtu(), null, ipv4, ipv6, port.promiscuous()));
        }
        if (exceptionInterface != null) {
            // One packet-socket queue pair per worker, like every other port.
            ports.add(new PortConfig(ConfigLoader.EXCEPTION_PORT, "net_af_packet_" + DataplanePlan.NAME,
                    "iface=" + exceptionInterface + ",qpairs=" + workers, workers, DESCRIPTORS, DESCRIPTORS, 0, null,
                    List.of(), List.of(), false));
        }
        List<Integer> cpus = config.lcores().cpus();
        int io = config.lcores().io().size();
        List<LcoreConfig> lcores = new ArrayList<>();
        for (int k = 0; k < cpus.size(); k++) {
            List<QueueRef> polled = new ArrayList<>();
            for (PortConfig port : ports) {
                for (int q = 0; q < port.rxQueues(); q++) {
                    boolean mine = io == 0 ? q == k : k < io && q % io == k;
                    if (mine) {
                        polled.add(new QueueRef(port.name(), q));
                    }
                }
            }
            lcores.add(new LcoreConfig(cpus.get(k), polled));
        }
        DataplaneConfig plan = DataplaneConfig.of(NAME, eal, mempool, ports, lcores).withIdle(config.lcores().idle());
        if (config.lcores().handoff()) {
            plan = plan.withHandoffRing(config.lcores().handoffRing());
        }
        return exceptionInterface == null ? plan : plan.withPuntPort(ConfigLoader.EXCEPTION_PORT);
    }
}
