/**
 * The appliance's journal: every configuration change (who, what, when, the full new value) and every event
 * (start, stop, zone swapped, errors) appended to a Chronicle Queue on disk, read back over REST
 * ({@code GET /journal}) and replayed at start to restore zones changed over REST.
 */
package dev.isthmus.control.journal;
