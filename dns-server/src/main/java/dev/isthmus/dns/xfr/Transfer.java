package dev.isthmus.dns.xfr;

import dev.isthmus.dns.zone.ResourceRecord;
import java.util.List;

/** What a refresh brought: nothing new, a whole zone (AXFR, or an IXFR answered in AXFR form), or a net change. */
public sealed interface Transfer {

    /** The primary's serial (the zone's after the transfer). */
    long serial();

    /** One line for the journal and GET: how the zone was brought up to date. */
    String describe();

    /** The primary has nothing newer than {@code serial} (RFC 1995 §4: a lone SOA). */
    record UpToDate(long serial) implements Transfer {
        @Override
        public String describe() {
            return "up to date at serial " + serial;
        }
    }

    /** The whole zone, every record including the SOA once. */
    record Full(long serial, List<ResourceRecord> records, String how) implements Transfer {
        @Override
        public String describe() {
            return how + " of serial " + serial + ", " + records.size() + " records";
        }
    }

    /**
     * The IXFR's differences (RFC 1995 §4) folded into one change from {@code fromSerial}: records to delete (the
     * old SOA among them) and records to add (the new SOA among them), to be applied as one change.
     */
    record Incremental(long fromSerial, long serial, List<ResourceRecord> deletions, List<ResourceRecord> additions,
            int steps) implements Transfer {
        @Override
        public String describe() {
            return "IXFR from serial " + fromSerial + " to " + serial + " (" + steps + " step" + (steps == 1 ? "" : "s")
                    + ", -" + deletions.size() + " +" + additions.size() + " records)";
        }
    }
}
