/**
 * Wire formats owned by the vswitch: the VxLAN header flyweight (RFC 7348 section 5) and helpers that carry a
 * 48-bit MAC address in the low bits of a {@code long}, the form the FDB keys on.
 *
 * <p>Flyweights follow the project convention: {@code wrap(...)} instead of {@code new}, explicit big-endian
 * unaligned access, {@code *_OFFSET} constants, setters that return {@code this}. They never allocate.
 */
package dev.isthmus.vswitch.wire;
