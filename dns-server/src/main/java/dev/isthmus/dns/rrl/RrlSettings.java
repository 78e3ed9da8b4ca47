package dev.isthmus.dns.rrl;

import dev.isthmus.dataplane.address.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Response-rate-limiting settings, as an operator writes them ({@code dns.rrl} in the configuration file,
 * {@code PUT /dns/rrl}).
 *
 * @param responsesPerSecond responses per second each (client prefix, kind, name) may receive; 0 turns RRL off
 * @param slip every {@code slip}th response that the limit drops is sent truncated instead (TC=1, no records) so a
 *             real client behind a spoofed prefix can retry over TCP; 0 never slips, 1 slips every one
 * @param windowSeconds how far an entry's balance may fall below zero, in seconds of its rate: a prefix that kept
 *                      flooding stays limited up to this long after it slows down (the note's "window")
 * @param ipv4PrefixLength IPv4 clients are accounted by this prefix (24: one /24 is one client)
 * @param ipv6PrefixLength IPv6 clients likewise (56)
 * @param exempt prefixes never limited ({@code 198.18.0.0/30}, {@code 2001:db8::/48}), canonical text
 */
public record RrlSettings(int responsesPerSecond, int slip, int windowSeconds, int ipv4PrefixLength,
                          int ipv6PrefixLength, List<String> exempt) {

    /** The most responses per second an entry can be allowed (beyond it RRL would never act). */
    public static final int MAX_RESPONSES_PER_SECOND = 1_000_000;
    /** BIND's bound on slip. */
    public static final int MAX_SLIP = 10;
    /** BIND's bound on the window. */
    public static final int MAX_WINDOW_SECONDS = 3600;
    /** Exempt prefixes the poll loop scans at most (a linear scan, per limited response). */
    public static final int MAX_EXEMPT = 64;

    /** RRL off, with BIND's and NSD's other defaults ready for when a rate is set. */
    public static final RrlSettings OFF = new RrlSettings(0, 2, 15, 24, 56, List.of());

    /**
     * @throws IllegalArgumentException naming the field ({@code responses-per-second: ...}) when a value is out of
     *     range or an exempt entry is not a prefix
     */
    public RrlSettings {
        exempt = List.copyOf(exempt);
        List<String> problems = problems(responsesPerSecond, slip, windowSeconds, ipv4PrefixLength, ipv6PrefixLength,
                exempt);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<String> canonical = new ArrayList<>();
        for (String e : exempt) {
            canonical.add(Prefix.parse(e).toString());
        }
        exempt = List.copyOf(canonical);
    }

    /** @return true when responses are limited */
    public boolean enabled() {
        return responsesPerSecond > 0;
    }

    /**
     * Every problem of these values, each starting with the field's configuration name; empty when valid.
     */
    public static List<String> problems(int responsesPerSecond, int slip, int windowSeconds, int ipv4PrefixLength,
                                        int ipv6PrefixLength, List<String> exempt) {
        List<String> problems = new ArrayList<>();
        if (responsesPerSecond < 0 || responsesPerSecond > MAX_RESPONSES_PER_SECOND) {
            problems.add("responses-per-second: must be 0 (off) .. " + MAX_RESPONSES_PER_SECOND + ", got "
                    + responsesPerSecond);
        }
        if (slip < 0 || slip > MAX_SLIP) {
            problems.add("slip: must be 0 (never) .. " + MAX_SLIP + ", got " + slip);
        }
        if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
            problems.add("window-seconds: must be 1.." + MAX_WINDOW_SECONDS + ", got " + windowSeconds);
        }
        if (ipv4PrefixLength < 1 || ipv4PrefixLength > 32) {
            problems.add("ipv4-prefix-length: must be 1..32, got " + ipv4PrefixLength);
        }
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            problems.add("ipv6-prefix-length: must be 1..128, got " + ipv6PrefixLength);
        }
        if (exempt.size() > MAX_EXEMPT) {
            problems.add("exempt: at most " + MAX_EXEMPT + " prefixes, got " + exempt.size());
        }
        for (int i = 0; i < exempt.size(); i++) {
            try {
                Prefix.parse(exempt.get(i));
            } catch (IllegalArgumentException e) {
                problems.add("exempt[" + i + "]: " + e.getMessage());
            }
        }
        return problems;
    }

    /** These settings with another rate (tests, benchmarks). */
    public RrlSettings withResponsesPerSecond(int rate) {
        return new RrlSettings(rate, slip, windowSeconds, ipv4PrefixLength, ipv6PrefixLength, exempt);
    }

    /** An address prefix, parsed without a resolver. */
    record Prefix(InetAddress address, int length) {

        static Prefix parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a prefix like 198.18.0.0/30 or 2001:db8::/48");
            }
            String a = text.substring(0, slash);
            InetAddress address;
            try {
                address = a.indexOf(':') >= 0 ? Inet6Address.ofLiteral(a) : Inet4Address.ofLiteral(a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + a + "' is not an IPv4 or IPv6 address");
            }
            int max = address instanceof Inet4Address ? 32 : 128;
            int length;
            try {
                length = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
            }
            if (length < 0 || length > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length outside 0.." + max);
            }
            return new Prefix(address, length);
        }

        boolean ipv6() {
            return address instanceof Inet6Address;
        }

        @Override
        public String toString() {
            return (address instanceof Inet6Address v6 ? Ipv6Address.of(v6).toString() : address.getHostAddress())
                    + "/" + length;
        }
    }
}
