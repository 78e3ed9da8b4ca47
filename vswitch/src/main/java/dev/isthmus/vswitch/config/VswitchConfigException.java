package dev.isthmus.vswitch.config;

/**
 * A configuration change the vswitch refuses, with the reason; nothing was changed. The {@link Kind} tells the
 * REST layer which 4xx to answer.
 */
public final class VswitchConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a change was refused. */
    public enum Kind {
        /** A value breaks a rule (answer 400). */
        INVALID,
        /** The change names a bridge domain, port, VTEP or entry that does not exist (answer 404). */
        NOT_FOUND,
        /** The change collides with existing configuration (answer 409). */
        CONFLICT
    }

    private final Kind kind;

    /**
     * @param kind why the change was refused
     * @param message the reason, naming the field or object
     */
    public VswitchConfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** @return why the change was refused */
    public Kind kind() {
        return kind;
    }

    static VswitchConfigException invalid(String message) {
        return new VswitchConfigException(Kind.INVALID, message);
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }
}
