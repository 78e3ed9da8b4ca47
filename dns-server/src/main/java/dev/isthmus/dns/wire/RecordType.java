package dev.isthmus.dns.wire;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** RR TYPE codes (IANA "Resource Record (RR) TYPEs") the server knows by name, and their mnemonics. */
public final class RecordType {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int HINFO = 13;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int NAPTR = 35;
    public static final int DNAME = 39;
    public static final int OPT = 41;
    public static final int DS = 43;
    public static final int SSHFP = 44;
    public static final int RRSIG = 46;
    public static final int NSEC = 47;
    public static final int DNSKEY = 48;
    public static final int NSEC3 = 50;
    public static final int NSEC3PARAM = 51;
    public static final int TLSA = 52;
    public static final int CDS = 59;
    public static final int CDNSKEY = 60;
    public static final int TSIG = 250;
    public static final int IXFR = 251;
    public static final int AXFR = 252;
    public static final int MAILB = 253;
    public static final int MAILA = 254;
    /** QTYPE "*" (RFC 1035 §3.2.3), answered minimally per RFC 8482. */
    public static final int ANY = 255;
    public static final int CAA = 257;

    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> BY_CODE = new HashMap<>();

    static {
        Object[][] table = {
            {"A", A}, {"NS", NS}, {"CNAME", CNAME}, {"SOA", SOA}, {"PTR", PTR}, {"HINFO", HINFO}, {"MX", MX},
            {"TXT", TXT}, {"AAAA", AAAA}, {"SRV", SRV}, {"NAPTR", NAPTR}, {"DNAME", DNAME}, {"OPT", OPT},
            {"DS", DS}, {"SSHFP", SSHFP}, {"RRSIG", RRSIG}, {"NSEC", NSEC}, {"DNSKEY", DNSKEY}, {"NSEC3", NSEC3},
            {"NSEC3PARAM", NSEC3PARAM}, {"TLSA", TLSA}, {"CDS", CDS}, {"CDNSKEY", CDNSKEY}, {"TSIG", TSIG}, {"IXFR", IXFR}, {"AXFR", AXFR},
            {"MAILB", MAILB}, {"MAILA", MAILA}, {"ANY", ANY}, {"CAA", CAA},
        };
        for (Object[] row : table) {
            BY_NAME.put((String) row[0], (Integer) row[1]);
            BY_CODE.put((Integer) row[1], (String) row[0]);
        }
    }

    private RecordType() {
    }

    /** @return the type code for a mnemonic or RFC 3597 {@code TYPEnnn}, or -1 when unknown */
    public static int fromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        Integer known = BY_NAME.get(upper);
        if (known != null) {
            return known;
        }
        if (upper.startsWith("TYPE") && upper.length() > 4 && upper.length() <= 9) {
            try {
                int v = Integer.parseInt(upper.substring(4));
                return v >= 0 && v <= 0xFFFF ? v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** @return the mnemonic, or {@code TYPEnnn} (RFC 3597 §5) */
    public static String name(int type) {
        String known = BY_CODE.get(type);
        return known != null ? known : "TYPE" + type;
    }

    /** RFC 6895 §3.1: meta-types and QTYPEs that never name data held in a zone. */
    public static boolean isMetaOrQueryOnly(int type) {
        return type == OPT || (type >= 128 && type <= 255);
    }
}
