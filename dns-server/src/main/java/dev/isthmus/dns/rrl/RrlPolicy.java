package dev.isthmus.dns.rrl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RrlSettings} compiled for the poll loop: prefix masks and exempt prefixes as numbers. Immutable; an lcore
 * reads the current one once per burst from {@link RrlControl}.
 */
public final class RrlPolicy {

    /** The policy of {@link RrlSettings#OFF}. */
    public static final RrlPolicy OFF = new RrlPolicy(RrlSettings.OFF);

    private final RrlSettings settings;
    final int rate;
    final int slip;
    final int window;
    /** The lowest balance an entry may fall to: {@code -window * rate} (the note's debt limit), within 24 bits. */
    final int floor;
    final int mask4;
    final long mask6High;
    final long mask6Low;
    private final int[] exempt4Net;
    private final int[] exempt4Mask;
    private final long[] exempt6Net;
    private final long[] exempt6Mask;

    public RrlPolicy(RrlSettings settings) {
        this.settings = settings;
        this.rate = settings.responsesPerSecond();
        this.slip = settings.slip();
        this.window = settings.windowSeconds();
        this.floor = (int) Math.max(RateLimitTable.MIN_BALANCE, -(long) settings.windowSeconds() * rate);
        this.mask4 = mask32(settings.ipv4PrefixLength());
        this.mask6High = mask64(settings.ipv6PrefixLength());
        this.mask6Low = mask64(settings.ipv6PrefixLength() - 64);
        List<int[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (String text : settings.exempt()) {
            RrlSettings.Prefix p = RrlSettings.Prefix.parse(text);
            byte[] a = p.address().getAddress();
            if (p.ipv6()) {
                ByteBuffer b = ByteBuffer.wrap(a);
                long mh = mask64(p.length());
                long ml = mask64(p.length() - 64);
                v6.add(new long[] {b.getLong() & mh, b.getLong() & ml, mh, ml});
            } else {
                int m = mask32(p.length());
                v4.add(new int[] {ByteBuffer.wrap(a).getInt() & m, m});
            }
        }
        exempt4Net = v4.stream().mapToInt(x -> x[0]).toArray();
        exempt4Mask = v4.stream().mapToInt(x -> x[1]).toArray();
        exempt6Net = new long[v6.size() * 2];
        exempt6Mask = new long[v6.size() * 2];
        for (int i = 0; i < v6.size(); i++) {
            exempt6Net[2 * i] = v6.get(i)[0];
            exempt6Net[2 * i + 1] = v6.get(i)[1];
            exempt6Mask[2 * i] = v6.get(i)[2];
            exempt6Mask[2 * i + 1] = v6.get(i)[3];
        }
    }

    /** @return the settings this policy was compiled from */
    public RrlSettings settings() {
        return settings;
    }

    /** @return true when responses are limited at all */
    public boolean enabled() {
        return rate > 0;
    }

    /** @return the client's accounting prefix (its address masked) */
    public int prefix4(int address) {
        return address & mask4;
    }

    /** @return the mask of the high half of an IPv6 client's accounting prefix */
    public long mask6High() {
        return mask6High;
    }

    /** @return the mask of the low half of an IPv6 client's accounting prefix */
    public long mask6Low() {
        return mask6Low;
    }

    /** @return true when the IPv4 source is in an exempt prefix */
    public boolean exempt4(int address) {
        final int[] net = exempt4Net;
        final int[] mask = exempt4Mask;
        for (int i = 0; i < net.length; i++) {
            if ((address & mask[i]) == net[i]) {
                return true;
            }
        }
        return false;
    }

    /** @return true when the IPv6 source (two big-endian halves) is in an exempt prefix */
    public boolean exempt6(long high, long low) {
        final long[] net = exempt6Net;
        final long[] mask = exempt6Mask;
        for (int i = 0; i < net.length; i += 2) {
            if ((high & mask[i]) == net[i] && (low & mask[i + 1]) == net[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The top {@code length} bits of 32 set (0 for none). */
    static int mask32(int length) {
        return length <= 0 ? 0 : length >= 32 ? -1 : -1 << (32 - length);
    }

    /** The top {@code length} bits of 64 set (0 for none, all for 64 or more). */
    static long mask64(int length) {
        return length <= 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }
}
