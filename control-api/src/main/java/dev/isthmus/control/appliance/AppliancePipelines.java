package dev.isthmus.control.appliance;

import dev.isthmus.dataplane.exception.ExceptionReturnStage;
import dev.isthmus.dataplane.exception.ExceptionStage;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.FlowDispatchStage;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.dns.pipeline.DnsDataPath;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages every lcore runs, in order (composed by {@link StageOrder}, which writes that order once):
 * <ol>
 *   <li>with an exception path, {@link ExceptionReturnStage}: what the namespace's kernel sends leaves through the
 *       uplink;</li>
 *   <li>with DNS, the DNS stage: UDP/53 queries to the appliance answered in place (nearly all the traffic, so
 *       first);</li>
 *   <li>the vswitch stage: frames of its bridge domains (it passes everything by while none is configured), ahead
 *       of the exception stage so VxLAN to the VTEP's address is switched, not punted;</li>
 *   <li>with an exception path, {@link ExceptionStage}: the rest addressed to the appliance (TCP/53, ...) punted to
 *       the kernel;</li>
 *   <li>{@link HostStage}: ARP, ICMP echo and neighbour discovery for the appliance's addresses.</li>
 * </ol>
 * What no stage takes is not the appliance's: dropped and counted as {@code NO_VERDICT}.
 *
 * <p>In handoff mode ({@code lcores.io}) the I/O lcores (the first {@code ioLcores} of the dataplane) run only
 * {@link FlowDispatchStage}: every packet goes, by the hash of its flow, to one worker's ring — a DNS client's
 * address and port always to the same worker — and the workers run the stages above on what their ring brings,
 * each packet carrying the port it arrived on.
 */
public final class AppliancePipelines implements PipelineFactory {

    private final DnsDataPath dns;
    private final VswitchControl vswitch;
    private final String exceptionPort;
    private final String uplinkPort;
    private final int ioLcores;
    private final int workers;

    /**
     * @param dns the DNS function, or null when it is off
     * @param exceptionPort the exception port's name, or null for none
     * @param uplinkPort the DNS uplink's name (where the exception path's frames leave)
     * @param ioLcores how many I/O lcores hand packets to the workers (0: every lcore runs to completion)
     * @param workers how many lcores run the stages (after the I/O lcores)
     */
    public AppliancePipelines(DnsDataPath dns, VswitchControl vswitch, String exceptionPort, String uplinkPort,
            int ioLcores, int workers) {
        this.dns = dns;
        this.vswitch = vswitch;
        this.exceptionPort = exceptionPort;
        this.uplinkPort = uplinkPort;
        this.ioLcores = ioLcores;
        this.workers = workers;
    }

    @Override
    public Pipeline create(LcoreContext lcore) {
        if (lcore.index() < ioLcores) {
            // Symmetric: both directions of a conversation (a TCP connection through the exception path) stay on
            // one worker, in order.
            return new Pipeline(List.of(new FlowDispatchStage(ioLcores, workers, true)), false);
        }
        List<PacketStage> middle = new ArrayList<>(2);
        if (dns != null) {
            middle.add(dns.dnsStage(lcore));
        }
        middle.add(new VswitchStage(vswitch::snapshot, lcore));
        return new Pipeline(StageOrder.ordered(lcore, exceptionPort, uplinkPort, false, middle), false);
    }
}
