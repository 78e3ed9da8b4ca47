package dev.isthmus.dns.zone;

/**
 * One record-level change of a {@link ZonePatch}, in the terms of RFC 2136 §2.5 (add to an RRset, delete an RRset,
 * delete all RRsets from a name, delete an RR from an RRset), with every field in presentation form as an operator
 * or a zone file writes it. {@link ZonePatcher} checks the fields; nothing here is validated.
 *
 * @param op   what to do
 * @param name the owner: relative to the zone's origin, absolute with a trailing dot, {@code @} for the apex
 * @param type the type mnemonic ({@code A}, {@code TYPE65534}); null with {@link Op#REMOVE} means every type
 * @param ttl  seconds or {@code 1h30m}; null with {@link Op#ADD} keeps the TTL of the RRset the record joins
 * @param data the RDATA in master-file presentation form (RFC 1035 §5.1, or RFC 3597 {@code \# len hex}), names in
 *             it relative to the zone's origin; null with {@link Op#REMOVE} means the whole RRset
 */
public record ZoneChange(Op op, String name, String type, String ttl, String data) {

    /** The operations of RFC 2136 §2.5, named for an API. */
    public enum Op {
        /** RFC 2136 §2.5.1: add a record to an RRset (creating it); a record already there is not duplicated. */
        ADD,
        /**
         * With data, RFC 2136 §2.5.4: delete that record; without, §2.5.2: delete the RRset; without a type either,
         * §2.5.3: delete every RRset of the name.
         */
        REMOVE;

        /** @return the op as the API spells it: {@code add}, {@code remove} */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static ZoneChange add(String name, String type, String ttl, String data) {
        return new ZoneChange(Op.ADD, name, type, ttl, data);
    }

    public static ZoneChange remove(String name, String type, String data) {
        return new ZoneChange(Op.REMOVE, name, type, null, data);
    }
}
