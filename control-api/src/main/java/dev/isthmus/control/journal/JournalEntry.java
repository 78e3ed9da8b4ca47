package dev.isthmus.control.journal;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One record of the journal: a configuration change or an event, as written and as read back.
 *
 * @param index the Chronicle Queue index (increasing; identifies the entry)
 * @param time when it was recorded
 * @param kind a configuration change or an event
 * @param actor who caused it: {@code rest 127.0.0.1} for an API client, {@code appliance} for the appliance itself
 * @param subject what it concerns, e.g. {@code dns.zone/example.test}, {@code appliance}, {@code vswitch.bd/100}
 * @param action what happened to the subject, e.g. {@code put}, {@code delete}, {@code start}, {@code error}
 * @param value for a change, the full new value (a zone's text, a bridge domain as JSON), empty for a deletion;
 *              for an event, its details
 */
@Serdeable
public record JournalEntry(long index, Instant time, Kind kind, String actor, String subject, String action,
                           String value) {

    /** What a journal entry records. */
    public enum Kind {
        /** A configuration change, replayable: its value is the full new state of its subject. */
        CHANGE,
        /** Something that happened (start, stop, zone swapped, an error), kept for the operator. */
        EVENT
    }
}
