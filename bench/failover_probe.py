#!/usr/bin/env python3
"""The client side of bench/failover.sh: a small cluster-aware RESP client (standard library
only, so any python3 runs it) and the measurements built on it. Works the same against a
ringcache cluster and a Redis Cluster: both answer CLUSTER SLOTS, redirect with -MOVED and
count replicas with WAIT.

  failover_probe.py converged NODES --primaries N --replicas N [--timeout S]
  failover_probe.py primaries NODES
  failover_probe.py kill      NODES --victim HOST:PORT --out DIR [timing options]
  failover_probe.py isolated  --target HOST:PORT --cut-at EPOCH --seconds S --out DIR
  failover_probe.py readback  NODES --keys FILE
  failover_probe.py ping      NODES

NODES is host:port,host:port,... Each command prints one line of name=value figures (the
script reads them) and exits non-zero when what it waited for did not happen.
"""
import argparse
import os
import signal
import socket
import sys
import threading
import time

SLOTS = 16384
CONNECT_TIMEOUT_S = 1.0  # every socket operation is bounded: a dead or cut node costs 1 s at most


class Err(str):
    """An error reply (-MOVED ..., -CLUSTERDOWN ...), kept apart from status replies."""


class Conn:
    """One RESP2 connection; call() sends a command and returns its decoded reply."""

    def __init__(self, addr):
        self.sock = socket.create_connection(addr, timeout=CONNECT_TIMEOUT_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def call(self, *args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        request = b"*%d\r\n" % len(parts)
        for p in parts:
            request += b"$%d\r\n%s\r\n" % (len(p), p)
        self.sock.sendall(request)
        return self._reply()

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return Err(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise ConnectionError("unexpected reply type %r" % kind)


def parse_addr(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def show(addr):
    return "%s:%d" % addr


def crc16(data):
    """CRC-16/XMODEM (polynomial 0x1021, initial 0), the slot hash of the cluster key space."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tag_slot(tag):
    return crc16(tag.encode()) % SLOTS


def key_slot(key):
    """Keys here are always prefix{tag}suffix, so the tag alone gives the slot."""
    start = key.index("{") + 1
    return tag_slot(key[start:key.index("}", start)])


def slot_table(reply, asked):
    """CLUSTER SLOTS -> (owner of each slot, {primary: [replicas]})."""
    owner = [None] * SLOTS
    shards = {}
    for entry in reply:
        start, end, nodes = entry[0], entry[1], entry[2:]
        addrs = [((n[0].decode() or asked[0]), n[1]) for n in nodes]
        for slot in range(start, end + 1):
            owner[slot] = addrs[0]
        shards.setdefault(addrs[0], set()).update(addrs[1:])
    return owner, shards


class Router:
    """Sends a command to the owner of a slot, as a cluster client does: from CLUSTER SLOTS,
    corrected by -MOVED; a connection error drops that connection and rereads the map."""

    def __init__(self, seeds):
        self.known = list(seeds)
        self.owner = [None] * SLOTS
        self.conns = {}

    def conn(self, addr):
        if addr not in self.conns:
            self.conns[addr] = Conn(addr)
        return self.conns[addr]

    def drop(self, addr):
        conn = self.conns.pop(addr, None)
        if conn:
            conn.close()

    def refresh(self):
        """Reads CLUSTER SLOTS from the first node that answers; False when none does."""
        for addr in list(dict.fromkeys(self.known + [a for a in self.owner if a])):
            try:
                reply = self.conn(addr).call("CLUSTER", "SLOTS")
            except OSError:
                self.drop(addr)
                continue
            if isinstance(reply, list) and reply:
                self.owner, shards = slot_table(reply, addr)
                for a in list(shards) + [r for rs in shards.values() for r in rs]:
                    if a not in self.known:
                        self.known.append(a)
                return True
        return False

    def call(self, slot, *args):
        """(node that answered, reply); follows up to 3 -MOVED; raises OSError when the owner
        is unreachable (the connection is dropped first)."""
        addr, reply = None, None
        for _ in range(3):
            addr = self.owner[slot]
            if addr is None and not (self.refresh() and self.owner[slot]):
                raise ConnectionError("no owner known for slot %d" % slot)
            addr = self.owner[slot]
            try:
                reply = self.conn(addr).call(*args)
            except OSError:
                self.drop(addr)
                raise
            if isinstance(reply, Err) and reply.startswith("MOVED "):
                host, port = parse_addr(reply.split()[2])
                self.owner[slot] = (host or addr[0], port)
                continue
            return addr, reply
        return addr, reply


def tag_owned_by(owner, addr, prefix="t"):
    """A hash tag whose slot the node addr owns."""
    for i in range(100000):
        tag = "%s%d" % (prefix, i)
        if owner[tag_slot(tag)] == addr:
            return tag
    raise SystemExit("no slot owned by %s" % show(addr))


def info_fields(conn, section):
    text = conn.call("INFO", section)
    text = text.decode() if isinstance(text, bytes) else ""
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


# --- converged / primaries / ping --------------------------------------------------------------

def node_state(addr):
    """(cluster_state, role, link up?, this node's slot map as a comparable tuple)."""
    conn = Conn(addr)
    try:
        text = conn.call("CLUSTER", "INFO")
        state = dict(l.split(":", 1) for l in text.decode().splitlines() if ":" in l)
        repl = info_fields(conn, "replication")
        slots = conn.call("CLUSTER", "SLOTS")
        view = tuple(sorted((e[0], e[1], e[2][0].decode(), e[2][1]) for e in slots or []))
        return state.get("cluster_state"), repl.get("role"), \
            repl.get("master_link_status") == "up", view
    finally:
        conn.close()


def cmd_converged(args):
    """Waits until every node says cluster_state:ok, there are --primaries primaries and
    --replicas replicas per primary, every replica's link is up and every node has the same
    slot map; prints how long that took."""
    nodes = [parse_addr(a) for a in args.nodes.split(",")]
    start = time.monotonic()
    deadline = start + args.timeout
    last = "nothing asked yet"
    while True:
        try:
            states = [node_state(a) for a in nodes]
            masters = sum(1 for s in states if s[1] == "master")
            replicas = [s for s in states if s[1] == "slave"]
            views = {s[3] for s in states}
            owners = {v[2:] for view in views for v in view}
            problems = []
            if any(s[0] != "ok" for s in states):
                problems.append("cluster_state " + ",".join(str(s[0]) for s in states))
            if masters != args.primaries or len(replicas) != args.primaries * args.replicas:
                problems.append("%d primaries, %d replicas" % (masters, len(replicas)))
            if not all(s[2] for s in replicas):
                problems.append("a replica's link is down")
            if len(views) != 1 or len(owners) != args.primaries:
                problems.append("slot maps differ or name %d owners" % len(owners))
            if not problems:
                print("converged_s=%.2f" % (time.monotonic() - start))
                return 0
            last = "; ".join(problems)
        except (OSError, ValueError, AttributeError, TypeError) as e:
            last = "%s: %s" % (type(e).__name__, e)
        if time.monotonic() >= deadline:
            print("converged_s=none last_problem=%s" % last.replace(" ", "_"))
            return 1
        time.sleep(0.2)  # the poll interval


def cmd_primaries(args):
    """The nodes owning slots, as CLUSTER SLOTS names them, sorted; and each one's pid."""
    router = Router([parse_addr(a) for a in args.nodes.split(",")])
    if not router.refresh():
        raise SystemExit("no node answered CLUSTER SLOTS")
    for addr in sorted({a for a in router.owner if a}):
        pid = info_fields(router.conn(addr), "server").get("process_id")
        print(show(addr), pid)
    return 0


def cmd_ping(args):
    """PING on every node; prints each answer, fails unless all said PONG."""
    answers = []
    for text in args.nodes.split(","):
        try:
            conn = Conn(parse_addr(text))
            reply = conn.call("PING")
            conn.close()
        except OSError as e:
            reply = type(e).__name__
        answers.append("%s=%s" % (text, reply))
    print("ping " + " ".join(answers))
    return 0 if all(a.endswith("=PONG") for a in answers) else 1


# --- kill: the writers, the kill, the recovery time --------------------------------------------

class ShardWriter(threading.Thread):
    """Writes unique keys into one slot (so one shard) through the cluster, each SET followed by
    WAIT 1 wait_ms on the same connection, with poll_s between attempts. Records what was
    acknowledged and confirmed, and the run of successes the shard is in."""

    def __init__(self, seeds, tag, prefix, wait_ms, poll_s):
        super().__init__(daemon=True)
        self.router = Router(seeds)
        self.tag, self.slot = tag, tag_slot(tag)
        self.prefix, self.wait_ms, self.poll_s = prefix, wait_ms, poll_s
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.writes = []          # (key, value, confirmed) of every acknowledged SET
        self.attempts = 0
        self.failures = []        # (time of the failure, what the node said)
        self.streak_start = None  # when the current run of successful SETs began

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            key, value = "%s{%s}:%d" % (self.prefix, self.tag, n), "v%d" % n
            acked, confirmed, why = False, False, ""
            try:
                addr, reply = self.router.call(self.slot, "SET", key, value)
                acked = reply == "OK"
                why = str(reply)
                if acked:
                    waited = self.router.conn(addr).call("WAIT", 1, self.wait_ms)
                    confirmed = isinstance(waited, int) and waited >= 1
            except OSError as e:
                why = type(e).__name__
            now = time.monotonic()
            with self.lock:
                self.attempts += 1
                if acked:
                    self.writes.append((key, value, confirmed))
                    if self.streak_start is None:
                        self.streak_start = now
                else:
                    self.failures.append((now, why))
                    self.streak_start = None
            if not acked:
                self.router.refresh()
            time.sleep(self.poll_s)  # the poll interval: a light load, not a wait for anything


def cmd_kill(args):
    """Writes into every shard for --warmup seconds, kill -9s the victim (its pid from INFO),
    then polls until every shard has accepted every write for --settle seconds; reads back
    every acknowledged key through the cluster."""
    seeds = [parse_addr(a) for a in args.nodes.split(",")]
    victim = parse_addr(args.victim)
    router = Router(seeds)
    if not router.refresh():
        raise SystemExit("no node answered CLUSTER SLOTS")
    primaries = sorted({a for a in router.owner if a})
    if victim not in primaries:
        raise SystemExit("%s is not a primary: %s" % (args.victim, primaries))
    pid = int(info_fields(router.conn(victim), "server")["process_id"])
    writers = {p: ShardWriter(seeds, tag_owned_by(router.owner, p), args.prefix, args.wait_ms,
                              args.poll_ms / 1000) for p in primaries}
    for w in writers.values():
        w.start()
    time.sleep(args.warmup)  # the light load runs a while before the kill
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)

    def settled_since():
        """When every shard's current run of successes began (the kill at the earliest), or None
        while a shard is failing or the victim's shard has not failed yet."""
        starts = []
        for p, w in writers.items():
            with w.lock:
                if w.streak_start is None:
                    return None
                if p == victim and not any(t > killed_at for t, _ in w.failures):
                    return None
                starts.append(max(w.streak_start, killed_at))
        return max(starts)

    recovered = None
    while time.monotonic() < killed_at + args.timeout:
        since = settled_since()
        if since is not None and time.monotonic() - since >= args.settle:
            recovered = since
            break
        time.sleep(args.poll_ms / 1000)  # the poll interval
    for w in writers.values():
        w.stop.set()
    for w in writers.values():
        w.join()

    victim_writer = writers[victim]
    victim_back = victim_writer.streak_start
    others_failed = sum(1 for p, w in writers.items() if p != victim
                        for t, _ in w.failures if t > killed_at)
    reasons = sorted({why.split(" ")[0] for w in writers.values() for t, why in w.failures
                      if t > killed_at})
    os.makedirs(args.out, exist_ok=True)
    keys_file = os.path.join(args.out, "acked-keys")
    with open(keys_file, "w") as f:
        for w in writers.values():
            for key, value, confirmed in w.writes:
                f.write("%s %s %d\n" % (key, value, confirmed))
    with open(os.path.join(args.out, "failures"), "w") as f:
        for p, w in writers.items():
            for t, why in w.failures:
                f.write("%s %+.3f %s\n" % (show(p), t - killed_at, why))
    lost, lost_confirmed, acked, confirmed = readback(seeds, keys_file, args.out)
    print("recover_s=%s victim_shard_s=%s acked=%d confirmed=%d lost=%d confirmed_lost=%d "
          "other_shard_failures=%d pid=%d errors=%s" % (
              "%.2f" % (recovered - killed_at) if recovered else "none",
              "%.2f" % (victim_back - killed_at) if victim_back and recovered else "none",
              acked, confirmed, lost, lost_confirmed, others_failed, pid,
              ",".join(reasons) or "-"))
    return 0 if recovered else 1


# --- isolated: writes to one node, directly, during a partition -------------------------------

def first_write_accepted(addr, slot_tag, prefix, until, found):
    """SETs keys of slot_tag's slot straight to addr (a replica of the cut-off primary, on the
    majority's side) until it accepts one; puts that time in found[addr]."""
    conn, n = None, 0
    while time.time() < until:
        n += 1
        try:
            conn = conn or Conn(addr)
            if conn.call("SET", "%s{%s}:%d" % (prefix, slot_tag, n), "v%d" % n) == "OK":
                found[addr] = time.time()
                return
        except OSError:
            conn = None
        time.sleep(0.02)  # the poll interval


def cmd_isolated(args):
    """Writes unique keys of one of the target's own slots straight to the target (no
    redirects followed: a refusal is a refusal) for --seconds after --cut-at, each SET followed
    by WAIT 1 --wait-ms; counts what it acknowledged and confirmed. Meanwhile another thread
    writes the same slot to the target's replicas, which refuse (-MOVED) until one is promoted:
    the first write a replica accepts is when the majority's side took the shard over."""
    target = parse_addr(args.target)
    conn = Conn(target)
    owner, _ = slot_table(conn.call("CLUSTER", "SLOTS"), target)
    tag = tag_owned_by(owner, target)
    end = args.cut_at + args.seconds
    promoted = {}
    # The replicas as the primary lists them (slaveN:ip=...,port=...): Redis' CLUSTER SLOTS may
    # leave a replica out shortly after the cluster formed.
    replicas = [(fields["ip"], int(fields["port"])) for fields in
                (dict(kv.split("=", 1) for kv in value.split(","))
                 for name, value in info_fields(conn, "replication").items()
                 if name.startswith("slave") and name[5:].isdigit())]
    watchers = [threading.Thread(target=first_write_accepted, daemon=True,
                                 args=(r, tag, args.prefix + "majority:", end, promoted))
                for r in replicas]
    for w in watchers:
        w.start()
    n = acked = confirmed = 0
    last_ack = first_refusal = None
    refusal = "-"
    os.makedirs(args.out, exist_ok=True)
    keys_file = os.path.join(args.out, "acked-keys")
    with open(keys_file, "w") as keys:
        while time.time() < end:
            n += 1
            key, value = "%s{%s}:%d" % (args.prefix, tag, n), "v%d" % n
            try:
                if conn is None:
                    conn = Conn(target)
                reply = conn.call("SET", key, value)
                if reply == "OK":
                    acked += 1
                    last_ack = time.time()
                    waited = conn.call("WAIT", 1, args.wait_ms)
                    ok = isinstance(waited, int) and waited >= 1
                    confirmed += ok
                    keys.write("%s %s %d\n" % (key, value, ok))
                elif first_refusal is None:
                    first_refusal, refusal = time.time(), str(reply).split(" ")[0]
            except OSError as e:
                if conn:
                    conn.close()
                conn = None
                if first_refusal is None:
                    first_refusal, refusal = time.time(), type(e).__name__
            time.sleep(args.poll_ms / 1000)  # the poll interval
    for w in watchers:
        w.join()
    took_over = min(promoted.values()) if promoted else None
    print("attempts=%d acked=%d confirmed=%d last_ack_s=%s first_refusal_s=%s refusal=%s "
          "replica_took_over_s=%s overlap_s=%s" % (
              n, acked, confirmed,
              "%.2f" % (last_ack - args.cut_at) if last_ack else "none",
              "%.2f" % (first_refusal - args.cut_at) if first_refusal else "none", refusal,
              "%.2f" % (took_over - args.cut_at) if took_over else "none",
              # > 0: both the isolated primary and the promoted replica accepted writes
              "%.2f" % (last_ack - took_over) if took_over and last_ack else "none"))
    return 0


# --- readback --------------------------------------------------------------------------------

def readback(seeds, keys_file, out_dir):
    """GETs every key of keys_file (key value confirmed) through the cluster; returns
    (lost, confirmed lost, acknowledged, confirmed) and lists the lost keys in out_dir/lost."""
    router = Router(seeds)
    router.refresh()
    lost = lost_confirmed = acked = confirmed = 0
    with open(keys_file) as f, open(os.path.join(out_dir, "lost"), "w") as lost_file:
        for line in f:
            key, value, was_confirmed = line.split()
            was_confirmed = was_confirmed == "1"
            acked += 1
            confirmed += was_confirmed
            got = None
            for _ in range(3):  # a connection error rereads the map and tries again
                try:
                    _, got = router.call(key_slot(key), "GET", key)
                    break
                except OSError:
                    router.refresh()
            if got != value.encode():
                lost += 1
                lost_confirmed += was_confirmed
                lost_file.write("%s %s confirmed=%d got=%r\n" % (key, value, was_confirmed, got))
    return lost, lost_confirmed, acked, confirmed


def cmd_readback(args):
    seeds = [parse_addr(a) for a in args.nodes.split(",")]
    lost, lost_confirmed, acked, confirmed = readback(seeds, args.keys, args.out)
    print("survived=%d lost=%d confirmed_survived=%d confirmed_lost=%d" % (
        acked - lost, lost, confirmed - lost_confirmed, lost_confirmed))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("converged")
    p.add_argument("nodes")
    p.add_argument("--primaries", type=int, required=True)
    p.add_argument("--replicas", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(run=cmd_converged)
    p = sub.add_parser("primaries")
    p.add_argument("nodes")
    p.set_defaults(run=cmd_primaries)
    p = sub.add_parser("ping")
    p.add_argument("nodes")
    p.set_defaults(run=cmd_ping)
    p = sub.add_parser("kill")
    p.add_argument("nodes")
    p.add_argument("--victim", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", default="fo:")
    p.add_argument("--warmup", type=float, default=3)
    p.add_argument("--settle", type=float, default=3)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--wait-ms", type=int, default=100)
    p.add_argument("--poll-ms", type=int, default=20)
    p.set_defaults(run=cmd_kill)
    p = sub.add_parser("isolated")
    p.add_argument("--target", required=True)
    p.add_argument("--cut-at", type=float, required=True)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", default="iso:")
    p.add_argument("--wait-ms", type=int, default=50)
    p.add_argument("--poll-ms", type=int, default=20)
    p.set_defaults(run=cmd_isolated)
    p = sub.add_parser("readback")
    p.add_argument("nodes")
    p.add_argument("--keys", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_readback)
    args = parser.parse_args()
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
