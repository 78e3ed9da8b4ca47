package dev.isthmus.control.config;

import io.micronaut.http.HttpMethod;
import java.util.Locale;
import java.util.Optional;

/** What a token lets its holder do. {@code write} includes {@code read}: a tool that changes must see what it changes. */
public enum Scope {
    READ, WRITE;

    /**
     * The scope a request needs, from its method alone: a safe method (RFC 9110 §9.2.1) reads, any other changes.
     * Deciding by method rather than by a list of routes means an endpoint added later cannot be left open.
     */
    public static Scope neededFor(HttpMethod method) {
        return switch (method) {
            case GET, HEAD, OPTIONS -> READ;
            default -> WRITE;
        };
    }

    /** @return whether a token of this scope may do what {@code needed} asks */
    public boolean allows(Scope needed) {
        return this == WRITE || needed == READ;
    }

    /** @return the scope named {@code read} or {@code write}, case-insensitive */
    public static Optional<Scope> parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "read" -> Optional.of(READ);
            case "write" -> Optional.of(WRITE);
            default -> Optional.empty();
        };
    }

    /** @return {@code read} or {@code write}, as in the tokens file and in {@code WWW-Authenticate} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
