/**
 * What a host does for the addresses a port owns, so that the kernel's neighbour discovery and {@code ping} work
 * against the appliance: ARP replies (RFC 826), ICMP echo replies (RFC 792, RFC 1122 §3.2.2.6), neighbour
 * advertisements (RFC 4861 §7.2.4) and ICMPv6 echo replies (RFC 4443 §4.2), all answered in place in the
 * request's mbuf and sent back out of the port it came in on. One stage, {@link dev.isthmus.dataplane.host.HostStage}.
 */
package dev.isthmus.dataplane.host;
