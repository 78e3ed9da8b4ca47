package dev.isthmus.control.config;

import dev.isthmus.dataplane.address.Ipv6Address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An interface address with its prefix length, as written in configuration ({@code 198.18.0.53/24},
 * {@code 2001:db8::53/64}). Parsing never consults a resolver: only literals are accepted.
 *
 * @param address the address
 * @param prefixLength the prefix length, 0..32 for IPv4 and 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    public IpPrefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
    }

    /**
     * Parses {@code address/length}.
     *
     * @throws IllegalArgumentException with a message fit for an operator when the text is not such a prefix
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' needs a prefix length, e.g. 198.18.0.53/24 or 2001:db8::53/64");
        }
        InetAddress address = parseAddress(text.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
        }
        return new IpPrefix(address, length);
    }

    /**
     * Parses an IPv4 or IPv6 address literal (no name resolution).
     *
     * @throws IllegalArgumentException when the text is not a literal address
     */
    public static InetAddress parseAddress(String text) {
        try {
            return text.indexOf(':') >= 0 ? Inet6Address.ofLiteral(text) : Inet4Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    /** @return true for an IPv6 prefix */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** @return the address in its canonical text form: dotted quad, or RFC 5952 §4 for IPv6 ({@code 2001:db8::53}) */
    public String addressText() {
        return address instanceof Inet6Address v6 ? Ipv6Address.of(v6).toString() : address.getHostAddress();
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
