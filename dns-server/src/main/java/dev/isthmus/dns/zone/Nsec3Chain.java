package dev.isthmus.dns.zone;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NSEC3 records of a pre-signed zone by hashed owner (RFC 5155), so denial-of-existence proofs can be found:
 * the NSEC3 that matches a name and the one that covers it. Hashing follows RFC 5155 §5 with the parameters of
 * the apex NSEC3PARAM (SHA-1, the only algorithm defined, RFC 5155 §11).
 */
public final class Nsec3Chain {
    private final int iterations;
    private final byte[] salt;
    private final TreeMap<byte[], Node> byHash = new TreeMap<>(Arrays::compareUnsigned);

    private Nsec3Chain(int iterations, byte[] salt) {
        this.iterations = iterations;
        this.salt = salt;
    }

    /** @return the chain of a zone whose apex has NSEC3PARAM, or null when the zone has none (or an unknown hash) */
    static Nsec3Chain of(DnsName origin, Node apex, Map<DnsName, Node> nsec3Nodes) {
        RRset param = apex == null ? null : apex.rrset(RecordType.NSEC3PARAM);
        if (param == null) {
            return null;
        }
        byte[] p = param.records().get(0).rdata();
        if ((p[0] & 0xFF) != 1) {
            return null; // RFC 5155 §11: 1 = SHA-1 is the only hash algorithm
        }
        int iterations = ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
        byte[] salt = Arrays.copyOfRange(p, 5, 5 + (p[4] & 0xFF));
        Nsec3Chain chain = new Nsec3Chain(iterations, salt);
        for (Node n : nsec3Nodes.values()) {
            byte[] hash = base32HexDecode(n.name().firstLabel());
            if (hash != null && n.name().parent().equals(origin)) {
                chain.byHash.put(hash, n);
            }
        }
        return chain;
    }

    /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
    public byte[] hash(DnsName name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(name.canonical());
            sha1.update(salt);
            byte[] h = sha1.digest();
            for (int i = 0; i < iterations; i++) {
                sha1.update(h);
                sha1.update(salt);
                h = sha1.digest();
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** @return the iterations of the apex NSEC3PARAM (RFC 5155 §4.1.3) */
    public int iterations() {
        return iterations;
    }

    /** @return a copy of the salt of the apex NSEC3PARAM (RFC 5155 §4.1.5) */
    public byte[] salt() {
        return salt.clone();
    }

    /** @return the chain's owners by hashed owner name, in ascending hash order (the keys are copies) */
    public java.util.List<Map.Entry<byte[], Node>> entries() {
        java.util.List<Map.Entry<byte[], Node>> out = new java.util.ArrayList<>(byHash.size());
        byHash.forEach((k, v) -> out.add(Map.entry(k.clone(), v)));
        return out;
    }

    /** @return the node whose NSEC3 matches {@code name} (RFC 5155 §7.2.1), or null */
    public Node matching(DnsName name) {
        return byHash.get(hash(name));
    }

    /** @return the node whose NSEC3 covers {@code name}: the greatest hash below it, wrapping around (§7.2.1) */
    public Node covering(DnsName name) {
        if (byHash.isEmpty()) {
            return null;
        }
        Map.Entry<byte[], Node> e = byHash.lowerEntry(hash(name));
        return e != null ? e.getValue() : byHash.lastEntry().getValue();
    }

    /** RFC 4648 §7 base32hex, case-insensitive, no padding; null when {@code label} is not that. */
    public static byte[] base32HexDecode(byte[] label) {
        byte[] out = new byte[label.length * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (byte b : label) {
            int c = Character.toLowerCase((char) (b & 0xFF));
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'v' ? c - 'a' + 10 : -1;
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return o == out.length ? out : null;
    }
}
