package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.engine.CatalogSnapshot;
import dev.isthmus.dns.engine.QueryEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One lcore's packet cache: the engine's response to a query, kept by the query's exact bytes, so that the next
 * query with the same bytes (all but the ID) is answered by one hash, one compare and one copy instead of parsing,
 * looking up and assembling. PowerDNS's authoritative server calls this its packet cache; here it also keeps the
 * Internet-checksum sum of each response, so a hit costs no pass over the response for the UDP checksum.
 *
 * <p>What makes a hit exactly the engine's answer: an authoritative answer depends only on the query's bytes after
 * the ID (flags, question with its case, EDNS size and DO, options), the zones, and the largest UDP payload the
 * transport allows; it never depends on who asks. (Also on the engine's options — minimal responses — but those are
 * fixed for the stage that owns both engine and cache: a settings change builds new stages with empty caches.)
 * The key is those bytes plus that limit. Which zones it depends
 * on the engine says as a catalog slot (the zone's, or the catalog's for answers that span zones) and that slot's
 * generation, kept with the response; {@link #validate} is given the catalog's current snapshot once per burst,
 * and a hit whose slot has another generation in it is a miss. A change to one zone so leaves the other zones'
 * answers cached. A burst in flight when a zone is swapped may still be answered from the zones it started with,
 * as an engine mid-burst would. Responses are cached only where the mbuf could hold the engine's largest answer, so
 * the room in the buffer never shaped one.
 *
 * <p>Layout: two-way set-associative, {@code entries} slots of {@link #SLOT_LONGS} longs in one {@code long[]}, the
 * two slots of a set side by side; a new key replaces the way of its set used less recently (a replay that cycles
 * through a few hundred names would keep evicting itself from a direct-mapped table: measured 84% hits with 4096
 * direct-mapped slots on the bench's mix). A slot: tag (transport limit, key length), the key's 64-bit hash,
 * response info (length, sum, QTYPE, RCODE), the zone word (catalog slot, generation), the key's words, the
 * response's words. Words are loads
 * of the packet in the machine's byte order (copied back as they were, never interpreted), the last one of a run
 * masked to its length. Reads and writes round up to whole words, so the caller guarantees seven bytes of room
 * past the query and the response (the mbuf's tailroom).
 *
 * <p>Owned by one lcore: no locks, no allocation after construction.
 */
final class AnswerCache {

    private static final int TAG = 0;
    private static final int HASH = 1;
    private static final int INFO = 2;
    private static final int ZONE = 3;
    private static final int KEY = 4;
    /** The zone word: catalog slot above bit 40, its generation below. */
    private static final int SLOT_SHIFT = 40;
    private static final long GENERATION_MASK = (1L << SLOT_SHIFT) - 1;
    /** Set in every tag in use; 0 marks a slot that holds nothing. */
    private static final long IN_USE = 1L << 62;
    /** Query bytes after the ID that a key can hold: a long name with EDNS and a cookie fits. */
    static final int KEY_WORDS = 24;
    static final int MAX_KEY_BYTES = KEY_WORDS * 8;
    private static final int RESPONSE = KEY + KEY_WORDS;
    /** Response bytes after the ID that a slot holds: any the engine sends over UDP (RFC 6891 §6.2.5, 1232). */
    static final int MAX_RESPONSE_BYTES = (QueryEngine.EDNS_UDP_SIZE - 2 + 7) & ~7;
    /** Longs per slot (1448 bytes), of which a query touches the cache lines it uses. */
    static final int SLOT_LONGS = RESPONSE + MAX_RESPONSE_BYTES / 8;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Returned by {@link #lookup} on a miss. */
    static final int MISS = -1;
    /** Returned by {@link #lookup} when the query's UDP checksum, finished over the key, is wrong. */
    static final int BAD_CHECKSUM = -2;
    /** {@link #lookup}'s {@code check} for a query whose UDP checksum is verified already. */
    static final long VERIFIED = -1;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final long[] slots;
    /** {@link #slots} as a segment, for bulk copies out of it. */
    private final MemorySegment slotMemory;
    /** Per set, the way (0 or 1) hit or filled last: the other one is replaced next. */
    private final byte[] recent;
    private final int setMask;
    private final long[] key = new long[KEY_WORDS];

    /** The catalog generation hits are checked against (set once per burst). */
    private CatalogSnapshot zones;

    // The query that missed, remembered for store(): its slot, tag and hash (its words are in `key`).
    private int pendingSlot = -1;
    private long pendingTag;
    private long pendingHash;
    private int pendingWords;
    private int pendingLimit;

    // What the last hit found, for the stage's counters and checksum.
    private int hitRcode;
    private int hitQtype;
    private int hitSum;

    /** @param entries slots, a power of two (at least 2: one set) */
    AnswerCache(int entries) {
        if (entries < 2 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("answer cache entries must be a power of two from 2, got " + entries);
        }
        this.slots = new long[entries * SLOT_LONGS];
        this.slotMemory = MemorySegment.ofArray(slots);
        this.recent = new byte[entries / 2];
        this.setMask = entries / 2 - 1;
    }

    /** Checks later hits against {@code current}: answers from zones changed since they were cached miss. */
    void validate(CatalogSnapshot current) {
        zones = current;
    }

    /** @return true when the slot at {@code base} holds an answer of the current generation of its zones */
    private boolean fresh(long[] s, int base) {
        final long zone = s[base + ZONE];
        final CatalogSnapshot z = zones;
        return s[base + TAG] != 0 && z != null && z.generation((int) (zone >>> SLOT_SHIFT)) == (zone & GENERATION_MASK);
    }

    /**
     * Looks the query at {@code dns} up; on a hit writes the cached response over it from byte 2 on (the query's
     * ID stays: the response's is the same).
     *
     * <p>With a {@code check}, the query's UDP checksum (RFC 768) is finished over the key's words as they are
     * hashed — the words the stage would otherwise sum in a pass of its own before the lookup — and a wrong one
     * returns {@link #BAD_CHECKSUM} before anything is written or remembered.
     *
     * @param transportLimit the largest UDP payload the path allows (part of the key)
     * @param room           bytes writable from {@code dns}
     * @param check          the Internet-checksum sum, unfolded, of what precedes the key in the query's checksum
     *                       (pseudo-header, UDP header, ID), or {@link #VERIFIED}
     * @return the response length, {@link #MISS} (then {@link #store} may follow once the engine has answered) or
     *         {@link #BAD_CHECKSUM}
     */
    int lookup(long dns, int queryLength, int transportLimit, int room, long check) {
        final int keyLength = queryLength - 2;
        final int words = (keyLength + 7) >>> 3;
        if (keyLength > MAX_KEY_BYTES || room < 2 + words * 8) {
            pendingSlot = -1;
            return check >= 0 && !InternetChecksum.verifies(check + InternetChecksum.sum(dns + 2, keyLength, 0))
                    ? BAD_CHECKSUM : MISS;
        }
        final long[] k = key;
        final long from = dns + 2;
        long h = keyLength * GOLDEN ^ transportLimit;
        // The key's sum in the machine's byte order, as InternetChecksum.sum takes it: two 32-bit halves a word. The
        // adds ride beside the multiply chain, which bounds the loop.
        long a = 0;
        long b = 0;
        final int last = words - 1;
        // A multiply per word, one dependency chain (a query is a handful of words); mixed once at the end.
        for (int w = 0; w < last; w++) {
            final long v = load(from + ((long) w << 3));
            k[w] = v;
            h = (h ^ v) * GOLDEN;
            a += v >>> 32;
            b += v & 0xFFFF_FFFFL;
        }
        // Masked: the bytes past the query are zeros, so an odd last byte is the high byte of a zero-padded word
        // (RFC 768).
        final long tail = load(from + ((long) last << 3)) & tailMask(keyLength);
        k[last] = tail;
        if (check >= 0 && !InternetChecksum.verifies(
                check + InternetChecksum.nativeSum(a + (tail >>> 32) + b + (tail & 0xFFFF_FFFFL)))) {
            pendingSlot = -1;
            return BAD_CHECKSUM;
        }
        h = (h ^ tail) * GOLDEN;
        h ^= h >>> 32;
        h *= GOLDEN;
        h ^= h >>> 29;
        final long tag = IN_USE | ((long) transportLimit << 8) | keyLength;
        final int set = (int) h & setMask;
        final long[] s = slots;
        for (int way = 0; way < 2; way++) {
            final int base = (set * 2 + way) * SLOT_LONGS;
            if (s[base + TAG] == tag && s[base + HASH] == h && sameKey(s, base + KEY, k, words) && fresh(s, base)) {
                final long info = s[base + INFO];
                final int length = (int) info & 0xFFFF;
                final int responseWords = (length - 2 + 7) >>> 3;
                if (room < 2 + responseWords * 8) {
                    break;
                }
                MemorySegment.copy(slotMemory, (long) (base + RESPONSE) << 3, PacketMemory.ALL, from,
                        (long) responseWords << 3);
                recent[set] = (byte) way;
                hitSum = (int) (info >>> 16) & 0xFFFF;
                hitQtype = (int) (info >>> 32) & 0xFFFF;
                hitRcode = (int) (info >>> 48);
                pendingSlot = -1;
                return length;
            }
        }
        // The way to fill: one holding nothing current, else the one used less recently.
        final int way = !fresh(s, set * 2 * SLOT_LONGS) ? 0
                : !fresh(s, (set * 2 + 1) * SLOT_LONGS) ? 1 : 1 - recent[set];
        pendingSlot = set * 2 + way;
        pendingTag = tag;
        pendingHash = h;
        pendingWords = words;
        pendingLimit = transportLimit;
        return MISS;
    }

    /**
     * Keeps the engine's response to the query that last missed.
     *
     * @param length the response's length at {@code dns}
     * @param engineSum {@link #payloadSum} of the response when the engine took it ({@link QueryEngine#lastSum}), else
     *               {@link QueryEngine#NO_SUM} (summed here)
     * @param room   bytes writable from {@code dns}; a response is kept only where {@code room} could hold the
     *               largest one the engine would send on this transport, so that the buffer's size did not cut it
     * @param zoneSlot   the catalog slot the answer depends on ({@link QueryEngine#lastZoneSlot()})
     * @param generation that slot's generation when answered ({@link QueryEngine#lastZoneGeneration()})
     * @return the Internet-checksum sum of the response's bytes from 2 on (ID as 0), to add to the ID's
     */
    int store(long dns, int length, int engineSum, int rcode, int qtype, int room, int zoneSlot,
              long generation) {
        final int sum = engineSum >= 0 ? engineSum : payloadSum(dns, length);
        final int slot = pendingSlot;
        pendingSlot = -1;
        if (slot < 0 || length - 2 > MAX_RESPONSE_BYTES
                || room < Math.min(pendingLimit, QueryEngine.EDNS_UDP_SIZE)) {
            return sum;
        }
        final long[] s = slots;
        final int base = slot * SLOT_LONGS;
        System.arraycopy(key, 0, s, base + KEY, pendingWords);
        final int responseWords = (length - 2 + 7) >>> 3;
        final long from = dns + 2;
        final int r = base + RESPONSE;
        final int last = responseWords - 1;
        for (int w = 0; w < last; w++) {
            s[r + w] = load(from + ((long) w << 3));
        }
        if (last >= 0) {
            s[r + last] = load(from + ((long) last << 3)) & tailMask(length - 2);
        }
        recent[slot >>> 1] = (byte) (slot & 1);
        s[base + INFO] = ((long) (rcode & 0xFFFF) << 48) | ((long) (qtype & 0xFFFF) << 32) | ((long) sum << 16)
                | length;
        s[base + ZONE] = ((long) zoneSlot << SLOT_SHIFT) | (generation & GENERATION_MASK);
        s[base + HASH] = pendingHash;
        s[base + TAG] = pendingTag;
        return sum;
    }

    /** The Internet-checksum sum (folded, not complemented) of a DNS message's bytes after its ID. */
    static int payloadSum(long dns, int length) {
        return InternetChecksum.fold(InternetChecksum.sum(dns + 2, length - 2, 0));
    }

    /** @return the RCODE of the last hit's response */
    int hitRcode() {
        return hitRcode;
    }

    /** @return the QTYPE of the last hit's query */
    int hitQtype() {
        return hitQtype;
    }

    /** @return {@link #payloadSum} of the last hit's response */
    int hitSum() {
        return hitSum;
    }

    /** The mask keeping, of a run of {@code length} bytes, those that fall in its last word (in native order). */
    private static long tailMask(int length) {
        final int bytes = length & 7;
        if (bytes == 0) {
            return -1L;
        }
        return LITTLE_ENDIAN ? (1L << 8 * bytes) - 1 : -1L << (64 - 8 * bytes);
    }

    private static long load(long address) {
        return PacketMemory.ALL.get(WORD, address);
    }


    private static boolean sameKey(long[] s, int at, long[] k, int words) {
        for (int w = 0; w < words; w++) {
            if (s[at + w] != k[w]) {
                return false;
            }
        }
        return true;
    }
}
