package dev.isthmus.control.vswitch.view;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * An access port in the API: a port of the configuration file by name, untagged ({@code vlan} 0) or one 802.1Q
 * VLAN on it.
 *
 * @param port the port name, e.g. {@code tap0}
 * @param vlan the VLAN id 1..4094, or 0 for untagged frames
 */
@Serdeable
public record PortRef(@NotBlank String port, @Min(0) @Max(4094) int vlan) {
}
