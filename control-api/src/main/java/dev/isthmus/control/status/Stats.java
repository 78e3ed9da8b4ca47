package dev.isthmus.control.status;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /stats}: the ports as DPDK counts them, the workers' own counters, drops by reason and
 * the DNS function. Counters are read without stopping anything, so they are each exact but not one instant.
 *
 * @param running whether the data plane runs (all else is empty when not)
 * @param ports per port
 * @param lcores per worker, its counters by name ({@code rx_packets}, {@code tx_packets}, {@code dropped}, ...)
 * @param inputs per RX queue ({@code tap0:0}), packets and bytes received
 * @param drops packets dropped, by reason ({@code DataplaneDrop.NO_VERDICT}, ...); reasons never seen are omitted
 * @param dns the DNS function
 * @param vswitch per bridge domain (by VNI), its counters ({@code rx_local}, {@code flooded}, {@code learned},
 *                {@code macs_learned_now}, drops by reason, ...)
 */
@Serdeable
public record Stats(boolean running, List<PortStatsView> ports, Map<String, Map<String, Long>> lcores,
                    Map<String, InputStats> inputs, Map<String, Long> drops, DnsStats dns,
                    Map<String, Map<String, Long>> vswitch) {

    /**
     * One port.
     *
     * @param name its name in the configuration
     * @param device its DPDK device
     * @param dpdkPortId DPDK's port id
     * @param mac its MAC address
     * @param linkUp whether the link is up
     * @param speedMbps the link speed
     * @param rxPackets packets received (DPDK's count, before the pipeline)
     * @param txPackets packets sent
     * @param rxBytes bytes received
     * @param txBytes bytes sent
     * @param rxMissed packets the device dropped because an RX queue was full
     * @param rxErrors erroneous packets received
     * @param txErrors failed transmissions
     * @param rxNoMbuf receive buffer allocation failures
     */
    @Serdeable
    public record PortStatsView(String name, String device, int dpdkPortId, String mac, boolean linkUp, int speedMbps,
                                long rxPackets, long txPackets, long rxBytes, long txBytes, long rxMissed, long rxErrors,
                                long txErrors, long rxNoMbuf) {
    }

    /**
     * One RX queue.
     *
     * @param packets packets received
     * @param bytes bytes received
     */
    @Serdeable
    public record InputStats(long packets, long bytes) {
    }

    /**
     * The DNS function.
     *
     * @param zones zones served
     * @param precomputedAnswers 0 since answers are assembled per query from the zone store (kept for API stability)
     * @param totals the data-plane DNS counters by name ({@code answered}, {@code truncated}, ...), empty when the
     *               DNS stage does not run
     * @param rcodes responses by RCODE name (zero counts omitted)
     * @param qtypes responses by QTYPE mnemonic (zero counts omitted)
     * @param perLcore answers per worker
     * @param rateLimitedPerLcore per worker, responses rate limiting dropped ({@code rate_limited}) and sent
     *                            truncated instead ({@code slipped})
     */
    @Serdeable
    public record DnsStats(int zones, int precomputedAnswers, Map<String, Long> totals, Map<String, Long> rcodes,
                           Map<String, Long> qtypes, Map<String, Long> perLcore,
                           Map<String, Map<String, Long>> rateLimitedPerLcore) {
    }
}
