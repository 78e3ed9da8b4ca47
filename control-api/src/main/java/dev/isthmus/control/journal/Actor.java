package dev.isthmus.control.journal;

import dev.isthmus.control.security.AccessFilter;
import io.micronaut.http.HttpRequest;

/**
 * Names who made a change, for the journal: the client's address, the credential it presented (a token's name or
 * a client certificate's subject, as {@link AccessFilter} verified it) and the operator it names itself.
 */
public final class Actor {

    /** The appliance itself: start, stop, restore, errors. */
    public static final String APPLIANCE = "appliance";

    /** Optional request header naming the operator or tool behind a change, recorded beside the address. */
    public static final String OPERATOR_HEADER = "X-Isthmus-Operator";

    private Actor() {
    }

    /**
     * @return {@code rest 127.0.0.1}, {@code rest 127.0.0.1 (alice)} when the client named itself, and
     *         {@code rest 198.18.0.7 token deploy-bot} (or {@code ... cert CN=ops}) when it presented a credential
     */
    public static String of(HttpRequest<?> request) {
        String who = "rest " + request.getRemoteAddress().getAddress().getHostAddress();
        who += request.getAttribute(AccessFilter.PRINCIPAL, String.class).map(p -> " " + p).orElse("");
        String operator = request.getHeaders().get(OPERATOR_HEADER);
        return operator == null || operator.isBlank() ? who : who + " (" + operator.strip() + ")";
    }
}
