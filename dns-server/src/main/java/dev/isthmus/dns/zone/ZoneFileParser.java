package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zone in RFC 1035 §5 master-file format — {@code $ORIGIN}, {@code $TTL} (RFC 2308 §4), {@code $INCLUDE},
 * {@code $GENERATE} (BIND's, see {@link Generate}),
 * {@code @}, relative names, omitted owner/TTL/class, parentheses, comments, quoted strings and escapes — and
 * returns the validated immutable {@link Zone}. Every error is collected as {@code file:line: message}; when there is
 * any, {@link ZoneParseException} is thrown and nothing is returned.
 */
public final class ZoneFileParser {
    /** Stop collecting after this many errors: past it they are usually one mistake echoed. */
    private static final int MAX_ERRORS = 50;
    private static final int MAX_INCLUDE_DEPTH = 8;

    private final DnsName zoneOrigin;
    private final List<ResourceRecord> records = new ArrayList<>();
    private final List<Integer> recordLines = new ArrayList<>();
    private final List<String> recordFiles = new ArrayList<>();
    private final List<ZoneError> errors = new ArrayList<>();
    /** Records made by {@code $GENERATE} so far, against {@link #MAX_GENERATED}. */
    private long generated;
    /** All {@code $GENERATE}s of a zone together make at most this many records. */
    static final long MAX_GENERATED = 4 * Generate.MAX_RECORDS;

    private ZoneFileParser(DnsName zoneOrigin) {
        this.zoneOrigin = zoneOrigin;
    }

    /**
     * Parses zone text that has no file of its own (e.g. a REST body). {@code $INCLUDE} is refused: it would read
     * files of the appliance on a client's behalf.
     */
    public static Zone parse(DnsName origin, String text, String sourceName) throws ZoneParseException {
        ZoneFileParser p = new ZoneFileParser(origin);
        p.parseText(text, sourceName, null, origin, null, 0);
        return p.finish();
    }

    /** Loads a zone file; {@code $INCLUDE} paths are relative to the including file's directory. */
    public static Zone load(DnsName origin, Path file) throws ZoneParseException {
        return load(origin, file, read(file));
    }

    /**
     * Parses the text of {@code file} that the caller has already read (once: what is parsed is what it keeps);
     * {@code $INCLUDE} paths are relative to that file's directory, and errors name it.
     */
    public static Zone load(DnsName origin, Path file, String text) throws ZoneParseException {
        ZoneFileParser p = new ZoneFileParser(origin);
        p.parseText(text, file.toString(), file.toAbsolutePath().getParent(), origin, null, 0);
        return p.finish();
    }

    /** @return the file's text; a file that cannot be read, or is not UTF-8, is an error naming the file */
    public static String read(Path file) throws ZoneParseException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZoneParseException(List.of(new ZoneError(file.toString(), 0, "cannot read: " + e.getMessage())));
        }
    }

    private Zone finish() throws ZoneParseException {
        if (errors.isEmpty()) {
            ZoneValidator validator = new ZoneValidator(zoneOrigin, records, recordFiles, recordLines);
            Zone zone = validator.build();
            if (zone != null) {
                return zone;
            }
            errors.addAll(validator.errors());
        }
        throw new ZoneParseException(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    }

    /**
     * Parse state of one file. An {@code $INCLUDE}d file starts with the includer's {@code $TTL} and its own origin,
     * and nothing it sets leaks back (RFC 1035 §5.1).
     */
    private static final class State {
        DnsName origin;
        DnsName lastOwner;
        /** The text lastOwner was parsed from, and the origin it was relative to (to reuse it for the same text). */
        String lastOwnerText;
        DnsName lastOwnerOrigin;
        Long defaultTtl;
        Long lastTtl;
    }

    private void parseText(String text, String file, Path baseDir, DnsName origin, Long defaultTtl, int depth) {
        State st = new State();
        st.origin = origin;
        st.defaultTtl = defaultTtl;
        ZoneLexer lexer = new ZoneLexer(text);
        while (errors.size() < MAX_ERRORS) {
            ZoneLexer.Entry entry;
            try {
                entry = lexer.next();
            } catch (ZoneLexer.LexException e) {
                errors.add(new ZoneError(file, e.line, e.getMessage()));
                return;
            }
            if (entry == null) {
                return;
            }
            try {
                entry(entry, st, file, baseDir, depth);
            } catch (IllegalArgumentException e) {
                errors.add(new ZoneError(file, entry.line(), e.getMessage()));
            }
        }
    }

    private void entry(ZoneLexer.Entry entry, State st, String file, Path baseDir, int depth) {
        List<ZoneLexer.Token> t = entry.tokens();
        String first = t.get(0).text();
        if (!entry.ownerOmitted() && !t.get(0).quoted() && first.startsWith("$")) {
            directive(entry.line(), t, st, file, baseDir, depth);
            return;
        }
        int i = 0;
        DnsName owner;
        if (entry.ownerOmitted()) {
            if (st.lastOwner == null) {
                throw new IllegalArgumentException("no owner name and no previous owner to repeat");
            }
            owner = st.lastOwner;
        } else {
            // Zone files repeat the owner on consecutive lines (h1 A, h1 AAAA): parse it once for all of them.
            owner = first.equals(st.lastOwnerText) && st.origin == st.lastOwnerOrigin ? st.lastOwner
                    : DnsName.parse(first, st.origin);
            i = 1;
        }
        Long ttl = null;
        int rrClass = -1;
        // RFC 1035 §5.1: [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>.
        for (int k = 0; k < 2 && i < t.size(); k++) {
            String tok = t.get(i).text();
            if (ttl == null && !t.get(i).quoted() && TtlParser.looksLikeTtl(tok)) {
                ttl = TtlParser.parse(tok);
                i++;
            } else if (rrClass < 0 && !t.get(i).quoted() && DnsClass.fromName(tok) >= 0
                && RecordType.fromName(tok) < 0) {
                rrClass = DnsClass.fromName(tok);
                i++;
            }
        }
        if (i >= t.size()) {
            throw new IllegalArgumentException("missing type");
        }
        String typeText = t.get(i++).text();
        int type = RecordType.fromName(typeText);
        if (type < 0) {
            throw new IllegalArgumentException("unknown type '" + typeText + "'");
        }
        if (RecordType.isMetaOrQueryOnly(type)) {
            throw new IllegalArgumentException("type " + RecordType.name(type) + " cannot appear in a zone");
        }
        if (rrClass < 0) {
            rrClass = DnsClass.IN;
        }
        if (rrClass != DnsClass.IN) {
            throw new IllegalArgumentException("only class IN is served");
        }
        byte[] rdata;
        try {
            rdata = RdataParser.parse(type, t.subList(i, t.size()), st.origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RecordType.name(type) + ": " + e.getMessage());
        }
        if (ttl == null) {
            // RFC 2308 §4: $TTL is the default; without it, RFC 1035 §5.1: the last stated TTL; for the SOA
            // itself BIND and NSD fall back to its MINIMUM field.
            if (st.defaultTtl != null) {
                ttl = st.defaultTtl;
            } else if (st.lastTtl != null) {
                ttl = st.lastTtl;
            } else if (type == RecordType.SOA) {
                int p = rdata.length - 4;
                ttl = ((rdata[p] & 0xFFL) << 24) | ((rdata[p + 1] & 0xFFL) << 16) | ((rdata[p + 2] & 0xFFL) << 8)
                    | (rdata[p + 3] & 0xFFL);
            } else {
                throw new IllegalArgumentException("no TTL given and no $TTL before this record");
            }
        } else {
            st.lastTtl = ttl;
        }
        if (ttl > TtlParser.MAX_TTL) {
            throw new IllegalArgumentException("TTL " + ttl + " above 2147483647 (RFC 2181 §8)");
        }
        st.lastOwner = owner;
        if (!entry.ownerOmitted()) {
            st.lastOwnerText = first;
            st.lastOwnerOrigin = st.origin;
        }
        records.add(new ResourceRecord(owner, type, rrClass, ttl, rdata));
        recordFiles.add(file);
        recordLines.add(entry.line());
    }

    private void directive(int line, List<ZoneLexer.Token> t, State st, String file, Path baseDir, int depth) {
        String name = t.get(0).text().toUpperCase(java.util.Locale.ROOT);
        switch (name) {
            case "$ORIGIN" -> {
                expectArgs(t, 1, 1, "$ORIGIN <name>");
                st.origin = DnsName.parse(t.get(1).text(), st.origin);
            }
            case "$TTL" -> {
                expectArgs(t, 1, 1, "$TTL <ttl>");
                long ttl = TtlParser.parse(t.get(1).text());
                if (ttl > TtlParser.MAX_TTL) {
                    throw new IllegalArgumentException("$TTL above 2147483647 (RFC 2181 §8)");
                }
                st.defaultTtl = ttl;
            }
            case "$INCLUDE" -> {
                expectArgs(t, 1, 2, "$INCLUDE <file> [<origin>]");
                if (baseDir == null) {
                    throw new IllegalArgumentException("$INCLUDE is not allowed in zone text without a file");
                }
                if (depth >= MAX_INCLUDE_DEPTH) {
                    throw new IllegalArgumentException("$INCLUDE nested deeper than " + MAX_INCLUDE_DEPTH);
                }
                Path included = baseDir.resolve(t.get(1).text());
                DnsName includeOrigin = t.size() > 2 ? DnsName.parse(t.get(2).text(), st.origin) : st.origin;
                String text;
                try {
                    text = Files.readString(included, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException("$INCLUDE cannot read " + included + ": " + e.getMessage());
                }
                parseText(text, included.toString(), included.toAbsolutePath().getParent(), includeOrigin,
                    st.defaultTtl, depth + 1);
            }
            case "$GENERATE" -> generate(line, t, st, file, baseDir, depth);
            default -> throw new IllegalArgumentException("unknown directive " + t.get(0).text());
        }
    }

    /**
     * {@code $GENERATE range lhs [ttl] [class] type rhs} ({@link Generate}): each value of the range makes one record
     * entry, read as if it were written on this line. The range's size is checked first; the first bad record stops
     * the directive with the value that made it.
     */
    private void generate(int line, List<ZoneLexer.Token> t, State st, String file, Path baseDir, int depth) {
        if (t.size() < 5) {
            throw new IllegalArgumentException("usage: $GENERATE <start>-<stop>[/<step>] <lhs> [<ttl>] [<class>] "
                    + "<type> <rhs>");
        }
        Generate.Range range = Generate.range(t.get(1).text());
        if (generated + range.count() > MAX_GENERATED) {
            throw new IllegalArgumentException("$GENERATE: more than " + MAX_GENERATED
                    + " generated records in the zone");
        }
        generated += range.count();
        for (long i = range.start(); i <= range.stop(); i += range.step()) {
            List<ZoneLexer.Token> tokens = new ArrayList<>(t.size() - 1);
            for (int k = 2; k < t.size(); k++) {
                ZoneLexer.Token token = t.get(k);
                tokens.add(new ZoneLexer.Token(Generate.substitute(token.text(), i), token.quoted()));
            }
            if (tokens.get(0).text().startsWith("$")) {
                throw new IllegalArgumentException("$GENERATE: the owner cannot start with '$' after substitution");
            }
            try {
                entry(new ZoneLexer.Entry(line, false, tokens), st, file, baseDir, depth);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("$GENERATE at " + i + ": " + e.getMessage());
            }
        }
    }

    private static void expectArgs(List<ZoneLexer.Token> t, int min, int max, String usage) {
        int n = t.size() - 1;
        if (n < min || n > max) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }
}
