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

    private final int mask;
    private final int[] hashes;
    private final int[] metas;
    private final int[] nameOffsets;
    private final int[] nameLengths;
    private final byte[] names;
    private final ResponseTemplate[] values;
    private final int size;

    private AnswerTable(int capacity, byte[] names, int size) {
        this.mask = capacity - 1;
        this.hashes = new int[capacity];
        this.metas = new int[capacity];
        this.nameOffsets = new int[capacity];
        this.nameLengths = new int[capacity];
        this.values = new ResponseTemplate[capacity];
        this.names = names;
        this.size = size;
    }

    static int meta(int kind, int qtype, boolean dnssecOk) {
        return (kind << 18) | (dnssecOk ? 0x20000 : 0) | qtype;
    }

    /** FNV-1a over the name, finished with a murmur3 mix so linear probing spreads well. */
    static int hash(byte[] key, int offset, int length, int meta) {
        int h = 0x811C9DC5 ^ meta;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ key[i]) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** @return the template for the key, or null */
    ResponseTemplate get(byte[] key, int offset, int length, int meta) {
        final int h = hash(key, offset, length, meta);
        int i = h & mask;
        while (true) {
            ResponseTemplate v = values[i];
            if (v == null) {
                return null;
            }
            if (hashes[i] == h && metas[i] == meta && nameLengths[i] == length
                && Arrays.equals(names, nameOffsets[i], nameOffsets[i] + length, key, offset, offset + length)) {
                return v;
            }
            i = (i + 1) & mask;
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

        /** @param canonicalName the lower-cased uncompressed wire name */
        void put(byte[] canonicalName, int meta, ResponseTemplate value) {
            entries.put(new Key(canonicalName, meta), value);
        }

        /** @return an entry already put, to share one template between the DO and non-DO keys */
        ResponseTemplate lookupForReuse(byte[] canonicalName, int meta) {
            ResponseTemplate t = entries.get(new Key(canonicalName, meta));
            if (t == null) {
                throw new IllegalStateException("the non-DO entry is put first");
            }
            return t;
        }

        AnswerTable build() {
            int capacity = Integer.highestOneBit(Math.max(16, entries.size() * 2 - 1)) << 1;
            int nameBytes = 0;
            for (Key k : entries.keySet()) {
                nameBytes += k.name.length;
            }
            byte[] names = new byte[nameBytes];
            AnswerTable t = new AnswerTable(capacity, names, entries.size());
            int o = 0;
            for (var e : entries.entrySet()) {
                Key k = e.getKey();
                System.arraycopy(k.name, 0, names, o, k.name.length);
                int h = hash(k.name, 0, k.name.length, k.meta);
                int i = h & t.mask;
                while (t.values[i] != null) {
                    i = (i + 1) & t.mask;
                }
                t.hashes[i] = h;
                t.metas[i] = k.meta;
                t.nameOffsets[i] = o;
                t.nameLengths[i] = k.name.length;
                t.values[i] = e.getValue();
                o += k.name.length;
            }
            return t;
        }
    }
}
