package dev.isthmus.dataplane.address;

/**
 * An IPv4 address in an {@code int}, first octet in the top byte (network order), as
 * {@link dev.isthmus.dataplane.packet.Ipv4Header#source()} reads it.
 *
 * @param value the address bits
 */
public record Ipv4Address(int value) {

    /**
     * Parses dotted-quad text ({@code 198.18.0.1}); no host names, no shortened forms.
     *
     * @throws IllegalArgumentException naming the text when it is not four decimal octets
     */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (four octets like 198.18.0.1): '" + text + "'");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address (bad octet '" + part + "'): '" + text + "'");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address (octet " + octet + " > 255): '" + text + "'");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4Address(value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
