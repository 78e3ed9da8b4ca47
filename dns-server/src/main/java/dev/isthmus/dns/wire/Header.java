package dev.isthmus.dns.wire;

/**
 * The 12-octet message header (RFC 1035 §4.1.1), big-endian:
 * <pre>
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |  0
 * |QR|  Opcode   |AA|TC|RD|RA| Z|AD|CD|   RCODE   |  2
 * |                    QDCOUNT                    |  4
 * |                    ANCOUNT                    |  6
 * |                    NSCOUNT                    |  8
 * |                    ARCOUNT                    | 10
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 * AD and CD are from RFC 4035 §3.2.
 */
public final class Header {
    public static final int LENGTH = 12;
    public static final int ID_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
    public static final int QDCOUNT_OFFSET = 4;
    public static final int ANCOUNT_OFFSET = 6;
    public static final int NSCOUNT_OFFSET = 8;
    public static final int ARCOUNT_OFFSET = 10;

    public static final int FLAG_QR = 0x8000;
    public static final int OPCODE_MASK = 0x7800;
    public static final int OPCODE_SHIFT = 11;
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;
    public static final int FLAG_AD = 0x0020;
    public static final int FLAG_CD = 0x0010;
    public static final int RCODE_MASK = 0x000F;

    public static final int OPCODE_QUERY = 0;

    private Header() {
    }
}
