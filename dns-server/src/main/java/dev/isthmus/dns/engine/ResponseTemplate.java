package dev.isthmus.dns.engine;

/**
 * A precomputed response as the compiler builds it (answering reads its {@link EncodedTemplate} form), independent
 * of the query's ID, case and (for answers below an existing name) of the query name itself: the header bits to
 * set, and the sections as wire bytes ("body") that follow the question.
 *
 * <p>Compression pointers in the body depend only on the question's length, so each is stored as a fixup: the
 * pointer's body offset and a constant; at answer time the pointer is {@code 12 + qnameLength + constant}, or the
 * question name itself (offset 12) for {@link #QNAME}. Body-internal pointers use {@code 4 + bodyOffset}
 * (past QTYPE and QCLASS), pointers into the question name use {@code -suffixLength}.
 *
 * <p>Truncation (RFC 2181 §9): the body is cut only at RRset boundaries ({@code cutLength}, with the section counts
 * at each cut). Cutting into the answer or authority sections sets TC; dropping additional RRsets does not.
 */
final class ResponseTemplate {
    /** Fixup constant meaning "point at the whole question name" (offset 12). */
    static final int QNAME = EncodedTemplate.QNAME;

    /** Marks an entry whose answer depends on the query name beyond a template; the engine resolves it afresh. */
    static final ResponseTemplate QNAME_DEPENDENT = new ResponseTemplate(0, new byte[0], new int[] {0},
        new int[] {0}, new int[] {0}, new int[] {0}, 0, new int[0], new int[0]);

    /** AA and RCODE bits for the header (QR, opcode and RD are the writer's). */
    final int flags;
    final byte[] body;
    /** Index of the first cut that holds every answer and authority RRset. */
    final int requiredCut;
    /**
     * Cuts and fixups in one array, so answering touches three objects (this, body, layout) rather than nine:
     * {@code [cuts, (length, answer, authority, additional) x cuts, fixups, (offset, constant) x fixups]}.
     */
    private final int[] layout;
    private final int fixupBase;

    ResponseTemplate(int flags, byte[] body, int[] cutLength, int[] cutAnswer, int[] cutAuthority,
                     int[] cutAdditional, int requiredCut, int[] fixupOffset, int[] fixupConstant) {
        this.flags = flags;
        this.body = body;
        this.requiredCut = requiredCut;
        int cuts = cutLength.length;
        this.fixupBase = 1 + 4 * cuts;
        this.layout = new int[fixupBase + 1 + 2 * fixupOffset.length];
        layout[0] = cuts;
        for (int c = 0; c < cuts; c++) {
            layout[1 + 4 * c] = cutLength[c];
            layout[2 + 4 * c] = cutAnswer[c];
            layout[3 + 4 * c] = cutAuthority[c];
            layout[4 + 4 * c] = cutAdditional[c];
        }
        layout[fixupBase] = fixupOffset.length;
        for (int i = 0; i < fixupOffset.length; i++) {
            layout[fixupBase + 1 + 2 * i] = fixupOffset[i];
            layout[fixupBase + 2 + 2 * i] = fixupConstant[i];
        }
    }

    /** @return the {@link EncodedTemplate} form */
    byte[] encode() {
        int cuts = layout[0];
        int fixups = layout[fixupBase];
        byte[] out = new byte[8 + 8 * cuts + 4 * fixups + body.length];
        EncodedTemplate.putU16(out, 0, flags);
        EncodedTemplate.putU16(out, 2, requiredCut);
        EncodedTemplate.putU16(out, 4, cuts);
        EncodedTemplate.putU16(out, 6, fixups);
        int p = 8;
        for (int i = 1; i < 1 + 4 * cuts; i++, p += 2) {
            // A cut longer than any message can never be chosen; 0xFFFF keeps it so.
            EncodedTemplate.putU16(out, p, Math.min(layout[i], 0xFFFF));
        }
        for (int i = fixupBase + 1; i < fixupBase + 1 + 2 * fixups; i++, p += 2) {
            EncodedTemplate.putU16(out, p, layout[i]);
        }
        System.arraycopy(body, 0, out, p, body.length);
        return out;
    }

    /** @return true when both templates write the same bytes (for sharing one object between keys) */
    boolean sameAs(ResponseTemplate o) {
        return flags == o.flags && requiredCut == o.requiredCut && java.util.Arrays.equals(body, o.body)
            && java.util.Arrays.equals(layout, o.layout);
    }

    /** @return a hash consistent with {@link #sameAs} */
    int contentHash() {
        return (java.util.Arrays.hashCode(body) * 31 + java.util.Arrays.hashCode(layout)) * 31 + flags;
    }

}
