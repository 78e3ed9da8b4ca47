package dev.isthmus.dns.wire;

import java.util.List;

/** A decoded DNS message (RFC 1035 §4.1). Built by {@link MessageReader}; used by tests, tools and slow paths. */
public record Message(int id, int flags, List<Question> questions, List<WireRecord> answers,
                      List<WireRecord> authority, List<WireRecord> additional) {

    public int rcode() {
        return flags & Header.RCODE_MASK;
    }

    public int opcode() {
        return (flags & Header.OPCODE_MASK) >>> Header.OPCODE_SHIFT;
    }

    public boolean flag(int mask) {
        return (flags & mask) != 0;
    }

    /** @return the OPT pseudo-record (RFC 6891 §6.1.1) of the additional section, or null */
    public WireRecord opt() {
        for (WireRecord r : additional) {
            if (r.type() == RecordType.OPT) {
                return r;
            }
        }
        return null;
    }

    /** @return the full RCODE: header RCODE plus the OPT extended bits (RFC 6891 §6.1.3) */
    public int extendedRcode() {
        WireRecord opt = opt();
        return opt == null ? rcode() : (int) (((opt.ttl() >>> 24) & 0xFF) << 4) | rcode();
    }
}
