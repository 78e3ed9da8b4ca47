/**
 * DNS zones in the control plane: {@link dev.isthmus.control.dns.ZoneService} loads, restores, replaces and removes
 * served zones, publishing each complete new set to the engine in one atomic swap; {@code ZonesController} is its
 * REST face ({@code /dns/zones}).
 */
package dev.isthmus.control.dns;
