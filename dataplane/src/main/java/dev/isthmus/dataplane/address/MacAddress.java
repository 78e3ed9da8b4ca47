package dev.isthmus.dataplane.address;

import java.util.HexFormat;

/**
 * An IEEE 802 MAC address held in the low 48 bits of a {@code long}, first octet in bits 47..40 (the order it has on
 * the wire), so it compares directly with {@link dev.isthmus.dataplane.packet.EthernetHeader#destination()}.
 *
 * @param value the address in the low 48 bits; the upper 16 bits are zero
 */
public record MacAddress(long value) {

    /** ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits, got 0x" + Long.toHexString(value));
        }
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -} as separator).
     *
     * @throws IllegalArgumentException naming the text when it is not six hexadecimal octets
     */
    public static MacAddress parse(String text) {
        String[] octets = text.trim().split("[:-]");
        if (octets.length != 6) {
            throw new IllegalArgumentException("not a MAC address (six octets like 02:00:00:00:00:01): '" + text + "'");
        }
        long value = 0;
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 2 || !octet.chars().allMatch(HexFormat::isHexDigit)) {
                throw new IllegalArgumentException("not a MAC address (bad octet '" + octet + "'): '" + text + "'");
            }
            value = (value << 8) | Integer.parseInt(octet, 16);
        }
        return new MacAddress(value);
    }

    /** True for a group (multicast or broadcast) address: the I/G bit, the low bit of the first octet (IEEE 802). */
    public boolean isMulticast() {
        return isMulticast(value);
    }

    /** True when the I/G bit of a 48-bit address value is set. */
    public static boolean isMulticast(long value) {
        return (value & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                text.append(':');
            }
            text.append(HexFormat.of().toHexDigits((byte) (value >>> shift)));
        }
        return text.toString();
    }
}
