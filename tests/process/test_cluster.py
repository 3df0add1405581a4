"""A ringcache cluster of real processes on loopback: three ringcache-server nodes form a cluster
from one seed list; redis-cli -c and python3-redis' RedisCluster write and read thousands of keys;
every node gives the same CLUSTER SLOTS/SHARDS/NODES; redis-cli --cluster check passes; after
kill -9 of one node the others keep serving their slots and the cluster is ok again once the
failure is declared (the dead shard's slots pass to the others, empty); while a client keeps
writing, a fourth node joins and about a quarter of the keys stream to it, then a node leaves
with CLUSTER LEAVE and hands its keys over, and no acknowledged write is lost. Every wait is a
bounded poll."""

import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402
from redis.cluster import RedisCluster  # noqa: E402

NODE_TIMEOUT_MS = 1000
FORM_TIMEOUT_S = 60.0
KEYS = 3000
SLOTS = 16384


def node_table(port):
    """CLUSTER NODES as {id: (address, slot ranges)}: what every node must agree on."""
    code, text, err = procutil.run_cli(port, "cluster", "nodes")
    assert code == 0, err
    table = {}
    for line in text.splitlines():
        fields = line.split(" ")
        if len(fields) > 8:
            table[fields[0]] = (fields[1], tuple(fields[8:]))
    return table


class ClusterNode:
    def __init__(self, seeds, bus_port):
        self.bus_port = bus_port
        self.server = procutil.Server([
            "--cluster-enabled", "yes", "--cluster-port", str(bus_port),
            "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--cluster-seeds", seeds
        ])
        self.port = self.server.port

    def info(self):
        return procutil.cluster_info(self.port)

    def command(self, *args):
        return redis.Redis(port=self.port, socket_timeout=5).execute_command(*args)


