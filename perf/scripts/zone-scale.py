#!/usr/bin/python3
"""Zone-scale benchmark: load time, resident memory and change cost of Isthmus against NSD and Knot.

Run through ./isthmus bench zone-scale (bench-zone-scale.sh), which passes the Java command and classpaths.

Phases, each server alone on a free loopback port (Isthmus first; then NSD and Knot in one hold of the shared test lock):
  big    one zone big.test. of N names (h0 .. h{N-1}), each with A and AAAA, beside the apex SOA, NS and ns1 A;
         ready = the LAST name (h{N-1}) answered with its address.
  small  Z zones s0.test. .. s{Z-1}.test. of 5 records each; ready = www of the last zone answered, then a sample of
         zones across the list answered too (Knot loads zones in parallel, in no set order).
  change the big zone beside one small zone (c.test.): time to make a one-record change to the big zone and to
         replace the small zone, until the new data is answered (Knot: knotc zone-begin/zone-set/zone-commit, and
         the zone file rewritten + knotc -b zone-reload) or until the REST call returned (Isthmus: the appliance with
         its data plane off, PATCH and PUT /dns/zones on one kept-alive HTTP connection; the call returns once the new
         zone is published). Each server first makes --warmup changes of both kinds, not timed (a JVM's first
         changes run interpreted code; Isthmus's warm-up median and first change are printed too).
Resident memory = VmRSS of /proc/PID/status 0.5 s after ready, and again --settle seconds after ready (NSD: its main
process plus its children, summed): a JVM holds its JIT compilers' transient memory at first and gives it back.
"""
import argparse
import fcntl
import json
import os
import random
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import http.client
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from big_zone import host_v4, write_big_zone  # noqa: E402  (after the path)

LOCK = "/tmp/isthmus-root-tests.lock"


def log(msg):
    print(msg, flush=True)


# ---- DNS over UDP, just enough to ask one question ---------------------------------------------------------------

def query(port, name, qtype, timeout=0.5):
    """Returns (rcode, ancount, payload) or None when nothing came back in time."""
    qid = random.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, ("127.0.0.1", port))
        while True:
            data, _ = s.recvfrom(65535)
            if len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid:
                flags, _, an = struct.unpack(">HHH", data[2:8])
                return flags & 0xF, an, data
    except (socket.timeout, ConnectionRefusedError, OSError):
        return None
    finally:
        s.close()


def answers(port, name, address_bytes, qtype=1):
    r = query(port, name, qtype)
    return r is not None and r[0] == 0 and r[1] > 0 and address_bytes in r[2][12:]


def free_port(tries=200):
    """A port number free on 127.0.0.1 for both UDP and TCP (NSD and Knot listen on both)."""
    for _ in range(tries):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # as the servers bind: a connection of an earlier run in TIME_WAIT does not make the port busy
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind(("127.0.0.1", p))
            return p
        except OSError:
            continue
        finally:
            t.close()
    raise SystemExit(f"zone-scale: no port free for both UDP and TCP on 127.0.0.1 after {tries} tries")


# ---- zones -------------------------------------------------------------------------------------------------------

def v4_bytes(text):
    return bytes(int(x) for x in text.split("."))


def small_zone_text(origin, serial, www="198.18.0.80"):
    return (f"$ORIGIN {origin}.\n$TTL 3600\n@ SOA ns1 hostmaster {serial} 7200 3600 1209600 300\n  NS ns1\n"
            f"ns1 A 198.18.0.53\nwww A {www}\n    AAAA 2001:db8::80\n")


def write_small_zones(directory, z):
    os.makedirs(directory, exist_ok=True)
    for i in range(z):
        with open(f"{directory}/s{i}.test.zone", "w") as f:
            f.write(small_zone_text(f"s{i}.test", 1))


# ---- processes ---------------------------------------------------------------------------------------------------

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mb(pid):
    return sum(rss_kb(p) for p in descendants(pid)) / 1024


