package dev.isthmus.dns.engine;

/**
 * Uncompressed wire names (RFC 1035 §3.1) in byte arrays, compared and cut without objects: the engine's names
 * are offsets into its scratch pool. Comparisons ignore ASCII case (RFC 4343 §3).
 */
final class Names {
    private Names() {
    }

    /** @return the wire length of the name at {@code offset}, root label included */
    static int length(byte[] name, int offset) {
        int p = offset;
        while (name[p] != 0) {
            p += 1 + (name[p] & 0xFF);
        }
        return p + 1 - offset;
    }

    static int labelCount(byte[] name, int offset) {
        int count = 0;
        int p = offset;
        while (name[p] != 0) {
            count++;
            p += 1 + (name[p] & 0xFF);
        }
        return count;
    }

    /** @return the offset of the suffix of {@code labels} labels of the name at {@code offset} that has {@code count} */
    static int suffix(byte[] name, int offset, int count, int labels) {
        int p = offset;
        for (int i = labels; i < count; i++) {
            p += 1 + (name[p] & 0xFF);
        }
        return p;
    }

    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@code length} octets of two wire names are the same ignoring ASCII case (RFC 4343 §3), eight at a time;
     * for two names of that wire length, whether they are the same name (length octets are below 64: never folded).
     */
    static boolean sameIgnoringCase(byte[] a, int ao, byte[] b, int bo, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long x = StoredZone.lowerWord((long) WORDS.get(a, ao + i));
            if (x != StoredZone.lowerWord((long) WORDS.get(b, bo + i))) {
                return false;
            }
        }
        int rest = length - i;
        if (rest == 0) {
            return true;
        }
        if (ao + i + 8 <= a.length && bo + i + 8 <= b.length) {
            // The last octets as one word each, what lies past them masked off (little-endian: the first octets
            // are the low ones).
            long mask = (1L << (rest << 3)) - 1;
            long x = StoredZone.lowerWord((long) WORDS.get(a, ao + i));
            return ((x ^ StoredZone.lowerWord((long) WORDS.get(b, bo + i))) & mask) == 0;
        }
        final byte[] lower = StoredZone.LOWER;
        for (; i < length; i++) {
            if (lower[a[ao + i] & 0xFF] != lower[b[bo + i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] a, int ao, byte[] b, int bo) {
        final byte[] lower = StoredZone.LOWER;
        int p = ao;
        int q = bo;
        while (true) {
            int len = a[p] & 0xFF;
            if (len != (b[q] & 0xFF)) {
                return false;
            }
            if (len == 0) {
                return true;
            }
            for (int i = 1; i <= len; i++) {
                if (lower[a[p + i] & 0xFF] != lower[b[q + i] & 0xFF]) {
                    return false;
                }
            }
            p += 1 + len;
            q += 1 + len;
        }
    }

    /** @return true when the name at {@code offset} equals {@code origin} or lies below it */
    static boolean isSubdomain(byte[] name, int offset, byte[] origin) {
        // The suffix as long as the origin must start at a label and equal it: one walk, one compare of words.
        final int tail = length(name, offset) - origin.length;
        if (tail < 0) {
            return false;
        }
        int p = offset;
        while (p - offset < tail) {
            p += 1 + (name[p] & 0xFF);
        }
        return p - offset == tail && sameIgnoringCase(name, p, origin, 0, origin.length);
    }

    /** Label start offsets of the name at {@code offset} into {@code starts}; @return the label count. */
    static int labelStarts(byte[] name, int offset, int[] starts) {
        int n = 0;
        int p = offset;
        while (name[p] != 0) {
            starts[n++] = p;
            p += 1 + (name[p] & 0xFF);
        }
        return n;
    }

    /**
     * RFC 4034 §6.1 canonical order of two names given by their label starts: labels compared from the root, each as
     * a lower-cased octet string; a name sorts before the names below it.
     */
    static int compareCanonical(byte[] a, int[] aStarts, int aCount, byte[] b, int[] bStarts, int bCount) {
        final byte[] lower = StoredZone.LOWER;
        int ia = aCount - 1;
        int ib = bCount - 1;
        while (ia >= 0 && ib >= 0) {
            int pa = aStarts[ia];
            int pb = bStarts[ib];
            int la = a[pa] & 0xFF;
            int lb = b[pb] & 0xFF;
            int n = Math.min(la, lb);
            for (int i = 1; i <= n; i++) {
                int ca = lower[a[pa + i] & 0xFF] & 0xFF;
                int cb = lower[b[pb + i] & 0xFF] & 0xFF;
                if (ca != cb) {
                    return ca - cb;
                }
            }
            if (la != lb) {
                return la - lb;
            }
            ia--;
            ib--;
        }
        return Integer.compare(aCount, bCount);
    }
}
