/**
 * Wire formats owned by the vswitch: the VxLAN header flyweight (RFC 7348 section 5), the outer headers an
 * encapsulation writes ({@link dev.isthmus.vswitch.wire.VxlanEncapsulation}) and a VTEP's precomputed IPv4 outer
 * template ({@link dev.isthmus.vswitch.wire.Ipv4OuterTemplate}), which the run-time snapshot holds and the pipeline
 * writes. Ethernet, ARP, IPv4, IPv6 and UDP flyweights come from {@code dev.isthmus.dataplane.packet}.
 *
 * <p>Flyweights follow the project convention: {@code wrap(...)} instead of {@code new}, explicit big-endian
 * unaligned access, {@code *_OFFSET} constants, setters that return {@code this}. They never allocate.
 */
package dev.isthmus.vswitch.wire;
