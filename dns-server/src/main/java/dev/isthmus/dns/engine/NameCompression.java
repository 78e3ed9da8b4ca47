package dev.isthmus.dns.engine;

/**
 * The compression table of one message being written (RFC 1035 §4.1.4): every suffix of a name written in full at an
 * offset a pointer can reach is remembered, and a later name ending in a known suffix (compared ignoring case) ends
 * in a pointer to its first occurrence. {@link ResponseWriter} and {@link ApexBodyEncoder} write their names through
 * it, so a precomputed apex body compresses exactly as the general writer would.
 *
 * <p>One instance per writer; {@link #begin} starts each message.
 */
final class NameCompression {
    /** RFC 1035 §4.1.4: a pointer holds a 14-bit offset; names past it are written in full and not remembered. */
    static final int MAX_POINTER = 0x3FFF;
    private static final int MAX_SUFFIXES = 2048;
    /** Room for the names of a 64 KiB message and one more; past it names are written but not remembered. */
    private static final int NAMES = 65536 + 256;

    /** Remembered suffixes: message offset and label count. */
    private final int[] suffixAt = new int[MAX_SUFFIXES];
    private final int[] suffixLabels = new int[MAX_SUFFIXES];
    /** Wire length of each remembered suffix: equal names have equal lengths, so most candidates are skipped. */
    private final int[] suffixLength = new int[MAX_SUFFIXES];
    /**
     * Where in {@link #names} each remembered suffix's octets are, uncompressed: a candidate is compared there, eight
     * octets at a time, instead of by following its labels and pointers through the message.
     */
    private final int[] suffixSource = new int[MAX_SUFFIXES];
    /** The names written in this message (the question's first), each whole, as their sources spelled them. */
    private final byte[] names = new byte[NAMES];
    private int namesEnd;
    private int suffixes;

    /** @return where the caller copies the question name before {@link #begin} (its first {@code length} octets) */
    byte[] names() {
        return names;
    }

    /**
     * Starts a message whose question name, {@code length} octets copied to the start of {@link #names()}, is written
     * at message offset {@code at}: the name and each of its suffixes become known.
     *
     * @param starts the offsets of the name's {@code labels} labels within it
     */
    void begin(int at, int length, int[] starts, int labels) {
        namesEnd = length;
        suffixes = 0;
        for (int i = 0; i < labels; i++) {
            remember(at + starts[i], labels - i, length - starts[i], starts[i]);
        }
    }

    /**
     * Looks up the uncompressed name at {@code src[offset]}, to be written at message offset {@code at}: the suffixes
     * it writes in full (those before the longest known one) are remembered at the offsets they will have.
     *
     * @return when a suffix is known, the octets written before the pointer shifted left by 16, or'ed with the known
     *     suffix's message offset; else (the name is written whole) its wire length, negated
     */
    int match(byte[] src, int offset, int at) {
        int labels = 0;
        int end = offset;
        while (src[end] != 0) {
            labels++;
            end += 1 + (src[end] & 0xFF);
        }
        final int length = end + 1 - offset;
        // Where the name's octets go in the names written, once it is known to be written at least in part.
        int source = -1;
        int p = offset;
        while (src[p] != 0) {
            int known = find(src, p, labels, length - (p - offset));
            if (known >= 0) {
                return (p - offset) << 16 | known;
            }
            if (source < 0 && namesEnd + length <= NAMES) {
                source = namesEnd;
                System.arraycopy(src, offset, names, source, length);
                namesEnd += length;
            }
            if (source >= 0) {
                remember(at + (p - offset), labels, length - (p - offset), source + (p - offset));
            }
            p += 1 + (src[p] & 0xFF);
            labels--;
        }
        return -length;
    }

    /** @return how many suffixes are remembered (the question's first) */
    int count() {
        return suffixes;
    }

    /** Forgets the suffixes remembered after the first {@code count} (what a discarded placement wrote). */
    void truncate(int count) {
        suffixes = count;
    }

    /** @return the message offset of remembered suffix {@code i} */
    int at(int i) {
        return suffixAt[i];
    }

    /** @return the label count of remembered suffix {@code i} */
    int labels(int i) {
        return suffixLabels[i];
    }

    /** @return where remembered suffix {@code i}'s octets are in {@link #names()} */
    int source(int i) {
        return suffixSource[i];
    }

    private void remember(int at, int labels, int length, int source) {
        if (at <= MAX_POINTER && suffixes < MAX_SUFFIXES) {
            suffixAt[suffixes] = at;
            suffixSource[suffixes] = source;
            suffixLabels[suffixes] = labels;
            suffixLength[suffixes] = length;
            suffixes++;
        }
    }

    /** @return the message offset of the first written name equal to the suffix at {@code src[p]}, or -1 */
    private int find(byte[] src, int p, int labels, int length) {
        for (int i = 0; i < suffixes; i++) {
            if (suffixLength[i] == length && suffixLabels[i] == labels
                && Names.sameIgnoringCase(src, p, names, suffixSource[i], length)) {
                return suffixAt[i];
            }
        }
        return -1;
    }
}
