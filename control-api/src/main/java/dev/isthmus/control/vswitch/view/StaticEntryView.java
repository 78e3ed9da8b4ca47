package dev.isthmus.control.vswitch.view;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * A static FDB entry in the API, as command and as answer: a MAC behind exactly one of an access port and a remote
 * VTEP.
 *
 * @param mac the station's MAC, {@code 02:00:00:00:00:01}
 * @param port the access port it is behind, or null
 * @param vtep the remote VTEP it is behind, or null
 */
@Serdeable
public record StaticEntryView(@NotBlank @Pattern(regexp = MAC, message = "must be a MAC address like 02:00:00:00:00:01") String mac,
                              @Nullable @Valid PortRef port, @Nullable String vtep) {

    /** Six hexadecimal octets separated by colons or dashes. */
    public static final String MAC = "\\p{XDigit}{2}([:-]\\p{XDigit}{2}){5}";
}
