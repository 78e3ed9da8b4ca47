package dev.isthmus.control.status;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Reads the appliance's counters once ({@link ApplianceSeries#refresh}) before each Prometheus scrape. */
@ServerFilter("/prometheus")
public final class PrometheusRefreshFilter {

    private final ApplianceSeries series;

    public PrometheusRefreshFilter(ApplianceSeries series) {
        this.series = series;
    }

    @RequestFilter
    public void refresh(HttpRequest<?> request) {
        series.refresh();
    }
}
