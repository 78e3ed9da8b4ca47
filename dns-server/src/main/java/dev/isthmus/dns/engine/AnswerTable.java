package dev.isthmus.dns.engine;

import java.util.Arrays;

/**
 * An immutable open-addressing hash table from (lower-cased wire name, kind, QTYPE, DO) to a
 * {@link ResponseTemplate}. Looked up straight from a byte range, so answering allocates nothing.
 *
 * <p>Kinds: {@link #EXACT} answers a query for the name itself; {@link #BELOW} answers a name that does not
 * exist and whose closest encloser (RFC 4592 §3.3.1) is the key name. QTYPE {@link #OTHER_TYPE} is the entry for
 * every type that has no entry of its own.
 */
final class AnswerTable {
    static final int EXACT = 0;
    static final int BELOW = 1;
    static final int OTHER_TYPE = 0x10000;

    /** {@link #get} result: no entry. */
    static final int MISS = -1;
    /** {@link #get} result: the answer depends on the query name; resolve it afresh. */
    static final int QNAME_DEPENDENT = -2;

    /**
     * Ints per slot in {@link #slots}: hash, meta | name length &lt;&lt; 20, name offset, 1 + template offset in
     * {@link #arena} (0 = empty slot; {@code -1 - QNAME_DEPENDENT} for a name-dependent answer). Four slots per
     * cache line.
     */
    private static final int SLOT = 4;

    private final int mask;
    private final int[] slots;
    private final byte[] names;
    private final byte[] arena;
    private final int size;

    private AnswerTable(int capacity, byte[] names, byte[] arena, int size) {
        this.mask = capacity - 1;
        this.slots = new int[capacity * SLOT];
        this.names = names;
        this.arena = arena;
        this.size = size;
    }

    /** @return every template of this table in {@link EncodedTemplate} form; {@link #get} returns offsets into it */
    byte[] arena() {
        return arena;
    }

    static int meta(int kind, int qtype, boolean dnssecOk) {
        return (kind << 18) | (dnssecOk ? 0x20000 : 0) | qtype;
    }

    /** FNV-1a basis: the engine folds the name hash into its parse loop with {@link #NAME_HASH_PRIME}. */
    static final int NAME_HASH_BASIS = 0x811C9DC5;
    static final int NAME_HASH_PRIME = 0x01000193;

    /** FNV-1a over the lower-cased name bytes. */
    static int nameHash(byte[] key, int offset, int length) {
        int h = NAME_HASH_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ key[i]) * NAME_HASH_PRIME;
        }
        return h;
    }

    /** The slot hash: the name's hash and the meta, finished with a murmur3 mix so linear probing spreads well. */
    static int hash(int nameHash, int meta) {
        int h = nameHash ^ (meta * 0x9E3779B9);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** @return the template's offset in {@link #arena()}, {@link #MISS} or {@link #QNAME_DEPENDENT} */
    int get(byte[] key, int offset, int length, int meta) {
        return get(key, offset, length, nameHash(key, offset, length), meta);
    }

    /** As {@link #get(byte[], int, int, int)} with the {@link #nameHash} the caller computed while parsing. */
    int get(byte[] key, int offset, int length, int nameHash, int meta) {
        final int h = hash(nameHash, meta);
        final int metaAndLength = meta | (length << 20);
        final int[] s = slots;
        int at = (h & mask) * SLOT;
        while (true) {
            int value = s[at + 3];
            if (value == 0) {
                return MISS;
            }
            if (s[at] == h && s[at + 1] == metaAndLength
                && Arrays.equals(names, s[at + 2], s[at + 2] + length, key, offset, offset + length)) {
                return value - 1;
            }
            at = (at + SLOT) & (mask * SLOT + SLOT - 1);
        }
    }

    int size() {
        return size;
    }

    /** Collects entries, then freezes them into a table at most half full. */
    static final class Builder {
        private final java.util.LinkedHashMap<Key, ResponseTemplate> entries = new java.util.LinkedHashMap<>();

        private record Key(byte[] name, int meta) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && k.meta == meta && Arrays.equals(k.name, name);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(name) * 31 + meta;
            }
        }

        /** Identical templates are stored once: fewer objects, more of them in cache while answering. */
        private final java.util.HashMap<Integer, java.util.List<ResponseTemplate>> interned = new java.util.HashMap<>();

        /** @param canonicalName the lower-cased uncompressed wire name */
        void put(byte[] canonicalName, int meta, ResponseTemplate value) {
            entries.put(new Key(canonicalName, meta), intern(value));
        }

        private ResponseTemplate intern(ResponseTemplate t) {
            if (t == ResponseTemplate.QNAME_DEPENDENT) {
                return t;
            }
            var bucket = interned.computeIfAbsent(t.contentHash(), h -> new java.util.ArrayList<>());
            for (ResponseTemplate known : bucket) {
                if (known.sameAs(t)) {
                    return known;
                }
            }
            bucket.add(t);
            return t;
        }

        AnswerTable build() {
            int capacity = Integer.highestOneBit(Math.max(16, entries.size() * 2 - 1)) << 1;
            // Each distinct name once; every key of that name points at it.
            java.util.Map<Key, Integer> nameOffsets = new java.util.HashMap<>();
            java.io.ByteArrayOutputStream nameBytes = new java.io.ByteArrayOutputStream();
            for (Key k : entries.keySet()) {
                nameOffsets.computeIfAbsent(new Key(k.name, 0), n -> {
                    int at = nameBytes.size();
                    nameBytes.writeBytes(k.name);
                    return at;
                });
            }
            byte[] names = nameBytes.toByteArray();
            // Each distinct template once, encoded, side by side.
            java.util.IdentityHashMap<ResponseTemplate, Integer> templateOffsets = new java.util.IdentityHashMap<>();
            java.io.ByteArrayOutputStream arena = new java.io.ByteArrayOutputStream();
            for (ResponseTemplate v : entries.values()) {
                if (v != ResponseTemplate.QNAME_DEPENDENT && !templateOffsets.containsKey(v)) {
                    templateOffsets.put(v, arena.size());
                    arena.writeBytes(v.encode());
                }
            }
            AnswerTable t = new AnswerTable(capacity, names, arena.toByteArray(), entries.size());
            for (var e : entries.entrySet()) {
                Key k = e.getKey();
                int o = nameOffsets.get(new Key(k.name, 0));
                int h = hash(nameHash(k.name, 0, k.name.length), k.meta);
                int i = h & t.mask;
                while (t.slots[i * SLOT + 3] != 0) {
                    i = (i + 1) & t.mask;
                }
                ResponseTemplate v = e.getValue();
                t.slots[i * SLOT] = h;
                t.slots[i * SLOT + 1] = k.meta | (k.name.length << 20);
                t.slots[i * SLOT + 2] = o;
                int at = v == ResponseTemplate.QNAME_DEPENDENT ? QNAME_DEPENDENT : templateOffsets.get(v);
                t.slots[i * SLOT + 3] = 1 + at;
            }
            return t;
        }
    }
}
