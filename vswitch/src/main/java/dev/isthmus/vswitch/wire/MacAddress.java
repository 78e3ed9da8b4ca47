package dev.isthmus.vswitch.wire;

import java.util.HexFormat;

/**
 * A 48-bit IEEE 802 MAC address carried in the low 48 bits of a {@code long}, first octet most significant: the
 * form the FDB keys on, read from a frame with one 16-bit and one 32-bit big-endian load.
 *
 * <p>Only static helpers: the data path never creates an object per address.
 */
public final class MacAddress {

    /** The all-ones broadcast address {@code ff:ff:ff:ff:ff:ff}. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** Mask of the 48 address bits. */
    public static final long MASK = 0xFFFF_FFFF_FFFFL;
    /** The individual/group bit: the least significant bit of the first octet (IEEE 802-2014 section 8.2). */
    private static final long GROUP_BIT = 1L << 40;

    private MacAddress() {
    }

    /**
     * Whether the address is a group address (multicast or broadcast): such frames are always flooded and a
     * group address is never learned as a source.
     *
     * @param mac the address in the low 48 bits
     * @return true for multicast and broadcast
     */
    public static boolean isGroup(long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    /**
     * Whether the address may be learned or configured as a unicast station: not a group address, not all zeros.
     *
     * @param mac the address in the low 48 bits
     * @return true for a usable unicast address
     */
    public static boolean isUnicast(long mac) {
        return (mac & GROUP_BIT) == 0 && (mac & MASK) != 0;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with {@code -} separators), case-insensitive.
     *
     * @param text the address text
     * @return the address in the low 48 bits
     * @throws IllegalArgumentException if the text is not a MAC address
     */
    public static long parse(String text) {
        if (text == null || text.length() != 17) {
            throw new IllegalArgumentException("not a MAC address (want aa:bb:cc:dd:ee:ff): " + text);
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            int at = i * 3;
            if (i > 0 && text.charAt(at - 1) != ':' && text.charAt(at - 1) != '-') {
                throw new IllegalArgumentException("not a MAC address (want aa:bb:cc:dd:ee:ff): " + text);
            }
            int hi = Character.digit(text.charAt(at), 16);
            int lo = Character.digit(text.charAt(at + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a MAC address (want aa:bb:cc:dd:ee:ff): " + text);
            }
            mac = (mac << 8) | (hi << 4) | lo;
        }
        return mac;
    }

    /**
     * Formats as lower-case {@code aa:bb:cc:dd:ee:ff}, the form {@code bridge fdb} prints.
     *
     * @param mac the address in the low 48 bits
     * @return the text form
     */
    public static String format(long mac) {
        HexFormat hex = HexFormat.of();
        StringBuilder out = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                out.append(':');
            }
            out.append(hex.toHexDigits((byte) (mac >>> shift)));
        }
        return out.toString();
    }

    /**
     * The address from six bytes, first byte most significant.
     *
     * @param bytes at least six bytes
     * @return the address in the low 48 bits
     */
    public static long fromBytes(byte[] bytes) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (bytes[i] & 0xFF);
        }
        return mac;
    }

    /**
     * The six bytes of an address, first byte most significant.
     *
     * @param mac the address in the low 48 bits
     * @return a new six-byte array
     */
    public static byte[] toBytes(long mac) {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return out;
    }
}
