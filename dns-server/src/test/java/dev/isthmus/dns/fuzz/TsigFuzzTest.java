package dev.isthmus.dns.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dns.tsig.Tsig;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.tsig.TsigStreamVerifier;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.xfr.NotifyReceiver;
import dev.isthmus.dns.xfr.Primary;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Hostile bytes against what the control plane reads from the network for zone transfers: TSIG verification (single
 * and stream) and the NOTIFY receiver report every malformation as an outcome, never an exception.
 */
class TsigFuzzTest {
    private static final TsigKey KEY = TsigKey.parse("xfr", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0");
    private static final NotifyReceiver NOTIFY = new NotifyReceiver(new NotifyReceiver.Secondaries() {
        @Override
        public List<Primary> primaries(DnsName zone) {
            return List.of(Primary.parse("127.0.0.1"));
        }

        @Override
        public TsigKey key(DnsName zone) {
            return null;
        }

        @Override
        public void notified(DnsName zone, InetSocketAddress from) {
        }

        @Override
        public void refused(DnsName zone, InetSocketAddress from, String reason) {
        }
    }, TsigKeyring.of(KEY), () -> 1_800_000_000L);

    @FuzzTest(maxDuration = "", maxExecutions = 200_000)
    void tsigAndNotifyNeverThrow(byte[] data) {
        Tsig.verify(data, data.length, TsigKeyring.of(KEY), null, 1_800_000_000L, Integer.MAX_VALUE);
        Tsig.verify(data, data.length, TsigKeyring.of(KEY), new byte[32], 1_800_000_000L, 16);
        new TsigStreamVerifier(KEY, new byte[32], () -> 1_800_000_000L).next(data, data.length);
        NOTIFY.onNotify(data, new InetSocketAddress("127.0.0.1", 53));
    }
}
