package dev.isthmus.dns.rrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitTableTest {

    private static RrlPolicy policy(int rate, int slip, int window) {
        return new RrlPolicy(new RrlSettings(rate, slip, window, 24, 56, List.of()));
    }

    private static final long KEY = RateLimitTable.key(0xC612_0500L, 0, false, ResponseClass.ANSWER, 42);

    @Test
    void sendsTheRateThenDropsWithEveryNthSlipped() {
        RateLimitTable t = new RateLimitTable(64);
        RrlPolicy p = policy(5, 3, 15);
        int[] verdicts = new int[20];
        for (int i = 0; i < verdicts.length; i++) {
            verdicts[i] = t.account(KEY, 100, p);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(RateLimitTable.SEND, verdicts[i], "response " + i);
        }
        // Of the 15 over the limit, every third is the slip.
        for (int i = 5; i < 20; i++) {
            int expected = (i - 5 + 1) % 3 == 0 ? RateLimitTable.SLIP : RateLimitTable.DROP;
            assertEquals(expected, verdicts[i], "response " + i);
        }
    }

    @Test
    void slipZeroNeverSlipsAndSlipOneAlwaysDoes() {
        RateLimitTable t = new RateLimitTable(64);
        for (int i = 0; i < 10; i++) {
            int v = t.account(KEY, 7, policy(2, 0, 15));
            assertEquals(i < 2 ? RateLimitTable.SEND : RateLimitTable.DROP, v, "slip 0, response " + i);
        }
        RateLimitTable u = new RateLimitTable(64);
        for (int i = 0; i < 10; i++) {
            int v = u.account(KEY, 7, policy(2, 1, 15));
            assertEquals(i < 2 ? RateLimitTable.SEND : RateLimitTable.SLIP, v, "slip 1, response " + i);
        }
    }

    @Test
    void creditsTheRateEachSecondAndAFloodStaysLimitedForTheWindow() {
        RateLimitTable t = new RateLimitTable(64);
        RrlPolicy p = policy(10, 0, 3);
        // Second 0: 10 sent, then 1000 more debit the balance down to the floor, -3 * 10.
        int sent = 0;
        for (int i = 0; i < 1010; i++) {
            sent += t.account(KEY, 0, p) == RateLimitTable.SEND ? 1 : 0;
        }
        assertEquals(10, sent);
        // Seconds 1..3 credit 10 each: the balance climbs from -30 to 0, nothing is sent.
        for (int s = 1; s <= 3; s++) {
            assertEquals(RateLimitTable.DROP, t.account(KEY, s, p), "second " + s);
        }
        // Each of those debited one more: still at -3 + 10 = 7 by second 4, sent again.
        assertEquals(RateLimitTable.SEND, t.account(KEY, 4, p));
        // After more than the window in silence the balance is full again.
        RateLimitTable u = new RateLimitTable(64);
        for (int i = 0; i < 1000; i++) {
            u.account(KEY, 0, p);
        }
        sent = 0;
        for (int i = 0; i < 20; i++) {
            sent += u.account(KEY, 100, p) == RateLimitTable.SEND ? 1 : 0;
        }
        assertEquals(10, sent);
    }

    @Test
    void entriesAreIndependentByPrefixKindNameAndFamily() {
        RateLimitTable t = new RateLimitTable(1024);
        RrlPolicy p = policy(1, 0, 15);
        long[] keys = {
            RateLimitTable.key(0xC612_0500L, 0, false, ResponseClass.ANSWER, 42),
            RateLimitTable.key(0xC612_0600L, 0, false, ResponseClass.ANSWER, 42),
            RateLimitTable.key(0xC612_0500L, 0, false, ResponseClass.NXDOMAIN, 42),
            RateLimitTable.key(0xC612_0500L, 0, false, ResponseClass.ANSWER, 43),
            RateLimitTable.key(0xC612_0500L, 0, true, ResponseClass.ANSWER, 42),
        };
        for (int i = 0; i < keys.length; i++) {
            for (int j = 0; j < i; j++) {
                assertNotEquals(keys[i], keys[j]);
            }
            assertEquals(RateLimitTable.SEND, t.account(keys[i], 1, p), "first of key " + i);
        }
        for (long k : keys) {
            assertEquals(RateLimitTable.DROP, t.account(k, 1, p));
        }
    }

    @Test
    void aFullSetReplacesTheEntrySeenLeastRecently() {
        RateLimitTable t = new RateLimitTable(4); // one set of four ways
        RrlPolicy p = policy(1, 0, 15);
        for (int k = 1; k <= 4; k++) {
            assertEquals(RateLimitTable.SEND, t.account(k, k, p));
        }
        assertEquals(RateLimitTable.SEND, t.account(5, 4, p)); // a fifth key evicts key 1, seen at second 1
        assertEquals(RateLimitTable.DROP, t.account(4, 4, p), "key 4 is still there, its balance spent");
        assertEquals(RateLimitTable.SEND, t.account(1, 4, p), "key 1 was forgotten and starts over");
    }

    @Test
    void sizeMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitTable(100));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitTable(2));
    }
}
