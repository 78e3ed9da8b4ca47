package dev.isthmus.perf.dns;

import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.StoredZone;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.nativebindings.NativeMemory;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine-level cost of a change, without HTTP, journal or JSON: {@code big.test} of {@link #names} names (A and
 * AAAA each) served beside the 20-record {@code small.test}, one {@link ZoneCatalog} and one {@link QueryEngine}.
 *
 * <ul>
 *   <li>{@code oneRecordChange}: one A record added to the big zone, then (next call) deleted, each with the SOA
 *       serial bumped as PATCH and IXFR do, through {@link ZoneCatalog#apply} (validated, published with one
 *       volatile write), then the changed name asked once of the engine: applied, published, answered.</li>
 *   <li>{@code replaceSmallZone}: {@code small.test} replaced from its text beside the big zone.</li>
 * </ul>
 * Sample time: the percentiles show the amortised copies of {@link dev.isthmus.dns.engine.StoreChange} (the shared
 * segment's growth, compaction, name table rebuild) as the rare long samples they are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ZoneChangeBenchmark {
    private static final MemorySegment ALL_MEMORY = NativeMemory.ALL;
    private static final DnsName BIG = DnsName.of("big.test");

    @Param({"1000", "1000000"})
    public int names;

    private ZoneCatalog catalog;
    private QueryEngine engine;
    private MemorySegment block;
    private ResourceRecord soa;
    private ResourceRecord changed;
    private boolean present;
    private byte[] question;
    private long smallSerial = 1;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<ResourceRecord> records = new ArrayList<>(2 * names + 3);
        soa = soa(BIG, 1);
        records.add(soa);
        records.add(new ResourceRecord(BIG, RecordType.NS, 1, 3600, DnsName.of("ns1.big.test").wire()));
        records.add(new ResourceRecord(DnsName.of("ns1.big.test"), RecordType.A, 1, 3600,
            new byte[] {(byte) 198, 18, 0, 53}));
        for (int i = 0; i < names; i++) {
            DnsName owner = DnsName.of("h" + i + ".big.test");
            records.add(new ResourceRecord(owner, RecordType.A, 1, 3600,
                new byte[] {(byte) 198, 18, (byte) (i >>> 8), (byte) i}));
            byte[] v6 = new byte[16];
            v6[0] = 0x20;
            v6[1] = 0x01;
            v6[2] = 0x0d;
            v6[3] = (byte) 0xb8;
            v6[12] = (byte) (i >>> 24);
            v6[13] = (byte) (i >>> 16);
            v6[14] = (byte) (i >>> 8);
            v6[15] = (byte) i;
            records.add(new ResourceRecord(owner, RecordType.AAAA, 1, 3600, v6));
        }
        catalog = new ZoneCatalog();
        catalog.put(StoredZone.of(Zone.of(BIG, records, Collections.nCopies(records.size(),
            new ZoneError("big.test", 0, "")))));
        records = null;
        catalog.replace("small.test", smallZone(smallSerial));
        engine = new QueryEngine(catalog);
        block = Arena.global().allocate(65535, 64);
        changed = new ResourceRecord(DnsName.of("changed.h" + names / 2 + ".big.test"), RecordType.A, 1, 300,
            new byte[] {(byte) 198, 19, 0, 1});
        question = DnsEngineBenchmark.query(7, "changed.h" + names / 2 + ".big.test", RecordType.A, false, false);
        oneRecordChange();
        if (rcode() != Rcode.NOERROR) {
            throw new IllegalStateException("the added record is not answered");
        }
        oneRecordChange();
        if (rcode() != Rcode.NXDOMAIN) {
            throw new IllegalStateException("the deleted record is still answered");
        }
    }

    private int rcode() {
        MemorySegment.copy(question, 0, ALL_MEMORY, ValueLayout.JAVA_BYTE, block.address(), question.length);
        engine.answer(ALL_MEMORY, block.address(), question.length, 65535, 1232);
        return block.get(ValueLayout.JAVA_BYTE, 3) & 0x0F;
    }

    private static ResourceRecord soa(DnsName origin, long serial) {
        byte[] mname = DnsName.of("ns1." + origin).wire();
        byte[] rname = DnsName.of("hostmaster." + origin).wire();
        byte[] r = new byte[mname.length + rname.length + 20];
        System.arraycopy(mname, 0, r, 0, mname.length);
        System.arraycopy(rname, 0, r, mname.length, rname.length);
        long[] fields = {serial, 7200, 3600, 1209600, 300};
        for (int f = 0; f < 5; f++) {
            for (int b = 0; b < 4; b++) {
                r[mname.length + rname.length + f * 4 + b] = (byte) (fields[f] >>> (24 - 8 * b));
            }
        }
        return new ResourceRecord(origin, RecordType.SOA, 1, 3600, r);
    }

    private static String smallZone(long serial) {
        StringBuilder z = new StringBuilder("$ORIGIN small.test.\n$TTL 300\n@ SOA ns1 hostmaster " + serial
            + " 7200 3600 1209600 300\n  NS ns1\nns1 A 198.18.1.53\n");
        for (int i = 0; i < 17; i++) {
            z.append("w").append(i).append(" A 198.18.1.").append(i + 1).append('\n');
        }
        return z.toString();
    }

    @Benchmark
    public int oneRecordChange() throws Exception {
        ResourceRecord next = soa(BIG, ((soa.rdata()[soa.rdata().length - 20] & 0xFFL) << 24
            | (soa.rdata()[soa.rdata().length - 19] & 0xFFL) << 16 | (soa.rdata()[soa.rdata().length - 18] & 0xFFL) << 8
            | (soa.rdata()[soa.rdata().length - 17] & 0xFFL)) + 1);
        if (present) {
            catalog.apply("big.test", List.of(soa, changed), List.of(next));
        } else {
            catalog.apply("big.test", List.of(soa), List.of(next, changed));
        }
        soa = next;
        present = !present;
        return rcode();
    }

    @Benchmark
    public Object replaceSmallZone() throws Exception {
        return catalog.replace("small.test", smallZone(++smallSerial));
    }
}
