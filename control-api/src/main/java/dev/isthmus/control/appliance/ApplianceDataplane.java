package dev.isthmus.control.appliance;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.PortConfig;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.pipeline.PipelineFactory;
import dev.isthmus.dataplane.worker.PollWorker;
import dev.isthmus.nativebindings.EthPort;
import dev.isthmus.nativebindings.LinkStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The appliance's data plane: built from the configuration ({@link DataplanePlan}), started with the pipeline the
 * network functions make up, the kernel side of its TAP ports addressed and brought up; stopped and closed (ports
 * stopped, TAP interfaces removed by their PMD) when the appliance stops.
 */
public final class ApplianceDataplane implements AutoCloseable {

    private final ApplianceConfig config;
    private final PipelineFactory pipelines;
    private volatile Dataplane dataplane;

    public ApplianceDataplane(ApplianceConfig config, PipelineFactory pipelines) {
        this.config = config;
        this.pipelines = pipelines;
    }

    /**
     * Starts EAL (once per process), the mempool, the ports and the workers, then the TAP ports' kernel side.
     *
     * @throws RuntimeException naming the DPDK call and port, or the iproute2 command, that failed; nothing is left
     *                          running then
     */
    public synchronized void start() {
        if (dataplane != null) {
            return;
        }
        Dataplane started = Dataplane.start(DataplanePlan.of(config), pipelines);
        try {
            for (PortConfig port : config.ports()) {
                if (port.isTap() && port.kernelInterface().isPresent()) {
                    KernelInterface.configure(port.kernelInterface().get(), port.kernelAddresses());
                }
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        dataplane = started;
    }

    /** @return the running dataplane, if started */
    public Optional<Dataplane> running() {
        return Optional.ofNullable(dataplane);
    }

    /**
     * @return why the data plane is not healthy: not running, a port whose link is down, a worker that is not
     *         polling; empty when every port is up and every worker polls
     */
    public List<String> problems() {
        Dataplane dp = dataplane;
        if (dp == null) {
            return List.of("the data plane is not running");
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.ports().size(); i++) {
            PortConfig port = config.ports().get(i);
            EthPort ethPort = dp.port(i);
            if (!ethPort.isStarted()) {
                problems.add("port " + port.name() + " (" + port.device() + ") is stopped");
                continue;
            }
            LinkStatus link = ethPort.link();
            if (!link.up()) {
                problems.add("port " + port.name() + " (" + port.device() + ") link is down");
            }
        }
        for (PollWorker worker : dp.workers()) {
            if (!worker.isPolling()) {
                problems.add("worker " + worker.name() + " is not polling");
            }
        }
        return problems;
    }

    /** Stops the workers and ports and releases them (TAP interfaces disappear). Idempotent. */
    @Override
    public synchronized void close() {
        Dataplane dp = dataplane;
        dataplane = null;
        if (dp != null) {
            dp.close();
        }
    }
}
