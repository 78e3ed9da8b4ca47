package dev.isthmus.dns.tsig;

import dev.isthmus.dns.wire.DnsName;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC algorithms Isthmus implements, by their RFC 8945 §6 names. HMAC-SHA256 is the one RFC 8945 §6 says MUST be
 * implemented; HMAC-SHA1 remains for old peers (its use is "NOT RECOMMENDED" but "MUST be implemented"), HMAC-SHA512
 * for operators who want it. HMAC-MD5 is deliberately absent.
 */
public enum TsigAlgorithm {
    HMAC_SHA1("hmac-sha1", "HmacSHA1", 20),
    HMAC_SHA256("hmac-sha256", "HmacSHA256", 32),
    HMAC_SHA512("hmac-sha512", "HmacSHA512", 64);

    private final String configName;
    private final String jcaName;
    private final int outputLength;
    private final DnsName wireName;

    TsigAlgorithm(String configName, String jcaName, int outputLength) {
        this.configName = configName;
        this.jcaName = jcaName;
        this.outputLength = outputLength;
        this.wireName = DnsName.of(configName + ".");
    }

    /** @return the name used in configuration and in {@code kdig -y}, e.g. {@code hmac-sha256} */
    public String configName() {
        return configName;
    }

    /** @return the algorithm's domain name as it appears in the TSIG record's Algorithm Name field */
    public DnsName wireName() {
        return wireName;
    }

    /** @return the length in octets of the untruncated MAC */
    public int outputLength() {
        return outputLength;
    }

    /**
     * RFC 8945 §5.2.2.1: a MAC shorter than half the hash output or than 10 octets is not acceptable, whatever the
     * local policy.
     */
    public int minimumMacLength() {
        return Math.max(10, outputLength / 2);
    }

    /** @return the algorithm named {@code name} in configuration (case-insensitive, trailing dot allowed), or null */
    public static TsigAlgorithm byConfigName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        for (TsigAlgorithm a : values()) {
            if (a.configName.equals(n)) {
                return a;
            }
        }
        return null;
    }

    /** @return the algorithm whose wire name is {@code name}, or null (then the key is unknown: BADKEY) */
    public static TsigAlgorithm byWireName(DnsName name) {
        for (TsigAlgorithm a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** A fresh MAC keyed with {@code secret}; callers keep it for one message or one transfer stream. */
    Mac newMac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            // RFC 2104 §2 keys shorter than the block size are padded and longer ones hashed, both inside the JCA
            // provider; an empty secret is refused at configuration time (TsigKey).
            mac.init(new SecretKeySpec(secret, jcaName));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }
}
