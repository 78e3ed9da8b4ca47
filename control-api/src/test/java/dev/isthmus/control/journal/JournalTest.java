package dev.isthmus.control.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.journal.JournalEntry.Kind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00.123456789Z"), ZoneOffset.UTC);

    @Test
    void entriesSurviveReopeningWithEveryField() {
        String zone = "$ORIGIN a.test.\n@ 300 IN SOA ns h 1 2 3 4 5\n; ünïcode in a comment\n";
        JournalEntry written;
        try (Journal journal = new Journal(dir, CLOCK)) {
            written = journal.change("rest 127.0.0.1 (alice)", "dns.zone/a.test", "put", zone);
            journal.event("appliance", "appliance", "stop", "");
        }
        try (Journal reopened = new Journal(dir, CLOCK)) {
            List<JournalEntry> all = new ArrayList<>();
            reopened.replay(all::add);
            assertEquals(2, all.size());
            assertEquals(written, all.getFirst());
            assertEquals(new JournalEntry(all.getFirst().index(), CLOCK.instant(), Kind.CHANGE, "rest 127.0.0.1 (alice)",
                    "dns.zone/a.test", "put", zone), all.getFirst());
            assertEquals(Kind.EVENT, all.get(1).kind());
            assertEquals("stop", all.get(1).action());
            assertTrue(all.get(1).index() > all.get(0).index());
        }
    }

    @Test
    void latestReturnsTheNewestMatchingEntriesOldestFirst() {
        try (Journal journal = new Journal(dir, CLOCK)) {
            for (int i = 0; i < 10; i++) {
                journal.change("t", "dns.zone/z" + i + ".test", "put", "v" + i);
                journal.event("t", "appliance", "tick", "e" + i);
            }
            List<JournalEntry> latest = journal.latest(3, e -> e.kind() == Kind.CHANGE);
            assertEquals(List.of("v7", "v8", "v9"), latest.stream().map(JournalEntry::value).toList());
            assertEquals(List.of("e9"), journal.latest(1, e -> true).stream().map(JournalEntry::value).toList());
            assertEquals(20, journal.latest(100, e -> true).size());
            assertEquals(List.of(), journal.latest(0, e -> true));
        }
    }

    @Test
    void afterReturnsWhatFollowsAnIndex() {
        try (Journal journal = new Journal(dir, CLOCK)) {
            assertEquals(List.of(), journal.after(0, 10, e -> true), "nothing in an empty journal");
            JournalEntry first = journal.event("t", "s", "a", "1");
            journal.event("t", "s", "a", "2");
            journal.change("t", "s", "a", "3");
            JournalEntry last = journal.event("t", "s", "a", "4");
            assertEquals(List.of("2", "3", "4"), journal.after(first.index(), 10, e -> true).stream().map(JournalEntry::value).toList());
            assertEquals(List.of("2"), journal.after(first.index(), 1, e -> true).stream().map(JournalEntry::value).toList());
            assertEquals(List.of("3"), journal.after(first.index(), 10, e -> e.kind() == Kind.CHANGE).stream().map(JournalEntry::value).toList());
            assertEquals(List.of(), journal.after(last.index(), 10, e -> true));
            assertEquals(List.of("1", "2", "3", "4"), journal.after(0, 10, e -> true).stream().map(JournalEntry::value).toList(),
                    "an index older than the first entry reads from the start");
        }
    }

    @Test
    void emptyJournalReadsAsEmpty() {
        try (Journal journal = new Journal(dir, CLOCK)) {
            assertEquals(List.of(), journal.latest(10, e -> true));
            List<JournalEntry> all = new ArrayList<>();
            journal.replay(all::add);
            assertEquals(List.of(), all);
        }
    }

    @Test
    void concurrentWritersLoseNothing() throws InterruptedException {
        try (Journal journal = new Journal(dir, CLOCK)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        journal.event("writer" + id, "test", "n", Integer.toString(i));
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            List<JournalEntry> all = new ArrayList<>();
            journal.replay(all::add);
            assertEquals(1000, all.size());
            for (int t = 0; t < 4; t++) {
                String writer = "writer" + t;
                assertEquals(java.util.stream.IntStream.range(0, 250).mapToObj(Integer::toString).toList(),
                        all.stream().filter(e -> e.actor().equals(writer)).map(JournalEntry::value).toList());
            }
        }
    }
}
