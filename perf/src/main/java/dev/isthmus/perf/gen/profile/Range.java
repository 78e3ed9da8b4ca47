package dev.isthmus.perf.gen.profile;

/**
 * A field's values: {@code first} and the {@code span} values after it ({@code span} = 1 for a constant). For
 * IPv6 addresses the range covers the low 64 bits; for IPv4 addresses and UDP ports the whole field. Packet
 * {@code k} of an incrementing stream carries {@code first + k % span}; a random stream draws from the same range.
 */
public record Range(long first, long span) {

    public Range {
        if (span < 1) {
            throw new IllegalArgumentException("a range has at least one value, got span " + span);
        }
    }

    public static Range of(long value) {
        return new Range(value, 1);
    }

    public boolean isConstant() {
        return span == 1;
    }

    /** The k-th value of the incrementing walk. */
    public long at(long k) {
        return first + Long.remainderUnsigned(k, span);
    }
}
