package dev.isthmus.dataplane.exception;

import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.LcoreContext;
import dev.isthmus.dataplane.pipeline.PacketStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.dataplane.port.PortTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The order of an appliance lcore's stages around its network functions, written once for every network function
 * (DNS, the vswitch, both):
 * <ol>
 *   <li>with an exception port, {@link ExceptionReturnStage}: the kernel's frames go out of the uplink;</li>
 *   <li>the network functions' stages, in the order given (the DNS stage first: it is nearly all the traffic, and
 *       the stages ahead of it cost one comparison per burst; the vswitch's ahead of the exception stage, so VxLAN to
 *       its VTEP address is switched, not punted);</li>
 *   <li>{@link ExceptionStage}: the rest addressed to the appliance (TCP/53, ...) punted to the kernel;</li>
 *   <li>{@link HostStage}: ARP, ICMP echo, neighbour discovery;</li>
 *   <li>the fallback: whatever is left is not ours, dropped and counted ({@code NO_VERDICT}).</li>
 * </ol>
 */
public final class StageOrder {

    private StageOrder() {
    }

    /**
     * Each lcore's pipeline: {@code functions} builds the lcore's network-function stages, placed as the class
     * comment says.
     *
     * @see #ordered
     */
    public static PipelineFactory pipelines(String exceptionPort, String uplinkPort,
            boolean classifyWithoutExceptionPort, Function<LcoreContext, List<? extends PacketStage>> functions) {
        return lcore -> new Pipeline(ordered(lcore, exceptionPort, uplinkPort, classifyWithoutExceptionPort,
                functions.apply(lcore)), false);
    }

    /**
     * One lcore's stages in the order of the class comment, with {@code functions} between the exception path's
     * two stages.
     *
     * @param exceptionPort name of the exception port (the dataplane's punt port), or null when there is none
     * @param uplinkPort    name of the port the exception port's frames leave through (ignored without one)
     * @param classifyWithoutExceptionPort whether the {@link ExceptionStage} runs also without an exception port: then
     *                      what it would punt is dropped as NO_PUNT_PATH, else it is left to the host stage and the
     *                      fallback (NO_VERDICT)
     * @param functions     the network functions' stages, in order
     */
    public static List<PacketStage> ordered(LcoreContext lcore, String exceptionPort, String uplinkPort,
            boolean classifyWithoutExceptionPort, List<? extends PacketStage> functions) {
        PortTable ports = lcore.ports();
        int exception = exceptionPort == null ? -1 : portNumber(ports, exceptionPort);
        List<PacketStage> stages = new ArrayList<>();
        if (exception >= 0) {
            stages.add(new ExceptionReturnStage(exception, portNumber(ports, uplinkPort)));
        }
        stages.addAll(functions);
        if (exception >= 0 || classifyWithoutExceptionPort) {
            stages.add(new ExceptionStage(ports, exception));
        }
        stages.add(new HostStage(ports));
        return stages;
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
}
