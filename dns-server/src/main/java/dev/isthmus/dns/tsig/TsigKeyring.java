package dev.isthmus.dns.tsig;

import dev.isthmus.dns.wire.DnsName;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured keys by name (key names compare case-insensitively, RFC 8945 §4.2 / RFC 4343). Immutable. */
public final class TsigKeyring {
    public static final TsigKeyring EMPTY = new TsigKeyring(List.of());

    private final Map<DnsName, TsigKey> byName = new LinkedHashMap<>();

    public TsigKeyring(Collection<TsigKey> keys) {
        for (TsigKey k : keys) {
            if (byName.putIfAbsent(k.name(), k) != null) {
                throw new IllegalArgumentException("name: TSIG key " + k.name() + " defined twice");
            }
        }
    }

    public static TsigKeyring of(TsigKey... keys) {
        return new TsigKeyring(List.of(keys));
    }

    /** @return the key called {@code name}, or null */
    public TsigKey find(DnsName name) {
        return byName.get(name);
    }

    public Collection<TsigKey> keys() {
        return byName.values();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
