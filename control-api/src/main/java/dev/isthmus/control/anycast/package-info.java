/**
 * Anycast: the appliance announces its service addresses by BGP through an existing routing daemon (BIRD 2) while it
 * is healthy, and withdraws them when it is not, when it stops, and — the daemon being killed with the JVM — when the
 * JVM dies.
 *
 * <ul>
 *   <li>{@link dev.isthmus.control.anycast.BirdConfig}: the daemon's configuration from the {@code anycast} section:
 *       one static protocol per address family holding the service routes (disabled until the appliance is
 *       healthy), one BGP session per peer exporting only them.</li>
 *   <li>{@link dev.isthmus.control.anycast.BirdDaemon}: BIRD started in the exception path's namespace (whose kernel
 *       owns the appliance's addresses, so its BGP session is TCP over the exception path), driven through its
 *       control socket with {@code birdc}.</li>
 *   <li>{@link dev.isthmus.control.anycast.AnycastService}: the loop that compares health with what is announced
 *       and tells the daemon, and the status {@code /stats}, {@code /health} and Prometheus show.</li>
 * </ul>
 */
package dev.isthmus.control.anycast;
