/**
 * Value types for the addresses a port owns and packets carry: {@link dev.isthmus.dataplane.address.MacAddress}
 * (48 bits in a {@code long}), {@link dev.isthmus.dataplane.address.Ipv4Address} (an {@code int}) and
 * {@link dev.isthmus.dataplane.address.Ipv6Address} (two {@code long}s), each in network (big-endian) bit order so
 * they compare directly with what the packet flyweights read. Used by configuration and control code; the data path
 * works on the primitive values and never allocates these.
 */
package dev.isthmus.dataplane.address;
