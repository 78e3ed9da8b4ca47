"""The generated zone of the DNS-at-scale benchmarks (`bench zone-scale`, `bench dns`'s cache-hostile case):
big.test. with N names h0 .. h{N-1}, each with an A and an AAAA record, beside the apex SOA, NS and ns1's address."""


def host_v4(i):
    """A distinct address per name (zone data only: nothing is sent to it)."""
    return f"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}"


def write_big_zone(path, n):
    with open(path, "w") as f:
        f.write("$ORIGIN big.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\n"
                "ns1 A 198.18.0.53\n")
        for i in range(n):
            f.write(f"h{i} A {host_v4(i)}\n   AAAA 2001:db8::{i >> 16:x}:{i & 0xFFFF:x}\n")
