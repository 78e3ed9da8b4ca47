package dev.isthmus.dataplane.counters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every {@link DropReason} enum constant a small integer code, the index of its counter. Codes are assigned a
 * whole enum at a time, on first use, and never change; {@link DataplaneDrop} is registered first so its codes are
 * its ordinals. There are at most {@link #CAPACITY} codes, so counter arrays are sized once and never grow.
 *
 * <p>{@link #code(Enum)} costs a {@link ClassValue} lookup and an array load, cheap enough for a drop in the data path;
 * stages that drop often keep the code in a {@code static final int}.
 */
public final class DropReasons {

    /** What a {@code validate()} returns for a packet that passed: not a code. */
    public static final int VALID = -1;

    /** The most drop reasons all enums together may declare. */
    public static final int CAPACITY = 256;

    private static final List<DropReason> BY_CODE = new ArrayList<>();
    // ClassValue may compute twice under a race; this makes the second computation return the first's codes.
    private static final Map<Class<?>, int[]> REGISTERED = new HashMap<>();
    private static volatile DropReason[] byCode = new DropReason[0];

    private static final ClassValue<int[]> CODES = new ClassValue<>() {
        @Override
        protected int[] computeValue(Class<?> type) {
            return register(type);
        }
    };

    static {
        code(DataplaneDrop.ETHERNET_TRUNCATED);
    }

    private DropReasons() {
    }

    /** The code of a reason; registers its enum on first use. */
    public static <E extends Enum<E> & DropReason> int code(E reason) {
        return CODES.get(reason.getDeclaringClass())[reason.ordinal()];
    }

    /** The reason with a code, or {@code null} for a code not (yet) assigned. */
    public static DropReason reason(int code) {
        DropReason[] table = byCode;
        return code >= 0 && code < table.length ? table[code] : null;
    }

    /** How many codes are assigned; codes are {@code 0 .. count()-1}. */
    public static int count() {
        return byCode.length;
    }

    private static synchronized int[] register(Class<?> type) {
        int[] known = REGISTERED.get(type);
        if (known != null) {
            return known;
        }
        Object[] constants = type.getEnumConstants();
        if (constants == null || !DropReason.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type + " is not an enum implementing DropReason");
        }
        if (BY_CODE.size() + constants.length > CAPACITY) {
            throw new IllegalStateException("more than " + CAPACITY + " drop reasons; cannot register " + type.getName());
        }
        int[] codes = new int[constants.length];
        for (int i = 0; i < constants.length; i++) {
            codes[i] = BY_CODE.size();
            BY_CODE.add((DropReason) constants[i]);
        }
        byCode = BY_CODE.toArray(DropReason[]::new);
        REGISTERED.put(type, codes);
        return codes;
    }
}
