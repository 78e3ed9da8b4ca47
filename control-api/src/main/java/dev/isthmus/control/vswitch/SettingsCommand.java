package dev.isthmus.control.vswitch;

import dev.isthmus.vswitch.config.BridgeDomainConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Changes a bridge domain's learning settings.
 *
 * @param macLimit most learned MACs
 * @param agingSeconds seconds before a silent MAC is forgotten
 * @param arpSuppression whether ARP requests for known bindings are answered locally
 * @param learnVteps whether VTEPs not on the flood list are learned, or null to keep the current setting
 * @param maxLearnedVteps most learned VTEPs, or null to keep the current limit
 */
@Serdeable
public record SettingsCommand(@Min(1) @Max(1_000_000) int macLimit, @Min(10) @Max(86_400) int agingSeconds,
                              boolean arpSuppression, @Nullable Boolean learnVteps,
                              @Nullable @Min(1) @Max(BridgeDomainConfig.MAX_LEARNED_VTEPS_LIMIT) Integer maxLearnedVteps) {
}
