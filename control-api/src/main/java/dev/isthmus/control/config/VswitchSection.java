package dev.isthmus.control.config;

import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.UnderlayView;
import java.util.List;

/**
 * The vswitch as the configuration file sets it up at start, in the same form the REST API and the journal use.
 *
 * @param underlay the underlay, or null for none (bridge domains then switch between local ports only)
 * @param bridgeDomains the bridge domains
 */
public record VswitchSection(UnderlayView underlay, List<BridgeDomainView> bridgeDomains) {

    public VswitchSection {
        bridgeDomains = List.copyOf(bridgeDomains);
    }

    /** No underlay, no bridge domains. */
    public static VswitchSection empty() {
        return new VswitchSection(null, List.of());
    }
}
