package dev.isthmus.control.journal;

import dev.isthmus.control.journal.JournalEntry.Kind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;

/**
 * The appliance's journal: an append-only Chronicle Queue of configuration changes and events, kept on disk across
 * restarts. Each entry is one self-describing document ({@code time, kind, actor, subject, action, value}) so
 * {@code ChronicleReaderMain} can dump the files without this code.
 *
 * <p>Writers are REST request threads and the appliance's own lifecycle; a Chronicle appender belongs to one thread
 * at a time, so appends are serialised by a lock. This is control-plane traffic (a few entries per change), never
 * the data path.
 */
public final class Journal implements AutoCloseable {

    private static final String TIME = "time";
    private static final String KIND = "kind";
    private static final String ACTOR = "actor";
    private static final String SUBJECT = "subject";
    private static final String ACTION = "action";
    private static final String VALUE = "value";

    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Clock clock;
    private final Object appendLock = new Object();

    /** Opens (or creates) the journal in {@code directory}. */
    public Journal(Path directory) {
        this(directory, Clock.systemUTC());
    }

    Journal(Path directory, Clock clock) {
        this.clock = clock;
        this.queue = ChronicleQueue.singleBuilder(directory).rollCycle(RollCycles.FAST_DAILY).build();
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
    }

    /**
     * Records a configuration change.
     *
     * @param value the full new value of {@code subject}, or empty when it was deleted
     * @return the entry as written
     */
    public JournalEntry change(String actor, String subject, String action, String value) {
        return append(Kind.CHANGE, actor, subject, action, value);
    }

    /** Records an event. @return the entry as written */
    public JournalEntry event(String actor, String subject, String action, String details) {
        return append(Kind.EVENT, actor, subject, action, details);
    }

    private JournalEntry append(Kind kind, String actor, String subject, String action, String value) {
        synchronized (appendLock) {
            Instant now = clock.instant();
            long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().write(TIME).int64(epochNanos)
                        .write(KIND).text(kind.name())
                        .write(ACTOR).text(actor)
                        .write(SUBJECT).text(subject)
                        .write(ACTION).text(action)
                        .write(VALUE).text(value);
            }
            return new JournalEntry(appender.lastIndexAppended(), now, kind, actor, subject, action, value);
        }
    }

    /**
     * @param limit how many entries at most
     * @param filter which entries count
     * @return the newest {@code limit} entries that pass {@code filter}, oldest first
     */
    public List<JournalEntry> latest(int limit, Predicate<JournalEntry> filter) {
        if (limit <= 0) {
            return List.of();
        }
        Deque<JournalEntry> newestFirst = new ArrayDeque<>();
        try (ExcerptTailer tailer = queue.createTailer()) {
            // Read backwards from the end so a long journal costs only the entries returned and those filtered out.
            tailer.direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd();
            while (newestFirst.size() < limit) {
                JournalEntry entry = readOne(tailer);
                if (entry == null) {
                    break;
                }
                if (filter.test(entry)) {
                    newestFirst.addFirst(entry);
                }
            }
        }
        return new ArrayList<>(newestFirst);
    }

    /**
     * @param after an entry's index; entries after it are returned (an index older than the journal's first
     *              entry reads from the start)
     * @param limit how many entries at most
     * @param filter which entries count
     * @return up to {@code limit} entries that pass {@code filter} and follow {@code after}, oldest first: what a
     *         client polling with the last index it saw has not seen yet
     */
    public List<JournalEntry> after(long after, int limit, Predicate<JournalEntry> filter) {
        List<JournalEntry> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (tailer.moveToIndex(after)) {
                readOne(tailer); // the entry at {@code after} itself was seen
            } else if (after >= queue.firstIndex() && queue.firstIndex() != Long.MAX_VALUE) {
                return out; // past the end (or not an index of this journal): nothing newer
            }
            for (JournalEntry entry = readOne(tailer); entry != null && out.size() < limit; entry = readOne(tailer)) {
                if (filter.test(entry)) {
                    out.add(entry);
                }
            }
        }
        return out;
    }

    /** Calls {@code consumer} with every entry, oldest first (used to restore state at start). */
    public void replay(Consumer<JournalEntry> consumer) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            for (JournalEntry entry = readOne(tailer); entry != null; entry = readOne(tailer)) {
                consumer.accept(entry);
            }
        }
    }

    private static JournalEntry readOne(ExcerptTailer tailer) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            Wire wire = dc.wire();
            long epochNanos = wire.read(TIME).int64();
            Kind kind = Kind.valueOf(wire.read(KIND).text());
            String actor = wire.read(ACTOR).text();
            String subject = wire.read(SUBJECT).text();
            String action = wire.read(ACTION).text();
            String value = wire.read(VALUE).text();
            Instant time = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                    Math.floorMod(epochNanos, 1_000_000_000L));
            return new JournalEntry(dc.index(), time, kind, actor, subject, action, value == null ? "" : value);
        }
    }

    /** @return where the journal's files are */
    public Path directory() {
        return queue.file().toPath();
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            appender.close();
            queue.close();
        }
    }
}
