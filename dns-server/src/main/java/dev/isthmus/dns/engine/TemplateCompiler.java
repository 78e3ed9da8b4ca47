package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Resolution} into a {@link ResponseTemplate}, compressing names (RFC 1035 §4.1.4) against the
 * question name's suffixes and against names earlier in the body.
 */
final class TemplateCompiler {
    /** RFC 1035 §4.1.4: a pointer holds a 14-bit offset; past it names are written in full. */
    private static final int MAX_POINTER = 0x3FFF;

    private TemplateCompiler() {
    }

    /**
     * @param qname the question name the template is built for. For a template shared by every name below an
     *     encloser, pass one such name: only its whole and the encloser's suffixes are pointed at, and the first
     *     is written as a pointer to offset 12 whatever the real name's length.
     * @param shareableLabels how many trailing labels of {@code qname} are the same in every query the template
     *     serves (all of them for an exact-name template)
     */
    static ResponseTemplate compile(Resolution res, DnsName qname, int shareableLabels) {
        Body b = new Body();
        b.dictionary.put(qname, ResponseTemplate.QNAME);
        for (int l = shareableLabels; l >= 1; l--) {
            DnsName s = qname.suffix(l);
            b.dictionary.putIfAbsent(s, -s.wireLength());
        }
        List<Integer> lengths = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        lengths.add(0);
        counts.add(new int[3]);
        int[] c = new int[3];
        int requiredCut = 0;
        for (Resolution.Placed p : res.ordered()) {
            for (ResourceRecord r : p.records()) {
                b.record(p.owner(), r);
                c[p.section() - 1]++;
            }
            for (ResourceRecord r : p.sigs()) {
                b.record(p.owner(), r);
                c[p.section() - 1]++;
            }
            lengths.add(b.out.size());
            counts.add(c.clone());
            if (p.section() != Resolution.ADDITIONAL) {
                requiredCut = lengths.size() - 1;
            }
        }
        int n = lengths.size();
        int[] cutLength = new int[n];
        int[] an = new int[n];
        int[] ns = new int[n];
        int[] ar = new int[n];
        for (int i = 0; i < n; i++) {
            cutLength[i] = lengths.get(i);
            an[i] = counts.get(i)[0];
            ns[i] = counts.get(i)[1];
            ar[i] = counts.get(i)[2];
        }
        int flags = (res.authoritative ? Header.FLAG_AA : 0) | (res.rcode & Header.RCODE_MASK);
        int[] fo = new int[b.fixupOffsets.size()];
        int[] fc = new int[fo.length];
        for (int i = 0; i < fo.length; i++) {
            fo[i] = b.fixupOffsets.get(i);
            fc[i] = b.fixupConstants.get(i);
        }
        return new ResponseTemplate(flags, b.out.toByteArray(), cutLength, an, ns, ar, requiredCut, fo, fc);
    }

    /** A growable byte buffer whose already written octets can be patched (RDLENGTH is known only after RDATA). */
    private static final class Bytes extends ByteArrayOutputStream {
        void patchU16(int at, int v) {
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }
    }

    /** The growing body with its compression dictionary (name → fixup constant). */
    private static final class Body {
        final Bytes out = new Bytes();
        final Map<DnsName, Integer> dictionary = new HashMap<>();
        final List<Integer> fixupOffsets = new ArrayList<>();
        final List<Integer> fixupConstants = new ArrayList<>();

        void record(DnsName owner, ResourceRecord r) {
            name(owner, true);
            u16(r.type());
            u16(r.rrClass());
            u16((int) (r.ttl() >>> 16));
            u16((int) r.ttl());
            byte[] rdata = r.rdata();
            int lengthAt = out.size();
            u16(0);
            int start = out.size();
            if (RdataLayout.namesCompressible(r.type())) {
                int p = 0;
                for (int at : RdataLayout.nameOffsets(r.type(), rdata)) {
                    out.write(rdata, p, at - p);
                    int end = RdataLayout.nameEnd(rdata, at);
                    name(DnsName.fromWire(rdata, at, end - at), true);
                    p = end;
                }
                out.write(rdata, p, rdata.length - p);
            } else {
                out.write(rdata, 0, rdata.length);
            }
            out.patchU16(lengthAt, out.size() - start);
        }

        private void name(DnsName name, boolean compress) {
            DnsName suffix = name;
            byte[] w = name.wire();
            int p = 0;
            while (w[p] != 0) {
                Integer known = compress ? dictionary.get(suffix) : null;
                if (known != null) {
                    fixupOffsets.add(out.size());
                    fixupConstants.add(known);
                    u16(0xC000);
                    return;
                }
                // Worst case the question is 255 + 4 octets after the header.
                if (12 + 255 + 4 + out.size() <= MAX_POINTER) {
                    dictionary.putIfAbsent(suffix, 4 + out.size());
                }
                int len = w[p] & 0xFF;
                out.write(w, p, 1 + len);
                p += 1 + len;
                suffix = suffix.parent();
            }
            out.write(0);
        }

        private void u16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }
    }
}
