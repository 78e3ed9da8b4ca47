#!/usr/bin/python3
"""Writes the seed inputs of the data-plane fuzz targets (DnsStageFuzzTest, VswitchStageFuzzTest): valid frames
of each kind, built by scapy, in FuzzedBurst's input layout (input port byte, 16-bit ol_flags, then frames as a
16-bit length and the bytes). libFuzzer orders seeds of equal size by directory listing, which differs between
machines, so the seeds of one target have distinct sizes (FuzzInputsTest checks). Run from the repository root: /usr/bin/python3 dataplane/src/test/scripts/frame-seeds.py
"""
import os
import struct
from scapy.all import Ether, Dot1Q, IP, IPv6, UDP, TCP, ICMP, ARP, Raw, DNS, DNSQR, DNSRROPT
from scapy.layers.vxlan import VXLAN

IP_GOOD, L4_GOOD = 0x80, 0x100  # RTE_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_GOOD (DPDK 22.11)


def encode(port, ol_flags, frames):
    out = bytes([port]) + struct.pack('>H', ol_flags)
    for f in frames:
        b = bytes(f)
        out += struct.pack('>H', len(b)) + b
    return out


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), 'wb') as f:
        f.write(data)


# DNS: port 0 has RX/TX checksum offload, port 1 not; the server is 198.18.6.53 / 2001:db8:6::53.
DNS_DIR = 'dns-server/src/test/resources/dev/isthmus/dns/pipeline/DnsStageFuzzTestInputs/' \
          'dnsStageGivesEveryFrameOneVerdictAndLeaksNothing'
eth = Ether(src='02:00:00:00:06:01', dst='02:00:00:00:06:53')
ip4 = IP(src='198.18.6.1', dst='198.18.6.53')
ip6 = IPv6(src='2001:db8:6::1', dst='2001:db8:6::53')
q = DNS(id=4660, rd=1, qd=DNSQR(qname='www.example.test', qtype='A'))
write(DNS_DIR, 'ipv4_udp_query', encode(1, 0, [eth / ip4 / UDP(sport=5353, dport=53) / q]))
write(DNS_DIR, 'vlan_ipv4_aaaa', encode(1, 0, [eth / Dot1Q(vlan=42) / ip4 / UDP(sport=5354, dport=53)
                                              / DNS(id=1, qd=DNSQR(qname='mail.example.test', qtype='AAAA'))]))
write(DNS_DIR, 'qinq_ipv6_mx_edns', encode(1, 0, [
    Ether(src='02:00:00:00:06:01', dst='02:00:00:00:06:53', type=0x88a8) / Dot1Q(vlan=7) / Dot1Q(vlan=42) / ip6
    / UDP(sport=5355, dport=53) / DNS(id=2, qd=DNSQR(qname='example.test', qtype='MX'),
                                      ar=DNSRROPT(rclass=1232, z=0x8000))]))
write(DNS_DIR, 'offloaded_port_nic_says_good', encode(0, IP_GOOD | L4_GOOD, [
    eth / ip4 / UDP(sport=5356, dport=53) / DNS(id=5, qd=DNSQR(qname='example.test', qtype='SOA'))]))
write(DNS_DIR, 'mixed_burst_per_mbuf_port', encode(0x81, 0, [
    eth / ip4 / UDP(sport=5357, dport=53) / q,
    eth / ip6 / UDP(sport=5358, dport=53) / DNS(id=3, qd=DNSQR(qname='nope.example.test')),
    eth / ip4 / TCP(sport=5359, dport=53, flags='S'),
    eth / ip4 / UDP(sport=5360, dport=53, chksum=0x1234) / q,
    eth / ip4 / UDP(sport=5361, dport=53) / DNS(qr=1, qd=DNSQR(qname='www.example.test')),
    eth / ip4 / UDP(sport=5362, dport=53) / Raw(b'\x00\x05\x00\x00' + b'\x00' * 8)]))

# vswitch (VswitchStageFuzzTest's topology): uplink port 0, VTEP 198.18.0.1 / 2001:db8::1; VNI 100 on ports 1, 2
# and port 3 VLAN 10 with VTEPs 198.18.0.2, 198.18.0.3, 2001:db8::6; VNI 200 on port 3 VLAN 20 and port 4.
VS_DIR = 'vswitch/src/test/resources/dev/isthmus/vswitch/pipeline/VswitchStageFuzzTestInputs/' \
         'vswitchStageGivesEveryFrameOneVerdictAndLeaksNothing'
A, B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
inner_ab = Ether(src=A, dst=B) / IP(src='10.0.0.10', dst='10.0.0.11') / ICMP() / Raw(b'x' * 32)
inner_ba = Ether(src=B, dst=A) / IP(src='10.0.0.11', dst='10.0.0.10') / ICMP(type=0) / Raw(b'y' * 32)
outer = Ether(src='02:00:00:00:02:02', dst='02:00:00:00:00:fe')
write(VS_DIR, 'l2_unknown_unicast_floods', encode(1, 0, [inner_ab]))
write(VS_DIR, 'l2_broadcast_arp', encode(1, 0, [Ether(src=A, dst='ff:ff:ff:ff:ff:ff')
                                                / ARP(psrc='10.0.0.10', pdst='10.0.0.99')]))
write(VS_DIR, 'l2_vlan_tagged_vni200', encode(3, 0, [Ether(src='02:00:00:00:00:0c', dst='ff:ff:ff:ff:ff:ff')
                                                     / Dot1Q(vlan=20) / IP(dst='10.9.9.9') / UDP()]))
write(VS_DIR, 'vxlan_ipv4_decap', encode(0, 0, [outer / IP(src='198.18.0.2', dst='198.18.0.1')
                                                / UDP(sport=51234, dport=4789) / VXLAN(flags=0x08, vni=100)
                                                / inner_ba]))
write(VS_DIR, 'vxlan_ipv6_decap', encode(0, 0, [outer / IPv6(src='2001:db8::6', dst='2001:db8::1')
                                                / UDP(sport=51234, dport=4789) / VXLAN(flags=0x08, vni=100)
                                                / inner_ba]))
write(VS_DIR, 'learn_then_unicast_both_ways', encode(0x80, 0, [
    inner_ab,
    outer / IP(src='198.18.0.2', dst='198.18.0.1') / UDP(sport=51234, dport=4789) / VXLAN(flags=0x08, vni=100)
    / inner_ba,
    inner_ab]))