class Server:
    """One started server process; stop() ends it (SIGTERM, then SIGKILL) and whatever it forked."""

    def __init__(self, label, argv, log_path, env=None):
        self.label = label
        self.log = open(log_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class Locked:
    """The shared lock the NSD/Knot tests take, held only while NSD or Knot runs."""

    def __init__(self, held):
        self.held = held

    def __enter__(self):
        if self.held:
            return self
        self.f = open(LOCK, "a")
        try:
            fcntl.flock(self.f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            t0 = time.monotonic()
            log(f"  (waiting for {LOCK}, held by another test run)")
            fcntl.flock(self.f, fcntl.LOCK_EX)
            log(f"  (lock taken after {time.monotonic() - t0:.0f} s)")
        return self

    def __exit__(self, *exc):
        if self.held:
            return
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()


def wait_ready(server, checks, timeout):
    """Polls until every (name, address bytes) of checks is answered; returns seconds since start, or None."""
    pending = list(checks)
    while pending:
        if not server.alive():
            return None
        if time.monotonic() - server.started > timeout:
            return None
        name, addr, port = pending[0]
        if answers(port, name, addr):
            pending.pop(0)
        else:
            time.sleep(0.02)
    return time.monotonic() - server.started


# ---- configurations ----------------------------------------------------------------------------------------------

def nsd_conf(d, port, zones):
    os.makedirs(d, exist_ok=True)
    lines = ["server:", f"  ip-address: 127.0.0.1@{port}", f'  zonesdir: "{d}"', f'  pidfile: "{d}/nsd.pid"',
             '  database: ""', f'  zonelistfile: "{d}/zone.list"', f'  xfrdfile: "{d}/xfrd.state"', f'  xfrdir: "{d}"',
             f'  logfile: "{d}/nsd.log"', '  username: ""', '  chroot: ""', "  rrl-ratelimit: 0", "  server-count: 1",
             "remote-control:", "  control-enable: no"]
    for name, path in zones:
        lines += ["zone:", f"  name: {name}", f'  zonefile: "{path}"']
    with open(f"{d}/nsd.conf", "w") as f:
        f.write("\n".join(lines) + "\n")
    return ["nsd", "-d", "-c", f"{d}/nsd.conf"]


def knot_conf(d, port, zones):
    os.makedirs(d, exist_ok=True)
    lines = ["server:", f'  rundir: "{d}"', f"  listen: 127.0.0.1@{port}", "  udp-workers: 1", "  tcp-workers: 1",
             "  background-workers: 1", "control:", f'  listen: "{d}/knot.sock"', "database:", f'  storage: "{d}"',
             "log:", "  - target: stderr", "    any: error", "template:", "  - id: default", f'    storage: "{d}"',
             "    zonefile-sync: -1", "    journal-content: none", "    zonefile-load: whole", "zone:"]
    for name, path in zones:
        lines += [f"  - domain: {name}", f'    file: "{path}"']
    with open(f"{d}/knot.conf", "w") as f:
        f.write("\n".join(lines) + "\n")
    return ["knotd", "-c", f"{d}/knot.conf"]


def isthmus_dns(args, d, port, zones):
    """./isthmus dns's command: one --zone, or many zones in a --zones list (as NSD and Knot get theirs in a file)."""
    argv = [args.java] + args.dns_jvm_flags.split() + [
        "-cp", args.dns_classpath, "dev.isthmus.dns.transport.KernelDnsMain", "--listen", f"127.0.0.1:{port}",
        "--threads", "1"]
    if len(zones) == 1:
        return argv + ["--zone", f"{zones[0][0]}={zones[0][1]}"]
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/zones.list", "w") as f:
        f.writelines(f"{name}={path}\n" for name, path in zones)
    return argv + ["--zones", f"{d}/zones.list"]


# ---- phases ------------------------------------------------------------------------------------------------------

def load_phase(args, work, label, server, zones, checks):
    """Starts one server on the zones, measures its ready time and RSS; returns (seconds or None, MB, MB settled)."""
    port = free_port()
    d = f"{work}/{label}-{server}"
    os.makedirs(d, exist_ok=True)
    argv = isthmus_dns(args, d, port, zones) if server == "isthmus" else \
        {"nsd": nsd_conf, "knot": knot_conf}[server](d, port, zones)
    s = Server(server, argv, f"{d}/out.log")
    try:
        ready = wait_ready(s, checks(port), args.timeout)
        time.sleep(0.5)  # let the processes settle (NSD forks its server after loading)
        mb = tree_rss_mb(s.proc.pid) if s.alive() else 0
        if ready is None:
            why = "exited" if not s.alive() else f"not ready after {args.timeout:.0f} s"
            log(f"  {label:6} {server:8} {why} (RSS then {mb:.0f} MB)")
            return ready, mb, mb
        time.sleep(max(0.0, args.settle - 0.5))
        settled = tree_rss_mb(s.proc.pid) if s.alive() else 0
        log(f"  {label:6} {server:8} ready after {ready:7.2f} s, RSS {mb:8.1f} MB, {settled:8.1f} MB"
            f" {args.settle:.0f} s later")
        return ready, mb, settled
    finally:
        s.stop()


def knot_changes(args, work, big_path, reps, warmup):
    d = f"{work}/change-knot"
    port = free_port()
    c_path = f"{d}/c.test.zone"
    os.makedirs(d, exist_ok=True)
    with open(c_path, "w") as f:
        f.write(small_zone_text("c.test", 1))
    argv = knot_conf(d, port, [("big.test", big_path), ("c.test", c_path)])
    last = f"h{args.names - 1}.big.test"
    # the caller holds the shared lock
    s = Server("knot", argv, f"{d}/out.log")
    try:
        if wait_ready(s, [(last, v4_bytes(host_v4(args.names - 1)), port),
                          ("www.c.test", v4_bytes("198.18.0.80"), port)], args.timeout) is None:
            log("  change knot: not ready")
            return None
        knotc = ["knotc", "-s", f"{d}/knot.sock"]
        record, zone = [], []
        for k in range(warmup + reps):
            addr = f"198.18.200.{k % 250 + 1}"
            t0 = time.monotonic()
            for cmd in (["zone-begin", "big.test"], ["zone-set", "big.test", f"new{k}", "300", "A", addr],
                        ["zone-commit", "big.test"]):
                subprocess.run(knotc + cmd, check=True, stdout=subprocess.DEVNULL)
            while not answers(port, f"new{k}.big.test", v4_bytes(addr)):
                time.sleep(0.0005)
            if k >= warmup:
                record.append(time.monotonic() - t0)
            www = f"198.18.201.{k % 250 + 1}"
            t0 = time.monotonic()
            with open(c_path, "w") as f:
                f.write(small_zone_text("c.test", k + 2, www))
            subprocess.run(knotc + ["-b", "zone-reload", "c.test"], check=True, stdout=subprocess.DEVNULL)
            while not answers(port, "www.c.test", v4_bytes(www)):
                time.sleep(0.0005)
            if k >= warmup:
                zone.append(time.monotonic() - t0)
        return record, zone
    finally:
        s.stop()


def rest(method, url, body=None, content_type=None, timeout=600):
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            payload = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as e:
        payload, status = e.read().decode(), e.code
    return status, payload, time.monotonic() - t0


def isthmus_changes(args, work, big_path, reps, warmup):
    d = f"{work}/change-isthmus"
    os.makedirs(d, exist_ok=True)
    c_path = f"{d}/c.test.zone"
    with open(c_path, "w") as f:
        f.write(small_zone_text("c.test", 1))
    api = free_port()
    with open(f"{d}/isthmus.yml", "w") as f:
        f.write(f"""ports:
  - {{name: p0, device: net_null0, addresses: [198.18.0.53/24]}}
dns:
  exception-path: false
  zones:
    - {{origin: big.test, file: "{big_path}"}}
    - {{origin: c.test, file: "{c_path}"}}
api:
  listen: 127.0.0.1:{api}
journal:
  directory: {d}/journal
  restore: false
""")
    argv = [args.java] + args.jvm_flags.split() + ["-Disthmus.dataplane.enabled=false", "-cp", args.control_classpath,
                                                   "dev.isthmus.control.IsthmusMain", "--config", f"{d}/isthmus.yml"]
    s = Server("isthmus-appliance", argv, f"{d}/out.log")
    base = f"http://127.0.0.1:{api}"
    try:
        while True:
            if not s.alive() or time.monotonic() - s.started > args.timeout:
                log(f"  change isthmus: the appliance did not start (log {d}/out.log)")
                return None
            try:
                if rest("GET", base + "/dns/zones/c.test", timeout=2)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.2)
        log(f"  change isthmus: appliance (data plane off) serving its REST API after {time.monotonic() - s.started:.1f} s,"
            f" RSS {tree_rss_mb(s.proc.pid):.0f} MB")
        record, zone = [], []
        conn = http.client.HTTPConnection("127.0.0.1", api, timeout=600)  # kept alive: one connection for all

        def call(method, path, body, content_type):
            t0 = time.monotonic()
            conn.request(method, path, body, {"Content-Type": content_type})
            r = conn.getresponse()
            payload = r.read().decode()
            return r.status, payload, time.monotonic() - t0
        for k in range(warmup + reps):
            patch = json.dumps([{"op": "add", "name": f"new{k}", "type": "A", "ttl": 300,
                                 "data": f"198.18.200.{k % 250 + 1}"}])
            status, payload, t = call("PATCH", "/dns/zones/big.test", patch, "application/json")
            if status != 200:
                log(f"  change isthmus: PATCH answered {status}: {payload[:300]}")
                return None
            record.append(t)
            status, payload, t = call("PUT", "/dns/zones/c.test",
                                      small_zone_text("c.test", k + 2, f"198.18.201.{k % 250 + 1}"), "text/plain")
            if status != 200:
                log(f"  change isthmus: PUT answered {status}: {payload[:300]}")
                return None
            zone.append(t)
        conn.close()
        if warmup:
            log(f"  change isthmus: medians of the {warmup} warm-up changes: PATCH {fmt_ms(record[:warmup])},"
                f" PUT {fmt_ms(zone[:warmup])} (first: {record[0] * 1000:.1f} ms, {zone[0] * 1000:.1f} ms)")
        return record[warmup:], zone[warmup:]
    finally:
        s.stop()


def fmt_s(v):
    return "—" if v is None else f"{v:.2f} s"


def fmt_ms(values):
    return "—" if not values else f"{statistics.median(values) * 1000:.1f} ms"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.3f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--names", type=int, default=1_000_000, help="names in the big zone (each with A and AAAA)")
    p.add_argument("--zones", type=int, default=10_000, help="small zones (0 to skip that phase)")
    p.add_argument("--reps", type=int, default=3, help="changes of each kind (the median is printed)")
    p.add_argument("--warmup", type=int, default=20, help="changes of each kind made first, not timed")
    p.add_argument("--timeout", type=float, default=300, help="seconds a server may take to be ready")
    p.add_argument("--settle", type=float, default=6, help="seconds after ready of the second RSS reading")
    p.add_argument("--skip", default="", help="comma-separated phases to skip: big, small, change")
    p.add_argument("--servers", default="nsd,knot,isthmus", help="comma-separated: nsd, knot, isthmus")
    p.add_argument("--java", required=True)
    p.add_argument("--jvm-flags", default="", help="the appliance's JVM flags (./isthmus run)")
    p.add_argument("--dns-jvm-flags", required=True, help="the JVM flags ./isthmus dns starts KernelDnsMain with")
    p.add_argument("--dns-classpath", required=True)
    p.add_argument("--control-classpath", required=True)
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--lock-held", action="store_true",
                   help=f"the caller holds {LOCK} (flock ... bench-zone-scale.sh --lock-held): every server's phases"
                        " then run in that one hold, Isthmus's too")
    args = p.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    args.servers = [x for x in args.servers.split(",") if x]

    work = tempfile.mkdtemp(prefix="isthmus-zone-scale.")
    try:
        t0 = time.monotonic()
        big_path = f"{work}/big.test.zone"
        write_big_zone(big_path, args.names)
        log(f"zone-scale: big.test. with {args.names} names ({2 * args.names + 3} records,"
            f" {os.path.getsize(big_path) / 1e6:.1f} MB of master file), {args.zones} small zones;"
            f" generated in {time.monotonic() - t0:.1f} s")
        last = args.names - 1
        phases = []
        if "big" not in skip:
            phases.append(("big", [("big.test", big_path)],
                           lambda port: [(f"h{last}.big.test", v4_bytes(host_v4(last)), port)]))
        if args.zones > 0 and "small" not in skip:
            write_small_zones(f"{work}/small", args.zones)
            zones = [(f"s{i}.test", f"{work}/small/s{i}.test.zone") for i in range(args.zones)]
            sample = sorted({args.zones - 1, 0} | {random.Random(7).randrange(args.zones) for _ in range(20)},
                            reverse=True)
            phases.append(("small", zones,
                           lambda port: [(f"www.s{i}.test", v4_bytes("198.18.0.80"), port) for i in sample]))
        results = {label: {} for label, _, _ in phases}
        changes = {}
        # Isthmus first and unlocked; then NSD and Knot in one hold of the shared lock, kept short.
        if "isthmus" in args.servers:
            for label, zones, checks in phases:
                results[label]["isthmus"] = load_phase(args, work, label, "isthmus", zones, checks)
            if "change" not in skip:
                changes["isthmus"] = isthmus_changes(args, work, big_path, args.reps, args.warmup)
        others = [x for x in args.servers if x != "isthmus"]
        if others:
            with Locked(args.lock_held):
                for label, zones, checks in phases:
                    for server in others:
                        results[label][server] = load_phase(args, work, label, server, zones, checks)
                if "change" not in skip and "knot" in others:
                    changes["knot"] = knot_changes(args, work, big_path, args.reps, args.warmup)

        log("")
        log(f"| phase | server | ready after | resident memory | {args.settle:.0f} s after ready |")
        log(f"|---|---|---:|---:|---:|")
        for phase, label in (("big", f"{args.names} names"), ("small", f"{args.zones} small zones")):
            for server in [x for x in ("nsd", "knot", "isthmus") if x in results.get(phase, {})]:
                ready, mb, settled = results[phase][server]
                log(f"| {label} | {server} | {fmt_s(ready)} | {mb:.0f} MB | {settled:.0f} MB |")
        if changes:
            log("")
            log(f"| change (median of {args.reps}, after {args.warmup} untimed) | Knot | Isthmus |")
            log(f"|---|---:|---:|")
            k, i = changes.get("knot"), changes.get("isthmus")
            log(f"| one record added to big.test | {fmt_ms(k and k[0])} | {fmt_ms(i and i[0])} |")
            log(f"| small zone c.test replaced beside it | {fmt_ms(k and k[1])} | {fmt_ms(i and i[1])} |")
        log("")
        big = results.get("big", {})
        small = results.get("small", {})

        def get(d, server, idx):
            v = d.get(server)
            return None if v is None else v[idx]
        log(f"ratio_load={ratio(get(big, 'isthmus', 0), get(big, 'knot', 0))}")
        log(f"ratio_small_load={ratio(get(small, 'isthmus', 0), get(small, 'knot', 0))}")
        log(f"ratio_small_memory={ratio(get(small, 'isthmus', 1), get(small, 'knot', 1))}")
        log(f"ratio_small_memory_settled={ratio(get(small, 'isthmus', 2), get(small, 'knot', 2))}")
        k, i = changes.get("knot"), changes.get("isthmus")
        log(f"ratio_change={ratio(i and statistics.median(i[0]), k and statistics.median(k[0]))}")
        log(f"ratio_replace={ratio(i and statistics.median(i[1]), k and statistics.median(k[1]))}")
        log(f"ratio={ratio(get(big, 'isthmus', 1), get(big, 'knot', 1))}")
        log(f"zone-scale: done in {time.monotonic() - t0:.0f} s")
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