class ClusterTest(unittest.TestCase):

    def setUp(self):
        bus_ports = [procutil.free_udp_port() for _ in range(4)]
        self.seeds = ",".join("127.0.0.1:%d" % port for port in bus_ports[:3])
        self.spare_bus_port = bus_ports[3]
        self.nodes = [ClusterNode(self.seeds, bus_ports[i]) for i in range(3)]
        for node in self.nodes:
            node.server.wait_ready()
        self.wait_ok(self.nodes, shards=3)

    def tearDown(self):
        # stop() also fails the test when a node the test did not end stopped answering PING.
        for node in self.nodes:
            node.server.stop()

    def wait_ok(self, nodes, shards):
        def all_ok():
            for node in nodes:
                info = node.info()
                if info.get("cluster_state") != "ok" or info.get("cluster_size") != str(shards):
                    return False
            return True

        procutil.poll(all_ok, FORM_TIMEOUT_S, "cluster_state:ok with %d shards" % shards)

    def client(self, node):
        return RedisCluster(host="127.0.0.1", port=node.port, socket_timeout=5)

    def assert_all_ping(self, nodes):
        for node in nodes:
            self.assertIsNone(node.server.process.poll(), "node on %d died" % node.port)
            self.assertTrue(procutil.ping(node.port), "node on %d does not answer" % node.port)

    def test_redis_cli_follows_redirects(self):
        code, out, err = procutil.run_cli(self.nodes[0].port, "-c", "set", "foo", "bar")
        self.assertEqual((code, out.strip()), (0, "OK"), err)
        for node in self.nodes[1:]:
            code, out, err = procutil.run_cli(node.port, "-c", "get", "foo")
            self.assertEqual((code, out.strip()), (0, "bar"), err)
        # Without -c the node that does not own the slot redirects.
        owner = [n for n in self.nodes if n.command("CLUSTER", "COUNTKEYSINSLOT", 12182) == 1]
        self.assertEqual(len(owner), 1)
        other = [n for n in self.nodes if n is not owner[0]][0]
        _, out, _ = procutil.run_cli(other.port, "get", "foo")
        self.assertIn("MOVED 12182 127.0.0.1:%d" % owner[0].port, out)
        self.assert_all_ping(self.nodes)

    def test_cluster_client_writes_and_reads_thousands_of_keys(self):
        client = self.client(self.nodes[1])
        for i in range(KEYS):
            client.set("key:%d" % i, "value:%d" % i)
        for i in range(KEYS):
            self.assertEqual(client.get("key:%d" % i), b"value:%d" % i)
        per_node = [node.command("DBSIZE") for node in self.nodes]
        self.assertEqual(sum(per_node), KEYS)
        for count in per_node:  # the ring spreads keys over every shard
            self.assertGreater(count, KEYS // 6, per_node)
        self.assert_all_ping(self.nodes)

    def test_scripts_keep_to_this_node_and_to_one_slot_unless_allowed(self):
        node = self.nodes[0]
        owned = set()
        for start, end, primary, *_ in node.command("CLUSTER", "SLOTS"):
            if primary[1] == node.port:
                owned.update(range(start, end + 1))
        here, elsewhere = [], None
        for i in range(10000):
            key = "script:%d" % i
            slot = node.command("CLUSTER", "KEYSLOT", key)
            if slot in owned and all(node.command("CLUSTER", "KEYSLOT", k) != slot for k in here):
                here.append(key)
            elif slot not in owned and elsewhere is None:
                elsewhere = key
            if len(here) == 2 and elsewhere:
                break
        two_sets = "redis.call('set', KEYS[1], 'a') return redis.call('set', ARGV[1], 'b')"
        # A script with a shebang, or a function, keeps to the slot of its keys ...
        with self.assertRaisesRegex(redis.ResponseError,
                                    "Script attempted to access keys that do not hash to the "
                                    "same slot"):
            node.command("EVAL", "#!lua\n" + two_sets, 1, here[0], here[1])
        # ... unless it says it may cross them; an EVAL without a shebang may, as in Redis.
        self.assertEqual(node.command("EVAL", "#!lua flags=allow-cross-slot-keys\n" + two_sets,
                                      1, here[0], here[1]), b"OK")
        self.assertEqual(node.command("EVAL", two_sets, 1, here[0], here[1]), b"OK")
        # No script reaches a key another node serves.
        with self.assertRaisesRegex(redis.ResponseError,
                                    "Script attempted to access a non local key in a cluster "
                                    "node script"):
            node.command("EVAL", "return redis.call('get', ARGV[1])", 0, elsewhere)
        self.assert_all_ping(self.nodes)

    def test_every_node_gives_the_same_topology_and_cli_check_passes(self):
        slots = [node.command("CLUSTER", "SLOTS") for node in self.nodes]
        shards = [node.command("CLUSTER", "SHARDS") for node in self.nodes]
        tables = [node_table(node.port) for node in self.nodes]
        for i in range(1, 3):
            self.assertEqual(slots[i], slots[0])
            self.assertEqual(shards[i], shards[0])
            self.assertEqual(tables[i], tables[0])
        covered = sum(end - start + 1 for start, end, *_ in slots[0])
        self.assertEqual(covered, SLOTS)
        result = subprocess.run(
            ["redis-cli", "--cluster", "check", "127.0.0.1:%d" % self.nodes[0].port],
            capture_output=True, timeout=60)
        out = result.stdout.decode(errors="replace")
        self.assertEqual(result.returncode, 0, out + result.stderr.decode(errors="replace"))
        self.assertIn("[OK] All nodes agree about slots configuration.", out)
        self.assertIn("[OK] All 16384 slots covered.", out)
        self.assert_all_ping(self.nodes)

    def test_killed_node_loses_its_keys_and_the_others_keep_serving(self):
        client = self.client(self.nodes[0])
        for i in range(KEYS):
            client.set("key:%d" % i, i)
        victim = self.nodes[2]
        victim_keys = {k.decode() for k in victim.command("KEYS", "*")}
        self.assertTrue(victim_keys)
        victim.server.signal(signal.SIGKILL)
        self.assertEqual(victim.server.wait_exit(), -signal.SIGKILL)
        survivors = self.nodes[:2]
        # Right away, before the failure is declared, the survivors' own keys are served.
        for node in survivors:
            for key in node.command("KEYS", "*")[:50]:
                self.assertIsNotNone(node.command("GET", key))
        self.wait_ok(survivors, shards=2)
        client = self.client(self.nodes[0])
        lost = 0
        for i in range(KEYS):
            value = client.get("key:%d" % i)
            if "key:%d" % i in victim_keys:
                self.assertIsNone(value)  # its slots passed on, empty
                lost += 1
            else:
                self.assertEqual(value, b"%d" % i)
        self.assertEqual(lost, len(victim_keys))
        client.set("after", "failover")
        self.assertEqual(client.get("after"), b"failover")
        self.assert_all_ping(survivors)

    def start_writer(self):
        """A thread writing w:0..w:399 over and over, following MOVED and ASK itself (redis-py's
        RedisCluster cannot follow an ASK to a node that serves no slot yet, as a joiner).
        Returns (stop event, thread, acknowledged {key: value}, uncertain {key: value}, counts):
        a write that raised may or may not have happened."""
        stop = threading.Event()
        acked, uncertain, counts = {}, {}, {"ok": 0, "failed": 0}
        connections, routes = {}, {}

        def routed_set(key, value):
            # Nodes learn a new configuration a moment apart: meanwhile two of them may send a
            # key back and forth, so redirects are followed for a bounded time, not a count.
            port, asking = routes.get(key, self.nodes[0].port), False
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline:
                if port not in connections:
                    connections[port] = redis.Redis(port=port, socket_timeout=5,
                                                    single_connection_client=True)
                conn = connections[port]
                try:
                    if asking:
                        conn.execute_command("ASKING")
                    conn.execute_command("SET", key, value)
                    if not asking:
                        routes[key] = port
                    return
                except redis.ResponseError as error:
                    word, _, rest = str(error).partition(" ")
                    if word not in ("MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN"):
                        raise
                    if word == "CLUSTERDOWN":
                        # A node that voted for a configuration change serves again once it
                        # holds it (a moment later): cluster clients retry, as redis-py does.
                        time.sleep(0.02)
                    elif word != "TRYAGAIN":
                        port, asking = int(rest.rsplit(":", 1)[1]), word == "ASK"
            raise redis.RedisError("%s: too many redirects" % key)

        def write():
            i = 0
            while not stop.is_set():
                key = "w:%d" % (i % 400)
                try:
                    routed_set(key, i)
                    acked[key] = i
                    uncertain.pop(key, None)
                    counts["ok"] += 1
                except redis.RedisError as error:
                    uncertain[key] = i
                    counts["failed"] += 1
                    counts["error"] = str(error)
                i += 1

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        return stop, thread, acked, uncertain, counts

    def assert_no_write_lost(self, client, base_keys, acked, uncertain, writing):
        """Every key reads back its last acknowledged value (or a write that raised). While the
        writer still runs, a key may already hold a later value: each key's values only grow."""
        for i in range(base_keys):
            self.assertEqual(client.get("key:%d" % i), b"value:%d" % i, "key:%d" % i)
        self.assertGreater(len(acked), 0)
        for key, value in list(acked.items()):
            read = client.get(key)
            self.assertIsNotNone(read, key)
            if writing:
                self.assertGreaterEqual(int(read), value, key)
            else:
                self.assertIn(int(read), {value, uncertain.get(key, value)}, key)

    def test_nodes_join_and_leave_while_writing_and_no_key_is_lost(self):
        client = self.client(self.nodes[0])
        for i in range(KEYS):
            client.set("key:%d" % i, "value:%d" % i)
        stop, thread, acked, uncertain, counts = self.start_writer()
        procutil.poll(lambda: len(acked) >= 100, 30.0, "the writer writes")
        before_join = counts["ok"]

        newcomer = ClusterNode(self.seeds, self.spare_bus_port)
        self.nodes.append(newcomer)
        newcomer.server.wait_ready()
        self.wait_ok(self.nodes, shards=4)
        # About a quarter of the keys moved to the newcomer, and every node agrees on the map.
        moved = newcomer.command("DBSIZE")
        self.assertGreater(moved, KEYS // 8)
        self.assertLess(moved, KEYS // 2 + 400)
        info = newcomer.command("INFO", "cluster")
        self.assertGreater(info["cluster_migration_keys_received"], KEYS // 8)
        self.assertEqual(info["cluster_migrations_in_flight"], 0)
        tables = [node_table(node.port) for node in self.nodes]
        for table in tables[1:]:
            self.assertEqual(table, tables[0])
        self.assert_no_write_lost(self.client(self.nodes[2]), KEYS, acked, uncertain, True)
        self.assertGreater(counts["ok"], before_join)  # writes went on during the move
        before_leave = counts["ok"]

        leaver = self.nodes[1]
        leaver_id = leaver.command("CLUSTER", "MYID").decode()
        self.assertGreater(leaver.command("DBSIZE"), 0)
        self.assertEqual(leaver.command("CLUSTER", "LEAVE"), b"OK")
        stayers = [n for n in self.nodes if n is not leaver]
        self.wait_ok(stayers, shards=3)
        procutil.poll(lambda: all(leaver_id not in node_table(n.port) for n in stayers),
                      FORM_TIMEOUT_S, "the leaver removed everywhere")
        stop.set()
        thread.join(10)
        self.assertFalse(thread.is_alive())
        self.assertGreater(counts["ok"], before_leave)
        self.assertEqual(counts["failed"], 0, counts.get("error"))
        self.assertEqual(leaver.command("DBSIZE"), 0)  # every key handed over
        self.assert_no_write_lost(self.client(stayers[0]), KEYS, acked, uncertain, False)
        total = sum(n.command("DBSIZE") for n in stayers)
        self.assertGreaterEqual(total, KEYS + len(acked))
        self.assertLessEqual(total, KEYS + 400)
        self.assert_all_ping(self.nodes)


if __name__ == "__main__":
    unittest.main()
