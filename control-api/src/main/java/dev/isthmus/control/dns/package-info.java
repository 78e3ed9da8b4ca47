/**
 * DNS zones in the control plane: {@link dev.isthmus.control.dns.ZoneService} loads, restores, replaces and removes
 * served zones in the engine's {@code ZoneCatalog}, each change one atomic swap; {@code ZonesController} is its
 * REST face ({@code /dns/zones}).
 */
package dev.isthmus.control.dns;
