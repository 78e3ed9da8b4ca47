package dev.isthmus.control.dns;

import dev.isthmus.dns.xfr.ZoneTransfers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * The primary side's counters in the Prometheus scrape, read at scrape time from the same source as
 * {@code GET /dns/transfers}: {@code isthmus_dns_transfers_total{outcome=...}} (axfr, ixfr, ixfr_as_axfr,
 * ixfr_up_to_date, refused, notauth, formerr), {@code isthmus_dns_transfer_messages_total} and
 * {@code isthmus_dns_notify_total{outcome=sent|answered|failed}}.
 */
@Singleton
public class TransferMetrics implements MeterBinder {

    private final ZoneTransfers transfers;

    public TransferMetrics(ZoneTransfers transfers) {
        this.transfers = transfers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String outcome : transfers.counters().snapshot().keySet()) {
            if (outcome.startsWith("notify_")) {
                counter(registry, "isthmus.dns.notify", outcome, outcome.substring("notify_".length()),
                        "NOTIFY messages to secondaries (RFC 1996) by outcome");
            } else if (outcome.equals("messages")) {
                FunctionCounter.builder("isthmus.dns.transfer.messages", transfers,
                                t -> t.counters().snapshot().get("messages"))
                        .description("messages sent in zone transfers").register(registry);
            } else {
                counter(registry, "isthmus.dns.transfers", outcome, outcome,
                        "zone transfer requests (AXFR, IXFR) by outcome");
            }
        }
    }

    private void counter(MeterRegistry registry, String name, String key, String tag, String description) {
        FunctionCounter.builder(name, transfers, t -> t.counters().snapshot().get(key))
                .tag("outcome", tag).description(description).register(registry);
    }
}
