package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.Header;

/**
 * Compression (RFC 1035 §4.1.4) of a few names written one after another after the question — a referral's name
 * servers — by label counts, as Knot compresses: a name is compared with the question and with the names written
 * before it label by label from the root (the question's label starts are known from the parse), a suffix of another
 * wire length differing without a compare; no table of every suffix written is kept or searched.
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
    /** How many names a message may write after its question. */
    static final int MAX_NAMES = ResponseWriter.RDATA_SITES;
    /** A wire name of at most 255 octets has at most 127 labels, and its root. */
    private static final int MAX_LABELS = 128;

    private byte[] question;
    private int[] questionStarts;
    private int questionLabels;
    private int questionLength;

    /** The array all names are added from (a word of room past the last, for {@link Names#sameIgnoringCase}). */
    private byte[] names;
    /** The names added since {@link #begin}: where each is in {@link #names}, its labels, its message offset. */
    private final int[] nameAt = new int[MAX_NAMES];
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
     * @param from the array the names to compress will be in
     */
    void begin(byte[] name, int[] labelStarts, int labels, byte[] from) {
        question = name;
        questionStarts = labelStarts;
        questionLabels = labels;
        questionLength = labelStarts[labels] + 1;
        names = from;
        added = 0;
    }

    /**
     * Decides how the uncompressed name at {@code names[at]} (the array given to {@link #begin}) is written at message
     * offset {@code messageOffset}, and remembers it for the names after it; then {@link #prefix()},
     * {@link #pointer()}, {@link #length()} and {@link #questionCommon()} describe it.
     *
     * @return false when more than {@link #MAX_NAMES} names were added (nothing is then decided)
     */
    boolean add(int at, int messageOffset) {
        final int n = added;
        if (n == MAX_NAMES) {
            return false;
        }
        final byte[] src = names;
        final int base = n * MAX_LABELS;
        final int[] s = starts;
        int labels = 0;
        int p = at;
        while (src[p] != 0) {
            s[base + labels++] = p - at;
            p += 1 + (src[p] & 0xFF);
        }
        final int len = p + 1 - at;
        // The question's suffixes, from the root: how many labels are equal.
        final int common = common(src, at, s, base, labels, len, question, 0, questionStarts, 0, questionLabels,
            questionLength, 0);
        int best = common;
        int bestAt = common > 0 ? Header.LENGTH + questionStarts[questionLabels - common] : 0;
        questionCommon = common;
        // The names before it, in order: only a longer suffix than found so far counts (its first occurrence).
        for (int i = 0; i < n; i++) {
            final int ol = nameLabels[i];
            final int c = common(src, at, s, base, labels, len, src, nameAt[i], s, i * MAX_LABELS, ol, nameLength[i],
                best);
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
     * How many labels, counted from the root, two names have equal (ignoring case), when more than {@code known}:
     * else {@code known} or less. Starts at the suffix of {@code known + 1} labels (if that one differs, every longer
     * one does) and then compares one label more at a time; suffixes of unequal wire lengths differ without a compare.
     *
     * @param as label starts of name {@code a} relative to {@code ao}, from {@code ab}; likewise {@code bs}, {@code bb}
     */
    private static int common(byte[] a, int ao, int[] as, int ab, int al, int alen, byte[] b, int bo, int[] bs,
                              int bb, int bl, int blen, int known) {
        final int max = Math.min(al, bl);
        int k = known + 1;
        if (k > max) {
            return known;
        }
        int ta = as[ab + al - k];
        int tb = bs[bb + bl - k];
        if (alen - ta != blen - tb || !Names.sameIgnoringCase(a, ao + ta, b, bo + tb, alen - ta)) {
            return known;
        }
        for (k++; k <= max; k++) {
            int na = as[ab + al - k];
            int nb = bs[bb + bl - k];
            // Equal suffixes below: the next label is equal when it has the same wire length and octets.
            if (ta - na != tb - nb || !Names.sameIgnoringCase(a, ao + na, b, bo + nb, ta - na)) {
                return k - 1;
            }
            ta = na;
            tb = nb;
        }
        return max;
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
