package dev.isthmus.vswitch.config;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;

/**
 * The underlay address of a VTEP, IPv4 or IPv6, in the form the data path compares: an IPv4 address in the low 32
 * bits of {@code low} (with {@code high} 0), an IPv6 address in network order across {@code high} and {@code low}
 * (as {@link dev.isthmus.dataplane.packet.Ipv6Header#sourceHigh()} reads it).
 *
 * @param ipv6 whether this is an IPv6 address
 * @param high the first 64 bits of an IPv6 address; 0 for IPv4
 * @param low the last 64 bits of an IPv6 address, or the IPv4 address as an unsigned 32-bit value
 */
public record VtepAddress(boolean ipv6, long high, long low) implements Comparable<VtepAddress> {

    public VtepAddress {
        VswitchConfigException.require(ipv6 || (high == 0 && (low >>> 32) == 0), "IPv4 VTEP address out of range");
    }

    /** @param address an IPv4 address @return it as a VTEP address */
    public static VtepAddress of(Ipv4Address address) {
        return new VtepAddress(false, 0, address.value() & 0xFFFF_FFFFL);
    }

    /** @param address an IPv6 address @return it as a VTEP address */
    public static VtepAddress of(Ipv6Address address) {
        return new VtepAddress(true, address.high(), address.low());
    }

    /**
     * Parses an IPv4 or IPv6 literal.
     *
     * @param text e.g. {@code 198.18.0.2} or {@code 2001:db8::2}
     * @return the address
     * @throws VswitchConfigException when the text is neither
     */
    public static VtepAddress parse(String text) {
        try {
            return text.indexOf(':') >= 0 ? of(Ipv6Address.parse(text)) : of(Ipv4Address.parse(text));
        } catch (IllegalArgumentException e) {
            throw VswitchConfigException.invalid("not a VTEP address (IPv4 or IPv6 literal): '" + text + "'");
        }
    }

    /** @return the IPv4 address bits (valid when not {@link #ipv6()}) */
    public int ipv4() {
        return (int) low;
    }

    /**
     * Whether this address can be a remote VTEP: unicast, not unspecified, not loopback.
     *
     * @return true for a usable unicast address
     */
    public boolean isUsableUnicast() {
        if (!ipv6) {
            int first = (int) (low >>> 24);
            // RFC 1122 section 3.2.1.3 (0/8, 127/8), RFC 5771 (224/4 multicast), 240/4 reserved and broadcast.
            return first != 0 && first != 127 && first < 224;
        }
        boolean unspecifiedOrLoopback = high == 0 && (low == 0 || low == 1);
        boolean multicast = (high >>> 56) == 0xFF; // RFC 4291 section 2.7
        return !unspecifiedOrLoopback && !multicast;
    }

    @Override
    public int compareTo(VtepAddress other) {
        if (ipv6 != other.ipv6) {
            return ipv6 ? 1 : -1;
        }
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return ipv6 ? new Ipv6Address(high, low).toString() : new Ipv4Address((int) low).toString();
    }
}
