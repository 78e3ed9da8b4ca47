package dev.isthmus.control.vswitch;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Changes a bridge domain's learning settings.
 *
 * @param macLimit most learned MACs
 * @param agingSeconds seconds before a silent MAC is forgotten
 * @param arpSuppression whether ARP requests for known bindings are answered locally
 */
@Serdeable
public record SettingsCommand(@Min(1) @Max(1_000_000) int macLimit, @Min(10) @Max(86_400) int agingSeconds,
                              boolean arpSuppression) {
}
