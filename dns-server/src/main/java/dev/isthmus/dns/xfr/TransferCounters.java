package dev.isthmus.dns.xfr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the primary side has done: transfers served by kind, refused by reason, NOTIFY sent and answered. */
public final class TransferCounters {
    final LongAdder axfr = new LongAdder();
    final LongAdder ixfr = new LongAdder();
    final LongAdder ixfrAsAxfr = new LongAdder();
    final LongAdder ixfrUpToDate = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder notAuth = new LongAdder();
    final LongAdder formErr = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder notifySent = new LongAdder();
    final LongAdder notifyAnswered = new LongAdder();
    final LongAdder notifyFailed = new LongAdder();

    /** @return every counter by name, in a stable order (for {@code /stats} and tests) */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("axfr", axfr.sum());
        m.put("ixfr", ixfr.sum());
        m.put("ixfr_as_axfr", ixfrAsAxfr.sum());
        m.put("ixfr_up_to_date", ixfrUpToDate.sum());
        m.put("refused", refused.sum());
        m.put("notauth", notAuth.sum());
        m.put("formerr", formErr.sum());
        m.put("messages", messages.sum());
        m.put("notify_sent", notifySent.sum());
        m.put("notify_answered", notifyAnswered.sum());
        m.put("notify_failed", notifyFailed.sum());
        return m;
    }
}
