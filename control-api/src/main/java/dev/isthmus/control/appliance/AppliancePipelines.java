package dev.isthmus.control.appliance;

import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import java.util.List;

/**
 * The stages every lcore runs, in order: the host stage answers ARP, ICMP echo and ND for the appliance's own
 * addresses; the vswitch stage switches frames of its bridge domains (it passes everything by while none is
 * configured). What no stage takes is dropped and counted as {@code NO_VERDICT}.
 */
public final class AppliancePipelines implements PipelineFactory {

    private final VswitchControl vswitch;

    public AppliancePipelines(VswitchControl vswitch) {
        this.vswitch = vswitch;
    }

    @Override
    public Pipeline create(LcoreContext lcore) {
        List<PacketStage> stages = List.of(new HostStage(lcore.ports()), new VswitchStage(vswitch::snapshot, lcore));
        return new Pipeline(stages, false);
    }
}
