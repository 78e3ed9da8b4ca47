# Helper of make-vectors.sh: a one-shot proxy that records one UDP exchange and one TCP (AXFR) exchange.
import socket, struct, sys
listen, upstream, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def frame(msgs):
    return b''.join(struct.pack('!H', len(m)) + m for m in msgs)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', listen))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', listen)); t.listen(1)
q, peer = u.recvfrom(65535)
k = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); k.sendto(q, ('127.0.0.1', upstream)); a = k.recv(65535)
u.sendto(a, peer)
open(out + '/soa-query.bin', 'wb').write(frame([q, a]))
c, _ = t.accept()
def read_exact(s, n):
    b = b''
    while len(b) < n:
        x = s.recv(n - len(b))
        if not x: raise EOFError
        b += x
    return b
def skip_name(m, p):
    while True:
        n = m[p]
        if n == 0: return p + 1
        if n >= 0xC0: return p + 2
        p += 1 + n
def count_soa(m):
    # the answer section's SOA records: the second one ends an AXFR (RFC 5936 §2.2)
    qd, an = struct.unpack('!HH', m[4:8]); p = 12; n = 0
    for _ in range(qd): p = skip_name(m, p) + 4
    for _ in range(an):
        p = skip_name(m, p); typ, _, _, rdl = struct.unpack('!HHIH', m[p:p + 10]); p += 10 + rdl
        n += typ == 6
    return n
q = read_exact(c, struct.unpack('!H', read_exact(c, 2))[0])
k = socket.create_connection(('127.0.0.1', upstream)); k.sendall(struct.pack('!H', len(q)) + q)
msgs = []
soa = 0
while soa < 2:
    m = read_exact(k, struct.unpack('!H', read_exact(k, 2))[0])
    msgs.append(m)
    c.sendall(struct.pack('!H', len(m)) + m)
    soa += count_soa(m)
open(out + '/axfr.bin', 'wb').write(frame([q] + msgs))
c.close()
