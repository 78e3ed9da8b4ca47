package dev.isthmus.dns.pipeline;

/**
 * Where the logger thread puts query-log and per-second lines. Called on the logger thread only, never on an
 * lcore, so it may block (a file, a socket, a logging framework).
 */
@FunctionalInterface
public interface QueryLogSink {

    void accept(String line);

    /** Lines to the {@code System.Logger} named {@code dev.isthmus.dns.querylog} at INFO. */
    static QueryLogSink systemLogger() {
        System.Logger logger = System.getLogger("dev.isthmus.dns.querylog");
        return line -> logger.log(System.Logger.Level.INFO, line);
    }

    /** Lines thrown away (the counters are still kept). */
    static QueryLogSink discard() {
        return line -> {
        };
    }
}
