/**
 * Isthmus's VxLAN virtual switch (RFC 7348): bridge domains keyed by a 24-bit VNI, each with local access ports
 * and a flood list of remote VTEPs, MAC learning and aging, flooding with head-end replication, and VTEP
 * encapsulation/decapsulation over an IPv4 or IPv6 underlay.
 *
 * <p>Layout, one concern per package:
 * <ul>
 *   <li>{@code wire} — flyweights over packet bytes (the VxLAN header) and MAC address helpers;</li>
 *   <li>{@code fdb} — the per-domain forwarding database and its lock-free learning table;</li>
 *   <li>{@code arp} — the ARP-suppression table;</li>
 *   <li>{@code config} — validated immutable configuration and the compiled snapshot the data path reads;</li>
 *   <li>{@code counters} — drop reasons and per-domain/port/VTEP counters;</li>
 *   <li>{@code control} — the control-side API (what the REST layer calls);</li>
 *   <li>{@code pipeline} — the per-packet stages plugged into the dataplane.</li>
 * </ul>
 *
 * <p>Threading: the data path reads one {@link dev.isthmus.vswitch.config.VswitchSnapshot} per burst (one volatile
 * read), learns into the FDB without locks, and never blocks; the control side serialises its changes and publishes
 * a new snapshot with one volatile write.
 */
package dev.isthmus.vswitch;
