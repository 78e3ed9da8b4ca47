package dev.isthmus.control.vswitch.view;

import dev.isthmus.vswitch.config.BridgeDomainConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A bridge domain in the API: the body of {@code POST /vswitch/bridge-domains}, the answer of every read, and the
 * value the journal records for each change (so a restore rebuilds it with the same conversion). Settings left out
 * of a command take the vswitch defaults.
 *
 * @param vni the VxLAN Network Identifier, 0..16777215 (RFC 7348 §5)
 * @param name a label for people
 * @param ports its local access ports
 * @param vteps its flood list of remote VTEPs (IPv4 or IPv6 literals)
 * @param staticEntries configured FDB entries
 * @param macLimit most learned MACs, or null for the default
 * @param agingSeconds seconds before a silent MAC is forgotten, or null for the default (300)
 * @param arpSuppression whether ARP requests for known bindings are answered locally, or null for the default (on)
 * @param learnVteps whether VxLAN from a VTEP not on the flood list makes the domain learn that VTEP, or null for
 *                   the default (off)
 * @param maxLearnedVteps most VTEPs learned at once, or null for the default (64)
 * @param learnedVteps read only: the VTEPs the domain learned from their traffic (not its flood list); ignored in a
 *                     command, never journalled (learned VTEPs are learned again after a restart)
 */
@Serdeable
public record BridgeDomainView(@Min(0) @Max(16_777_215) int vni,
                               @Nullable @Size(max = 64) String name,
                               @Nullable List<@Valid PortRef> ports,
                               @Nullable List<@NotBlank String> vteps,
                               @Nullable List<@Valid StaticEntryView> staticEntries,
                               @Nullable @Min(1) @Max(1_000_000) Integer macLimit,
                               @Nullable @Min(10) @Max(86_400) Integer agingSeconds,
                               @Nullable Boolean arpSuppression,
                               @Nullable Boolean learnVteps,
                               @Nullable @Min(1) @Max(BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT) Integer maxLearnedVteps,
                               @Nullable List<String> learnedVteps) {

    public BridgeDomainView {
        name = name == null ? "" : name;
        ports = ports == null ? List.of() : List.copyOf(ports);
        vteps = vteps == null ? List.of() : List.copyOf(vteps);
        staticEntries = staticEntries == null ? List.of() : List.copyOf(staticEntries);
        learnedVteps = learnedVteps == null ? List.of() : List.copyOf(learnedVteps);
    }

    /** @return this view without its learned VTEPs: what the journal records */
    public BridgeDomainView withoutLearnedVteps() {
        return new BridgeDomainView(vni, name, ports, vteps, staticEntries, macLimit, agingSeconds, arpSuppression,
                learnVteps, maxLearnedVteps, List.of());
    }
}
