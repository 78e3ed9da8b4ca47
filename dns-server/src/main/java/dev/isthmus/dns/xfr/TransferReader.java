package dev.isthmus.dns.xfr;

import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.wire.WireRecord;
import dev.isthmus.dns.zone.ResourceRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the records of an AXFR (RFC 5936 §2.2: SOA, the zone, the same SOA) or IXFR (RFC 1995 §4: the new SOA, then
 * for each version step the old SOA and its deletions, the newer SOA and its additions, and the new SOA again; or a
 * lone SOA when nothing is newer; or an AXFR-form answer) as they arrive, and tells when the transfer is complete.
 * The IXFR steps are folded into one net change so the zone moves from our version to the primary's in one swap.
 */
final class TransferReader {
    private final DnsName zone;
    private final long currentSerial;
    private final boolean ixfr;
    private final int maxRecords;

    private enum State { FIRST, SECOND, FULL, DELETIONS, ADDITIONS, DONE }

    private State state = State.FIRST;
    private ResourceRecord firstSoa;
    private long newSerial;
    private long stepTo;
    private int steps;
    private int count;
    private final List<ResourceRecord> full = new ArrayList<>();
    /** Net change by record (equality ignores TTL); the value is the record as last seen. */
    private final Map<ResourceRecord, ResourceRecord> deleted = new LinkedHashMap<>();
    private final Map<ResourceRecord, ResourceRecord> added = new LinkedHashMap<>();

    /**
     * @param currentSerial our serial, which an IXFR starts from and which any transfer must move past (-1: we
     *     hold no copy)
     */
    TransferReader(DnsName zone, long currentSerial, boolean ixfr, int maxRecords) {
        this.zone = zone;
        this.currentSerial = currentSerial;
        this.ixfr = ixfr;
        this.maxRecords = maxRecords;
    }

    /** @return true when this record completed the transfer (later records are an error) */
    boolean add(WireRecord w) throws TransferException {
        if (state == State.DONE) {
            throw new TransferException("records after the end of the transfer");
        }
        if (++count > maxRecords) {
            throw new TransferException("more than " + maxRecords + " records: transfer refused as oversized");
        }
        if (w.rrClass() != DnsClass.IN) {
            throw new TransferException("record of class " + w.rrClass() + " (" + w.name() + "): only IN is served");
        }
        if (w.type() == RecordType.OPT || w.type() == RecordType.TSIG || RecordType.isMetaOrQueryOnly(w.type())) {
            throw new TransferException("meta-type " + RecordType.name(w.type()) + " in the answer section");
        }
        ResourceRecord r = new ResourceRecord(w.name(), w.type(), w.rrClass(), w.ttl(), w.rdata());
        boolean soa = r.type() == RecordType.SOA;
        if (soa && !r.owner().equals(zone)) {
            throw new TransferException("SOA of " + r.owner() + " in a transfer of " + zone);
        }
        long serial = soa ? soaSerial(r) : 0;
        switch (state) {
            case FIRST -> {
                if (!soa) {
                    throw new TransferException("the first record is " + RecordType.name(r.type())
                            + ", not the zone's SOA (RFC 5936 §2.2)");
                }
                firstSoa = r;
                newSerial = serial;
                if (currentSerial >= 0 && !Soa.newer(newSerial, currentSerial)) {
                    if (ixfr && newSerial == currentSerial) {
                        return done(); // RFC 1995 §4: the primary has nothing newer and said so with one SOA
                    }
                    throw new TransferException("the primary's serial " + newSerial + " is not newer than ours ("
                            + currentSerial + "): serial going backwards, transfer refused");
                }
                state = State.SECOND;
            }
            case SECOND -> {
                if (ixfr && soa && !r.equals(firstSoa)) {
                    // RFC 1995 §4: an SOA second is the start of the first difference sequence.
                    if (serial != currentSerial) {
                        throw new TransferException("IXFR starts at serial " + serial + ", ours is " + currentSerial);
                    }
                    state = State.DELETIONS;
                    steps = 1;
                    delete(r);
                } else if (soa) {
                    // A zone of one SOA: its AXFR is the SOA twice.
                    full.add(firstSoa);
                    return done();
                } else {
                    full.add(firstSoa);
                    full.add(r);
                    state = State.FULL;
                }
            }
            case FULL -> {
                if (soa) {
                    if (serial != newSerial) {
                        throw new TransferException("AXFR ends with serial " + serial + ", began with " + newSerial);
                    }
                    return done();
                }
                full.add(r);
            }
            case DELETIONS -> {
                if (soa) {
                    stepTo = serial;
                    if (!Soa.newer(stepTo, currentSerial) && stepTo != newSerial) {
                        throw new TransferException("IXFR step to serial " + stepTo + " goes backwards");
                    }
                    add(r);
                    state = State.ADDITIONS;
                } else {
                    delete(r);
                }
            }
            case ADDITIONS -> {
                if (soa) {
                    if (stepTo == newSerial && serial == newSerial) {
                        return done();
                    }
                    if (serial != stepTo) {
                        throw new TransferException("IXFR step from serial " + serial + " does not follow the step to "
                                + stepTo);
                    }
                    steps++;
                    delete(r);
                    state = State.DELETIONS;
                } else {
                    add(r);
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return false;
    }

    boolean complete() {
        return state == State.DONE;
    }

    /** @return the result of a complete transfer */
    Transfer result() {
        if (full.isEmpty() && steps == 0) {
            return new Transfer.UpToDate(newSerial);
        }
        if (steps == 0) {
            return new Transfer.Full(newSerial, List.copyOf(full), ixfr ? "IXFR (AXFR form)" : "AXFR");
        }
        return new Transfer.Incremental(currentSerial, newSerial, List.copyOf(deleted.values()),
                List.copyOf(added.values()), steps);
    }

    private boolean done() {
        state = State.DONE;
        return true;
    }

    private void delete(ResourceRecord r) {
        ResourceRecord wasAdded = added.remove(r);
        if (wasAdded == null) {
            deleted.put(r, r); // present in our copy: delete it
        }
        // else: added by an earlier step of this transfer, so our copy never had it
    }

    private void add(ResourceRecord r) {
        ResourceRecord wasDeleted = deleted.get(r);
        if (wasDeleted != null && wasDeleted.ttl() == r.ttl()) {
            deleted.remove(r); // deleted then put back unchanged: no change at all
            return;
        }
        added.put(r, r); // a changed TTL stays a deletion of the old record and an addition of the new
    }

    private static long soaSerial(ResourceRecord r) throws TransferException {
        try {
            return Soa.of(r.rdata()).serial();
        } catch (IllegalArgumentException e) {
            throw new TransferException("malformed SOA: " + e.getMessage());
        }
    }
}
