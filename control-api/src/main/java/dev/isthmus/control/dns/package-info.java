/**
 * DNS zones in the control plane: {@link dev.isthmus.control.dns.ZoneService} loads, restores, replaces and removes
 * served zones in the engine's {@code ZoneCatalog}, each change one atomic swap; {@code ZonesController} is its
 * REST face ({@code /dns/zones}); {@code ZonePatchJson} reads and writes the JSON of record-level changes
 * ({@code PATCH}, and the journal's {@code patch} entries). {@code TransferService} keeps each zone's transfer
 * policy (allow-transfer, NOTIFY targets, TSIG key) for the engine's primary side ({@code dev.isthmus.dns.xfr}),
 * from the configuration and over REST ({@code TransferController}, {@code /dns/zones/{name}/transfer}).
 */
package dev.isthmus.control.dns;
