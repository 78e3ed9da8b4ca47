package dev.isthmus.dns.edns;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.PacketWalk;
import dev.isthmus.dns.wire.RecordType;

/** Appends EDNS options to a response's OPT record (RFC 6891 §6.1.2), which the engine writes last. */
public final class ResponseOpt {

    private ResponseOpt() {
    }

    /**
     * Appends option {@code code} with {@code data} to the OPT record ending the response.
     *
     * @return the new length; {@code length} unchanged when the response has no OPT or no room is left
     */
    public static int append(long dns, int length, int capacity, int code, byte[] data) {
        final long optRdlength = lastOptRdlength(dns, dns + length);
        if (optRdlength < 0 || length + 4 + data.length > capacity) {
            return length;
        }
        final long p = dns + length;
        PacketMemory.put16(p, code);
        PacketMemory.put16(p + 2, data.length);
        for (int i = 0; i < data.length; i++) {
            PacketMemory.put8(p + 4 + i, data[i]);
        }
        PacketMemory.put16(optRdlength, PacketMemory.u16(optRdlength) + 4 + data.length);
        return length + 4 + data.length;
    }

    /** The address of the RDLENGTH of the response's OPT record when it is the last record, else -1. */
    static long lastOptRdlength(long dns, long end) {
        long p = PacketWalk.skipQuestions(dns + Header.LENGTH, end, PacketMemory.u16(dns + Header.QDCOUNT_OFFSET));
        final int records = PacketMemory.u16(dns + Header.ANCOUNT_OFFSET) + PacketMemory.u16(dns + Header.NSCOUNT_OFFSET)
                + PacketMemory.u16(dns + Header.ARCOUNT_OFFSET);
        long rdlength = -1;
        for (int i = 0; i < records && p >= 0; i++) {
            final long next = PacketWalk.skipRecord(p, end);
            if (next < 0) {
                return -1;
            }
            final long fixed = PacketWalk.skipName(p, end);
            rdlength = PacketMemory.u16(fixed) == RecordType.OPT ? fixed + 8 : -1;
            p = next;
        }
        return p == end ? rdlength : -1;
    }
}
