package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.Header;

/**
 * Compression (RFC 1035 §4.1.4) of a few names written one after another after the question — a referral's name
 * servers — by label counts, as Knot compresses: a name is compared with the question's suffix of as many labels,
 * found from the question's label starts (known from the parse), and with the names written before it, longest suffix
 * first; no table of every suffix written is kept or searched.
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

    /** The names added since {@link #begin}: where each is in its array, its label starts, its message offset. */
    private final byte[][] nameArray = new byte[MAX_NAMES][];
    private final int[] nameAt = new int[MAX_NAMES];
    private final int[] nameLabels = new int[MAX_NAMES];
    private final int[] nameLength = new int[MAX_NAMES];
    private final int[] messageAt = new int[MAX_NAMES];
    /** Label starts of name {@code i} relative to its start, from {@code i * MAX_LABELS}. */
    private final int[] starts = new int[MAX_NAMES * MAX_LABELS];
    private int names;

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
     * @param name the question name (any case), from offset 0
     * @param labelStarts its label starts, {@code labels} of them, then the offset of its root octet
     * @param labels its label count
     */
    void begin(byte[] name, int[] labelStarts, int labels) {
        question = name;
        questionStarts = labelStarts;
        questionLabels = labels;
        questionLength = labelStarts[labels] + 1;
        names = 0;
    }

    /**
     * Decides how the uncompressed name at {@code src[at]} is written at message offset {@code messageOffset}, and
     * remembers it for the names after it; then {@link #prefix()}, {@link #pointer()}, {@link #length()} and
     * {@link #questionCommon()} describe it.
     *
     * @return false when more than {@link #MAX_NAMES} names were added (nothing is then decided)
     */
    boolean add(byte[] src, int at, int messageOffset) {
        final int n = names;
        if (n == MAX_NAMES) {
            return false;
        }
        final int base = n * MAX_LABELS;
        final int[] s = starts;
        int labels = 0;
        int p = at;
        while (src[p] != 0) {
            s[base + labels++] = p - at;
            p += 1 + (src[p] & 0xFF);
        }
        final int len = p + 1 - at;
        // The question: the longest suffix equal to its suffix of as many labels.
        int best = 0;
        int bestAt = 0;
        final int[] qs = questionStarts;
        final int ql = questionLabels;
        for (int k = Math.min(labels, ql); k > 0; k--) {
            int q = qs[ql - k];
            int t = s[base + labels - k];
            int suffix = len - t;
            if (questionLength - q == suffix && Names.sameIgnoringCase(src, at + t, question, q, suffix)) {
                best = k;
                bestAt = Header.LENGTH + q;
                break;
            }
        }
        questionCommon = best;
        // The names before it, in order: only a longer suffix than found so far counts (its first occurrence).
        for (int i = 0; i < n; i++) {
            final int other = i * MAX_LABELS;
            final int ol = nameLabels[i];
            final byte[] oa = nameArray[i];
            final int oat = nameAt[i];
            final int olen = nameLength[i];
            for (int k = Math.min(labels, ol); k > best; k--) {
                int o = s[other + ol - k];
                int t = s[base + labels - k];
                int suffix = len - t;
                if (olen - o == suffix && Names.sameIgnoringCase(src, at + t, oa, oat + o, suffix)) {
                    best = k;
                    bestAt = messageAt[i] + o;
                    break;
                }
            }
        }
        nameArray[n] = src;
        nameAt[n] = at;
        nameLabels[n] = labels;
        nameLength[n] = len;
        messageAt[n] = messageOffset;
        names = n + 1;
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
