package dev.isthmus.control.journal;

import io.micronaut.http.HttpRequest;

/** Names who made a change, for the journal. The API has no login, so a client is its address. */
public final class Actor {

    /** The appliance itself: start, stop, restore, errors. */
    public static final String APPLIANCE = "appliance";

    /** Optional request header naming the operator or tool behind a change, recorded beside the address. */
    public static final String OPERATOR_HEADER = "X-Isthmus-Operator";

    private Actor() {
    }

    /** @return {@code rest 127.0.0.1}, or {@code rest 127.0.0.1 (alice)} when the client named itself */
    public static String of(HttpRequest<?> request) {
        String who = "rest " + request.getRemoteAddress().getAddress().getHostAddress();
        String operator = request.getHeaders().get(OPERATOR_HEADER);
        return operator == null || operator.isBlank() ? who : who + " (" + operator.strip() + ")";
    }
}
