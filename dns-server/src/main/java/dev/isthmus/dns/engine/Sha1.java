package dev.isthmus.dns.engine;

/**
 * SHA-1 (FIPS 180-4 §6.1) over byte ranges into a caller's array, with every working variable in this object: the
 * NSEC3 owner hash of RFC 5155 §5 computed per query without allocating, which {@code MessageDigest} does not
 * promise. One instance per thread. SHA-1 is the only NSEC3 hash algorithm (RFC 5155 §11).
 */
final class Sha1 {
    static final int LENGTH = 20;

    private final int[] w = new int[80];
    private final byte[] block = new byte[64];
    private final int[] h = new int[5];
    private int blockFill;
    private long total;

    void reset() {
        h[0] = 0x67452301;
        h[1] = 0xEFCDAB89;
        h[2] = 0x98BADCFE;
        h[3] = 0x10325476;
        h[4] = 0xC3D2E1F0;
        blockFill = 0;
        total = 0;
    }

    void update(byte[] in, int offset, int length) {
        total += length;
        for (int i = offset, end = offset + length; i < end; i++) {
            block[blockFill++] = in[i];
            if (blockFill == 64) {
                compress();
                blockFill = 0;
            }
        }
    }

    /** Pads (§5.1.1), finishes and writes the 20-octet digest at {@code out[offset]}. */
    void digest(byte[] out, int offset) {
        long bits = total << 3;
        block[blockFill++] = (byte) 0x80;
        if (blockFill > 56) {
            while (blockFill < 64) {
                block[blockFill++] = 0;
            }
            compress();
            blockFill = 0;
        }
        while (blockFill < 56) {
            block[blockFill++] = 0;
        }
        for (int i = 0; i < 8; i++) {
            block[56 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress();
        for (int i = 0; i < 5; i++) {
            out[offset + 4 * i] = (byte) (h[i] >>> 24);
            out[offset + 4 * i + 1] = (byte) (h[i] >>> 16);
            out[offset + 4 * i + 2] = (byte) (h[i] >>> 8);
            out[offset + 4 * i + 3] = (byte) h[i];
        }
        reset();
    }

    private void compress() {
        final int[] w = this.w;
        final byte[] b = block;
        for (int t = 0; t < 16; t++) {
            w[t] = (b[4 * t] << 24) | ((b[4 * t + 1] & 0xFF) << 16) | ((b[4 * t + 2] & 0xFF) << 8) | (b[4 * t + 3] & 0xFF);
        }
        for (int t = 16; t < 80; t++) {
            w[t] = Integer.rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }
        int a = h[0];
        int bb = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        for (int t = 0; t < 80; t++) {
            int f;
            int k;
            if (t < 20) {
                f = (bb & c) | (~bb & d);
                k = 0x5A827999;
            } else if (t < 40) {
                f = bb ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (t < 60) {
                f = (bb & c) | (bb & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = bb ^ c ^ d;
                k = 0xCA62C1D6;
            }
            int temp = Integer.rotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = Integer.rotateLeft(bb, 30);
            bb = a;
            a = temp;
        }
        h[0] += a;
        h[1] += bb;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }

    Sha1() {
        reset();
    }
}
