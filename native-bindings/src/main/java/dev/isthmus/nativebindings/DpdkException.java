package dev.isthmus.nativebindings;

import dev.isthmus.nativebindings.generated.Dpdk;

/**
 * A DPDK call failed. Names the call (with its arguments where they identify the object, e.g. the port) and
 * carries the error number and DPDK's own text for it ({@code rte_strerror}).
 *
 * <p>Only control-path calls throw this; the data path reports by return values and counters.
 */
public final class DpdkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errorNumber;

    DpdkException(String call, int errorNumber) {
        super(call + " failed: " + describe(errorNumber) + " (errno " + errorNumber + ")");
        this.call = call;
        this.errorNumber = errorNumber;
    }

    /** The failing call, e.g. {@code "rte_eth_dev_configure(port 0, 1 rx, 1 tx)"}. */
    public String call() {
        return call;
    }

    /** The positive errno value DPDK reported (from {@code rte_errno} or a negative return value). */
    public int errorNumber() {
        return errorNumber;
    }

    /** For calls that return a negative errno value: throws when {@code rc < 0}, else returns {@code rc}. */
    static int check(String call, int rc) {
        if (rc < 0) {
            throw new DpdkException(call, -rc);
        }
        return rc;
    }

    /** For calls that signal failure by NULL or -1 and leave the reason in {@code rte_errno}. */
    static DpdkException fromRteErrno(String call) {
        return new DpdkException(call, Shim.errno());
    }

    private static String describe(int errorNumber) {
        String text = NativeMemory.cString(Dpdk.rte_strerror(errorNumber));
        return text == null ? "unknown error" : text;
    }
}
