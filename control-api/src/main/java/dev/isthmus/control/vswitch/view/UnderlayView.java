package dev.isthmus.control.vswitch.view;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The vswitch underlay in the API: the body of {@code PUT /vswitch/underlay}, the answer of {@code GET}, and the
 * value the journal records. At least one of {@code ipv4} and {@code ipv6} is needed.
 *
 * @param port the uplink port by name; it cannot also be an access port
 * @param mac the uplink's MAC, source of every encapsulated frame; null for the port's own (known once the data
 *            plane runs)
 * @param ipv4 this VTEP's IPv4 address with its on-link prefix, e.g. {@code 198.18.1.1/24}, or null
 * @param ipv4Gateway the IPv4 next hop for VTEPs off that prefix, or null
 * @param ipv6 this VTEP's IPv6 address with its prefix, or null
 * @param ipv6Gateway the IPv6 next hop for VTEPs off that prefix, or null
 * @param udpPort the VxLAN UDP port, null for 4789 (RFC 7348 §5)
 * @param mtu the underlay IP MTU, null for 1500
 */
@Serdeable
public record UnderlayView(@NotBlank String port,
                           @Nullable @Pattern(regexp = StaticEntryView.MAC, message = "must be a MAC address like 02:00:00:00:00:01") String mac,
                           @Nullable String ipv4, @Nullable String ipv4Gateway,
                           @Nullable String ipv6, @Nullable String ipv6Gateway,
                           @Nullable @Min(1) @Max(65535) Integer udpPort,
                           @Nullable @Min(576) @Max(9216) Integer mtu) {
}
