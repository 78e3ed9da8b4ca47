package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.Header;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Compression (RFC 1035 §4.1.4) of a few names written one after another after the question — a referral's name
 * servers — by label counts, as Knot compresses: a name is compared with the question and with the names written
 * before it from the root (the question's label starts are known from the parse): their octets from the end, a word
 * at a time, then their label starts; no table of every suffix written is kept or searched.
 *
 * <p>It makes {@link NameCompression}'s choices: that table points a name's longest suffix equal (ignoring case) to
 * a suffix written before at that suffix's first occurrence. Here the longest equal suffix is the longest found
 * against any source, and its first occurrence is in the first source holding it: the question, or the first name
 * that holds it — which wrote it in full, for a name compressed against an earlier source would share that source's
 * suffix, and the later name would have found it there first. The root suffix is never pointed at, as there.
 *
 * <p>Offsets stay below {@link NameCompression#MAX_POINTER} for the messages this is used for (a question and at most
 * {@link #MAX_NAMES} names of at most 255 octets, a record header each: under 5 KiB), so every suffix written is a
 * pointer target, as in the table. One instance per thread; nothing is allocated.
 */
final class LabelCompression {
    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** Eight octets of the store in {@link #WORDS}' order. */
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** How many names a message may write after its question. */
    static final int MAX_NAMES = ResponseWriter.RDATA_SITES;
    /** A wire name of at most 255 octets has at most 127 labels, and its root. */
    private static final int MAX_LABELS = 128;

    private byte[] question;
    private int[] questionStarts;
    private int questionLabels;
    private int questionLength;

    /** The store the names are read from, where each is an RDATA: eight octets of record header before it. */
    private MemorySegment data;
    /** The names added since {@link #begin}: where each is in {@link #data}, its labels, its message offset. */
    private final long[] nameAt = new long[MAX_NAMES];
    private final int[] nameLabels = new int[MAX_NAMES];
    private final int[] nameLength = new int[MAX_NAMES];
    private final int[] messageAt = new int[MAX_NAMES];
    /** Label starts of name {@code i} relative to its start, from {@code i * MAX_LABELS}. */
    private final int[] starts = new int[MAX_NAMES * MAX_LABELS];
    private int added;

    /** Of the last name added: the octets written before its pointer (all of them when it has none). */
    private int prefix;
    /** Of the last name added: its pointer, or 0 when it is written whole. */
    private short pointer;
    /** Of the last name added: its wire length. */
    private int length;
    /** Of the last name added: how many of its labels, from the root, equal the question's. */
    private int questionCommon;

    /**
     * Starts a message whose question name is written at offset 12.
     *
     * @param name the question name (any case), from offset 0, a word of room past it
     * @param labelStarts its label starts, {@code labels} of them, then the offset of its root octet
     * @param labels its label count
     * @param store the zone store the names to compress are RDATA of
     */
    void begin(byte[] name, int[] labelStarts, int labels, MemorySegment store) {
        question = name;
        questionStarts = labelStarts;
        questionLabels = labels;
        questionLength = labelStarts[labels] + 1;
        data = store;
        added = 0;
    }

    /**
     * Decides how the uncompressed name at {@code at} in the store (an RDATA, read where it is: the octets just
     * copied elsewhere would be read back before their stores complete) is written at message offset
     * {@code messageOffset}, and remembers it for the names after it; then {@link #prefix()}, {@link #pointer()},
     * {@link #length()} and {@link #questionCommon()} describe it.
     *
     * @param end the first offset past the RDATA: a name running past it is refused
     * @return false when more than {@link #MAX_NAMES} names were added or the name is malformed (nothing is decided)
     */
    boolean add(long at, long end, int messageOffset) {
        final int n = added;
        if (n == MAX_NAMES) {
            return false;
        }
        final MemorySegment d = data;
        final int base = n * MAX_LABELS;
        final int[] s = starts;
        int labels = 0;
        long p = at;
        int len;
        while (true) {
            if (p >= end) {
                return false;
            }
            int label = d.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            if (label == 0) {
                len = (int) (p + 1 - at);
                break;
            }
            if (label > 63 || labels == MAX_LABELS - 1) {
                return false;
            }
            s[base + labels++] = (int) (p - at);
            p += 1 + label;
        }
        // The question's suffixes, from the root: how many labels are equal.
        final int common = questionCommon(d, at, base, labels, len);
        int best = common;
        int bestAt = common > 0 ? Header.LENGTH + questionStarts[questionLabels - common] : 0;
        questionCommon = common;
        // The names before it, in order: only a longer suffix than found so far counts (its first occurrence).
        for (int i = 0; i < n; i++) {
            final int ol = nameLabels[i];
            final int c = common(d, at, base, labels, len, nameAt[i], i * MAX_LABELS, ol, nameLength[i]);
            if (c > best) {
                best = c;
                bestAt = messageAt[i] + s[i * MAX_LABELS + ol - c];
            }
        }
        nameAt[n] = at;
        nameLabels[n] = labels;
        nameLength[n] = len;
        messageAt[n] = messageOffset;
        added = n + 1;
        length = len;
        if (best > 0) {
            prefix = s[base + labels - best];
            pointer = (short) (0xC000 | bestAt);
        } else {
            prefix = len;
            pointer = 0;
        }
        return true;
    }

    /**
     * How many labels, counted from the root, the name at {@code at} in the store and the question have equal
     * (ignoring case, RFC 4343 §3). First without reading a name: the suffixes that start as far from the end in both
     * (the same wire lengths, label by label from the root; a name server outside the question's top-level domain
     * stops here); then the octets of the longest of them, compared from the end eight at a time as far as they are
     * equal; then those suffixes that lie within the equal octets.
     */
    private int questionCommon(MemorySegment d, long at, int base, int labels, int len) {
        final int[] qs = questionStarts;
        final int ql = questionLabels;
        final int qlen = questionLength;
        final int same = sameLengths(base, labels, len, qs, 0, ql, qlen);
        if (same == 0) {
            return 0;
        }
        final int n = len - starts[base + labels - same]; // the longest suffix of the same length in both
        final byte[] q = question;
        final long aEnd = at + len;
        int equal = 0;
        while (equal + 8 <= n) {
            long x = StoredZone.lowerWord(d.get(WORD, aEnd - equal - 8))
                ^ StoredZone.lowerWord((long) WORDS.get(q, qlen - equal - 8));
            if (x != 0) {
                // Little-endian: the octet nearest the end is the word's highest.
                return within(equal + (Long.numberOfLeadingZeros(x) >>> 3), base, labels, len, same);
            }
            equal += 8;
        }
        final int rest = n - equal;
        if (rest > 0) {
            // The octets left: the high ones of the store's word ending there (a record header precedes every
            // RDATA), the low ones of the question's word starting there (its array has a word of room past it).
            long x = (StoredZone.lowerWord(d.get(WORD, aEnd - equal - 8)) >>> ((8 - rest) << 3)
                ^ StoredZone.lowerWord((long) WORDS.get(q, qlen - n))) & (-1L >>> ((8 - rest) << 3));
            if (x != 0) {
                // Here the octet nearest the end is the highest of the low ones kept.
                return within(n - 1 - ((63 - Long.numberOfLeadingZeros(x)) >>> 3), base, labels, len, same);
            }
        }
        return same;
    }

    /** {@link #questionCommon} against an earlier name at {@code bAt} in the store. */
    private int common(MemorySegment d, long at, int base, int labels, int len, long bAt, int bBase, int bLabels,
                       int bLen) {
        final int same = sameLengths(base, labels, len, starts, bBase, bLabels, bLen);
        if (same == 0) {
            return 0;
        }
        final int n = len - starts[base + labels - same];
        final long aEnd = at + len;
        final long bEnd = bAt + bLen;
        int equal = 0;
        while (equal < n) {
            // Both words end where the compare is (a record header precedes every RDATA).
            long x = StoredZone.lowerWord(d.get(WORD, aEnd - equal - 8))
                ^ StoredZone.lowerWord(d.get(WORD, bEnd - equal - 8));
            // A last word holds octets before the suffixes compared: they are its low ones, so they count only
            // when every octet after them is equal, and within() takes no more than the same-length labels.
            if (x != 0) {
                return within(equal + (Long.numberOfLeadingZeros(x) >>> 3), base, labels, len, same);
            }
            equal += 8;
        }
        return same;
    }

    /**
     * @return how many labels from the root two names have whose suffixes start as far from their ends (the same wire
     *     length), label by label: what they may have equal
     */
    private int sameLengths(int base, int labels, int len, int[] bs, int bBase, int bLabels, int bLen) {
        final int[] s = starts;
        final int max = Math.min(labels, bLabels);
        int k = 0;
        while (k < max && len - s[base + labels - 1 - k] == bLen - bs[bBase + bLabels - 1 - k]) {
            k++;
        }
        return k;
    }

    /**
     * @return of the first {@code same} labels from the root (suffixes of the same lengths in two names), how many
     *     lie within the {@code equal} octets the names have equal at their ends: those suffixes are equal
     */
    private int within(int equal, int base, int labels, int len, int same) {
        final int[] s = starts;
        int k = 0;
        while (k < same && len - s[base + labels - 1 - k] <= equal) {
            k++;
        }
        return k;
    }

    /** @return the octets of the last name added written before its pointer (all of them when it has none) */
    int prefix() {
        return prefix;
    }

    /** @return the last name's pointer, or 0 when it is written whole */
    short pointer() {
        return pointer;
    }

    /** @return the last name's wire length */
    int length() {
        return length;
    }

    /** @return how many labels of the last name, counted from the root, equal the question's */
    int questionCommon() {
        return questionCommon;
    }
}
