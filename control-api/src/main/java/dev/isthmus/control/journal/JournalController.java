package dev.isthmus.control.journal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.validation.Validated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /journal}: the newest journal entries, oldest first, optionally of one kind or subject; with
 * {@code after=INDEX}, the entries that follow that one (poll with the last index seen to follow the journal).
 */
@Controller("/journal")
@Validated
public class JournalController {

    private final Journal journal;

    public JournalController(Journal journal) {
        this.journal = journal;
    }

    /**
     * @param limit how many entries at most (1..10000, default 100)
     * @param kind only {@code CHANGE} or only {@code EVENT} entries
     * @param subject only entries whose subject starts with this (e.g. {@code dns.zone/})
     * @param after only entries after the one of this index, oldest first
     */
    @Get
    public List<JournalEntry> latest(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit,
                                     @QueryValue @Nullable JournalEntry.Kind kind,
                                     @QueryValue @Nullable String subject,
                                     @QueryValue @Nullable Long after) {
        Predicate<JournalEntry> filter = e -> (kind == null || e.kind() == kind)
                && (subject == null || e.subject().startsWith(subject));
        return after == null ? journal.latest(limit, filter) : journal.after(after, limit, filter);
    }
}
