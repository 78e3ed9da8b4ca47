/**
 * What the appliance reports about itself: {@code GET /health} (200 only with every link up and every worker
 * polling, 503 with the reasons otherwise) and {@code GET /stats} (ports, workers, drops by reason, DNS).
 */
package dev.isthmus.control.status;
