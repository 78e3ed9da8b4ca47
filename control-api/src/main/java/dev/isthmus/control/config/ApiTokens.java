package dev.isthmus.control.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the API accepts, each with its scope and the name the journal records for it. Only SHA-256
 * digests of the tokens are kept, and a presented token is compared with every one of them in constant time
 * ({@link MessageDigest#isEqual}) without stopping at a match, so neither the time taken nor a heap dump tells an
 * attacker how much of a guess was right.
 */
public final class ApiTokens {

    /** No tokens: the API is open to whoever reaches it (only allowed on loopback or behind mTLS). */
    public static final ApiTokens NONE = new ApiTokens(List.of());

    /**
     * One accepted token.
     *
     * @param name who holds it, recorded as the actor of the changes made with it
     * @param scope what it allows
     */
    public record Holder(String name, Scope scope) {
    }

    private record Entry(byte[] digest, Holder holder) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Builds the store from tokens in clear; only their digests are kept. */
    static ApiTokens of(List<String> tokens, List<Holder> holders) {
        if (tokens.size() != holders.size()) {
            throw new IllegalArgumentException("one holder per token");
        }
        return new ApiTokens(java.util.stream.IntStream.range(0, tokens.size())
                .mapToObj(i -> new Entry(digest(tokens.get(i)), holders.get(i))).toList());
    }

    /** @return whether any token is configured, i.e. whether requests must present one */
    public boolean required() {
        return !entries.isEmpty();
    }

    /** @return the holders, in the file's order (names and scopes only) */
    public List<Holder> holders() {
        return entries.stream().map(Entry::holder).toList();
    }

    /** @return the holder of {@code token}, if it is one of the configured tokens */
    public Optional<Holder> verify(String token) {
        byte[] presented = digest(token);
        Holder found = null;
        for (Entry entry : entries) {
            // Every entry is compared, match or not: the loop's duration does not depend on which one matched.
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.holder();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiTokens other && holders().equals(other.holders()) && entries.size() == other.entries.size()
                && java.util.stream.IntStream.range(0, entries.size())
                        .allMatch(i -> MessageDigest.isEqual(entries.get(i).digest(), other.entries.get(i).digest()));
    }

    @Override
    public int hashCode() {
        return holders().hashCode();
    }

    @Override
    public String toString() {
        return "ApiTokens" + holders();
    }
}
