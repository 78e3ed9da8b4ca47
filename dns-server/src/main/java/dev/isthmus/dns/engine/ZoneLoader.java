package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.ZoneFileParser;
import dev.isthmus.dns.zone.ZoneParseException;
import dev.isthmus.dns.zone.ZoneStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads zone text into a {@link StoredZone}. The fast path streams the master file into a {@link StoreBuilder}
 * (no object per record or name; the store is the only thing left); a zone it does not take — {@code $INCLUDE},
 * {@code $GENERATE}, non-ASCII outside comments, a name in two cases, and every zone with an error — is loaded as before,
 * {@link ZoneFileParser} then {@link StoredZone#of}, which reports the {@code file:line: message} errors. Both
 * paths build the same store, byte for byte (ZoneLoaderTest).
 */
public final class ZoneLoader {
    private ZoneLoader() {
    }

    /** Loads a zone file; {@code $INCLUDE} paths are relative to its directory. */
    public static StoredZone load(DnsName origin, Path file) throws ZoneParseException {
        return load(origin, file, SegmentSlab.OWN);
    }

    private static StoredZone load(DnsName origin, Path file, SegmentSlab segments) throws ZoneParseException {
        try {
            byte[] text = Files.readAllBytes(file);
            if (!ZoneStreamReader.isUtf8(text)) {
                throw new ZoneStreamReader.Unsupported("not UTF-8"); // the parser says so, with the file name
            }
            return StoreBuilder.load(origin, text, segments);
        } catch (ZoneStreamReader.Unsupported | IOException | RuntimeException slow) {
            // RuntimeException: a fast-path defect must not turn bad input into a crash; the parser is the
            // reference (ZoneLoaderTest fails when the fast path declines a zone it should take)
            return StoredZone.of(ZoneFileParser.load(origin, file));
        }
    }

    /** A zone file's store and the text it was built from. */
    public record FileZone(StoredZone store, String text) {
    }

    /**
     * Loads a zone file and keeps its text (the control plane serves a configured zone back as written). The file is
     * read once, so the text kept is the text served, even when the file changes while it loads.
     */
    public static FileZone loadWithText(DnsName origin, Path file) throws ZoneParseException {
        String text = ZoneFileParser.read(file);
        StoredZone fast = fast(origin, text);
        return new FileZone(fast != null ? fast : StoredZone.of(ZoneFileParser.load(origin, file, text)), text);
    }

    /** A zone file to load: the zone's origin and the master file. */
    public record Source(DnsName origin, Path file) {
    }

    /**
     * Loads many zone files on {@code threads} threads (each zone is loaded by one thread, as {@link #load} does;
     * 10 000 small zones are thousands of independent loads of a few hundred microseconds). Small zones share
     * slabs of off-heap memory ({@link SegmentSlab}) instead of an automatic arena each.
     *
     * @return the zones, in the order of {@code sources}
     * @throws ZoneParseException the error of the first zone, in that order, that does not load (every zone is
     *                            tried; the first failure in order is reported, as a sequential load would)
     */
    public static List<StoredZone> loadAll(List<Source> sources, int threads) throws ZoneParseException {
        StoredZone[] zones = new StoredZone[sources.size()];
        ZoneParseException[] errors = new ZoneParseException[sources.size()];
        AtomicInteger next = new AtomicInteger();
        SegmentSlab slabs = new SegmentSlab();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < zones.length; i = next.getAndIncrement()) {
                try {
                    zones[i] = load(sources.get(i).origin(), sources.get(i).file(), slabs);
                } catch (ZoneParseException e) {
                    errors[i] = e;
                }
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < Math.min(threads, zones.length); t++) {
            helpers.add(Thread.ofPlatform().name("zone-loader-" + t).start(worker));
        }
        worker.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading zones", e);
            }
        }
        for (ZoneParseException error : errors) {
            if (error != null) {
                throw error;
            }
        }
        return Arrays.asList(zones);
    }

    /** Loads zone text that has no file ({@code $INCLUDE} refused), e.g. a REST body. */
    public static StoredZone parse(DnsName origin, String text, String sourceName) throws ZoneParseException {
        StoredZone fast = fast(origin, text);
        return fast != null ? fast : StoredZone.of(ZoneFileParser.parse(origin, text, sourceName));
    }

    /** @return the store built by the fast path, or null when the text needs the parser (package-private: tests) */
    static StoredZone fast(DnsName origin, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return null; // UTF-8 would write '?' for a lone one: let the parser see the text as it is
            }
        }
        try {
            return StoreBuilder.load(origin, text.getBytes(StandardCharsets.UTF_8));
        } catch (ZoneStreamReader.Unsupported | RuntimeException slow) {
            return null;
        }
    }
}
