package dev.isthmus.dns.rrl;

/**
 * Where the control plane publishes the rate-limiting policy and every lcore reads it: one volatile reference to an
 * immutable {@link RrlPolicy}, written whole (a change applies to every lcore at its next burst, never half).
 */
public final class RrlControl {

    private volatile RrlPolicy policy;

    public RrlControl() {
        this(RrlSettings.OFF);
    }

    public RrlControl(RrlSettings settings) {
        this.policy = new RrlPolicy(settings);
    }

    /** @return the policy in force (read once per burst by each lcore) */
    public RrlPolicy policy() {
        return policy;
    }

    /** @return the settings in force */
    public RrlSettings settings() {
        return policy.settings();
    }

    /** Compiles and publishes new settings; lcores apply them from their next burst. */
    public void set(RrlSettings settings) {
        policy = new RrlPolicy(settings);
    }
}
