package dev.isthmus.dns.xfr;

import dev.isthmus.dns.zone.ResourceRecord;
import java.util.List;

/**
 * One step of a zone's history as IXFR sends it (RFC 1995 §4): the SOA of the version it starts from, the records
 * deleted, the SOA of the version it makes, the records added. {@code deleted} and {@code added} hold no SOA.
 */
public record ZoneDiff(ResourceRecord fromSoa, ResourceRecord toSoa, List<ResourceRecord> deleted,
                       List<ResourceRecord> added) {

    public ZoneDiff {
        deleted = List.copyOf(deleted);
        added = List.copyOf(added);
    }

    public long fromSerial() {
        return serialOf(fromSoa);
    }

    public long toSerial() {
        return serialOf(toSoa);
    }

    /** @return the records this step sends, both SOAs included */
    public int size() {
        return deleted.size() + added.size() + 2;
    }

    /** RFC 1035 §3.3.13: SERIAL is the 32-bit field after MNAME and RNAME. */
    static long serialOf(ResourceRecord soa) {
        byte[] r = soa.rdata();
        int p = 0;
        for (int names = 0; names < 2; names++) {
            while (r[p] != 0) {
                p += 1 + (r[p] & 0xFF);
            }
            p++;
        }
        return ((r[p] & 0xFFL) << 24) | ((r[p + 1] & 0xFFL) << 16) | ((r[p + 2] & 0xFFL) << 8) | (r[p + 3] & 0xFFL);
    }
}
