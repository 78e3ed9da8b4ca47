package dev.isthmus.control.vswitch;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;

/**
 * Adds a remote VTEP to a flood list.
 *
 * @param address the VTEP's underlay address, IPv4 or IPv6 literal
 */
@Serdeable
public record VtepCommand(@NotBlank String address) {
}
