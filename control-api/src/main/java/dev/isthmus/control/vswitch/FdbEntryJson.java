package dev.isthmus.control.vswitch;

import dev.isthmus.control.vswitch.view.PortRef;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One FDB entry as {@code GET /vswitch/bridge-domains/{vni}/fdb} lists it.
 *
 * @param mac the station's MAC
 * @param port the access port it is behind, or null
 * @param vtep the remote VTEP it is behind, or null
 * @param isStatic whether it is configured rather than learned
 * @param ageSeconds seconds since it was last seen (0 for static entries)
 */
@Serdeable
public record FdbEntryJson(String mac, @Nullable PortRef port, @Nullable String vtep, boolean isStatic, int ageSeconds) {
}
