package dev.isthmus.dataplane.address;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv6 address as two {@code long}s in network order: {@code high} holds bytes 0..7, {@code low} bytes 8..15,
 * as {@link dev.isthmus.dataplane.packet.Ipv6Header#sourceHigh()} and {@code sourceLow()} read them.
 *
 * @param high the first 64 bits
 * @param low  the last 64 bits
 */
public record Ipv6Address(long high, long low) {

    /**
     * Parses any RFC 4291 §2.2 text form ({@code 2001:db8::53}); literals only, never a name lookup.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv6 literal
     */
    public static Ipv6Address parse(String text) {
        String literal = text.trim();
        InetAddress address;
        try {
            address = literal.indexOf(':') < 0 ? null : InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            address = null;
        }
        if (!(address instanceof Inet6Address v6)) {
            throw new IllegalArgumentException("not an IPv6 address (like 2001:db8::53): '" + text + "'");
        }
        return of(v6);
    }

    /** The address of a JDK {@link Inet6Address} (its 16 bytes, network order). */
    public static Ipv6Address of(Inet6Address address) {
        byte[] bytes = address.getAddress();
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        return new Ipv6Address(high, low);
    }

    /**
     * The solicited-node multicast address of this address, ff02::1:ffXX:XXXX (RFC 4291 §2.7.1), to which neighbour
     * solicitations for it are sent.
     */
    public Ipv6Address solicitedNode() {
        return new Ipv6Address(0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0000L | (low & 0xFF_FFFFL));
    }

    /** True for a link-local unicast address, fe80::/10 (RFC 4291 §2.5.6). */
    public boolean isLinkLocal() {
        return (high >>> 54) == (0xFE80L >>> 6);
    }

    /**
     * The modified EUI-64 link-local address derived from a MAC address (RFC 4291 §2.5.1 and appendix A): fe80::
     * with the MAC split by ff:fe and its universal/local bit inverted.
     */
    public static Ipv6Address linkLocalFor(MacAddress mac) {
        long m = mac.value();
        long iid = ((m >>> 24) << 40) | 0xFF_FE00_0000L | (m & 0xFF_FFFFL);
        iid ^= 0x0200_0000_0000_0000L;
        return new Ipv6Address(0xFE80_0000_0000_0000L, iid);
    }

    /**
     * The RFC 5952 text form: lower-case hexadecimal, no leading zeros, the longest run of two or more zero groups
     * (the first of equal runs) shortened to {@code ::}.
     */
    @Override
    public String toString() {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
