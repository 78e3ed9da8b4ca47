package dev.isthmus.dns.tsig;

import dev.isthmus.dns.wire.DnsName;

import java.util.Arrays;
import java.util.Base64;

/**
 * One configured TSIG key: its name (the owner name of the TSIG record, RFC 8945 §4.2), its algorithm and its shared
 * secret. {@link #toString()} never prints the secret.
 */
public final class TsigKey {
    private final DnsName name;
    private final TsigAlgorithm algorithm;
    private final byte[] secret;

    public TsigKey(DnsName name, TsigAlgorithm algorithm, byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("an empty TSIG secret");
        }
        this.name = name;
        this.algorithm = algorithm;
        this.secret = secret.clone();
    }

    /**
     * Builds a key from its configuration form: {@code {name: xfr, algorithm: hmac-sha256, secret: "base64"}}.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static TsigKey parse(String name, String algorithm, String secretBase64) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a TSIG key needs a name");
        }
        DnsName keyName;
        try {
            keyName = DnsName.parse(name.endsWith(".") ? name : name + ".", null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("name: " + e.getMessage());
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm: missing (hmac-sha256, hmac-sha512 or hmac-sha1)");
        }
        TsigAlgorithm alg = TsigAlgorithm.byConfigName(algorithm);
        if (alg == null) {
            throw new IllegalArgumentException("algorithm: '" + algorithm
                    + "' is not one of hmac-sha256, hmac-sha512, hmac-sha1");
        }
        if (secretBase64 == null || secretBase64.isBlank()) {
            throw new IllegalArgumentException("secret: missing (base64)");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(secretBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret: not base64 (" + e.getMessage() + ")");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret: empty");
        }
        return new TsigKey(keyName, alg, secret);
    }

    public DnsName name() {
        return name;
    }

    public TsigAlgorithm algorithm() {
        return algorithm;
    }

    byte[] secret() {
        return secret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsigKey k && k.name.equals(name) && k.algorithm == algorithm
                && Arrays.equals(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + algorithm.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + algorithm.configName() + ")";
    }
}
