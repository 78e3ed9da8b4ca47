package dev.isthmus.dns.edns;

/**
 * Where the control plane publishes the server-cookie secrets and every lcore reads them (once per burst): one
 * volatile reference to an immutable {@link CookieSecrets}.
 */
public final class CookieControl {

    private volatile CookieSecrets secrets;

    public CookieControl() {
        this(CookieSecrets.OFF);
    }

    public CookieControl(CookieSecrets secrets) {
        this.secrets = secrets;
    }

    public CookieSecrets secrets() {
        return secrets;
    }

    /** Publishes new secrets (a rotation: the new one, and the old one as previous). */
    public void set(CookieSecrets secrets) {
        this.secrets = secrets;
    }
}
