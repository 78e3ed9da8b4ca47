package dev.isthmus.dns.zone;

import java.util.List;

/**
 * A list of record-level changes to one zone, applied in order and as a whole by {@link ZonePatcher}, and what
 * becomes of the SOA serial.
 *
 * @param changes the changes, in order; a later change sees the zone as the earlier ones left it
 * @param serial  the serial rule
 */
public record ZonePatch(List<ZoneChange> changes, Serial serial) {

    public ZonePatch {
        changes = List.copyOf(changes);
        if (serial == null) {
            serial = Serial.INCREMENT;
        }
    }

    /** What the SOA serial of the changed zone is. */
    public sealed interface Serial {
        /**
         * RFC 2136 §3.6: a zone that changed gets a new serial, greater than the old one (RFC 1982). When the changes
         * set a greater serial themselves (a new SOA) it is kept; otherwise the old serial plus one. BIND and Knot do
         * the same for dynamic updates.
         */
        Serial INCREMENT = new Increment();

        /** The serial the changes leave: the old one, or the one of the SOA they put. */
        Serial KEEP = new Keep();

        /** @return the rule that sets the serial to {@code value} whatever it was (how a journal replays a patch) */
        static Serial exactly(long value) {
            return new Exactly(value);
        }

        /** @return the rule as the API spells it: {@code increment}, {@code keep} or the number */
        String wireName();
    }

    /** See {@link Serial#INCREMENT}. */
    public record Increment() implements Serial {
        @Override
        public String wireName() {
            return "increment";
        }
    }

    /** See {@link Serial#KEEP}. */
    public record Keep() implements Serial {
        @Override
        public String wireName() {
            return "keep";
        }
    }

    /**
     * The serial is set to {@code value}.
     *
     * @param value 0 to 4294967295 (RFC 1035 §3.3.13: an unsigned 32-bit number)
     */
    public record Exactly(long value) implements Serial {
        public Exactly {
            if (value < 0 || value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("a serial is 0 to 4294967295, not " + value);
            }
        }

        @Override
        public String wireName() {
            return Long.toString(value);
        }
    }
}
