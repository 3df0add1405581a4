"""tls-cluster against real ringcache-server processes: members announce their TLS ports, and the
keys a join moves travel over TLS connections between the nodes (mutual TLS with the test's own
CA). Every wait is a bounded poll; every node answers PING at the end."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402
import test_cluster  # noqa: E402
import test_tls  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

FORM_TIMEOUT_S = 60.0
KEYS = 500


class TlsClusterNode:
    def __init__(self, seeds, bus_port, certs):
        self.tls_port = procutil.free_port()
        self.server = procutil.Server([
            "--cluster-enabled", "yes", "--cluster-port", str(bus_port),
            "--cluster-node-timeout", str(test_cluster.NODE_TIMEOUT_MS), "--cluster-seeds", seeds,
            "--tls-cluster", "yes", "--tls-port", str(self.tls_port),
            "--tls-cert-file", os.path.join(certs, "server.crt"),
            "--tls-key-file", os.path.join(certs, "server.key"),
            "--tls-ca-cert-file", os.path.join(certs, "ca.crt")])
        self.port = self.server.port

    def plain(self):
        return redis.Redis(port=self.port, socket_timeout=5)


class TlsClusterTest(unittest.TestCase):

    def setUp(self):
        self.certs = tempfile.mkdtemp(prefix="ringcache-tls-")
        test_tls.make_ca("ca", self.certs)
        test_tls.make_key_and_request("server", "server", self.certs)
        test_tls.sign("server", "ca", test_tls.CERT_DAYS, self.certs)
        bus_ports = [procutil.free_udp_port() for _ in range(3)]
        self.seeds = ",".join("127.0.0.1:%d" % port for port in bus_ports[:2])
        self.spare_bus_port = bus_ports[2]
        self.nodes = [TlsClusterNode(self.seeds, port, self.certs) for port in bus_ports[:2]]
        for node in self.nodes:
            node.server.wait_ready()
        self.wait_ok(shards=2)

    def tearDown(self):
        for node in self.nodes:
            node.server.stop()
        shutil.rmtree(self.certs, ignore_errors=True)

    def wait_ok(self, shards):
        def all_ok():
            return all(procutil.cluster_info(node.port).get("cluster_state") == "ok" and
                       procutil.cluster_info(node.port).get("cluster_size") == str(shards)
                       for node in self.nodes)
        procutil.poll(all_ok, FORM_TIMEOUT_S, "cluster_state:ok with %d shards" % shards)

    def write(self, key, value):
        """SET on whichever node owns the key's slot, through the plain ports."""
        by_tls_port = {node.tls_port: node for node in self.nodes}
        try:
            return self.nodes[0].plain().set(key, value)
        except redis.exceptions.ResponseError as error:
            words = str(error).split()
            self.assertEqual(words[0], "MOVED", error)
            return by_tls_port[int(words[2].rsplit(":", 1)[1])].plain().set(key, value)

    def test_join_moves_keys_over_tls(self):
        # Redirections name TLS ports: clients of a tls-cluster are TLS clients.
        slots = self.nodes[0].plain().execute_command("CLUSTER", "SLOTS")
        self.assertEqual({entry[2][1] for entry in slots},
                         {node.tls_port for node in self.nodes})
        for i in range(KEYS):
            self.assertTrue(self.write("key:%d" % i, "value:%d" % i))
        newcomer = TlsClusterNode(self.seeds, self.spare_bus_port, self.certs)
        self.nodes.append(newcomer)
        newcomer.server.wait_ready()
        self.wait_ok(shards=3)
        procutil.poll(lambda: newcomer.plain().info("cluster")
                      ["cluster_migrations_in_flight"] == 0, FORM_TIMEOUT_S, "the moves end")
        moved = newcomer.plain().dbsize()
        self.assertGreater(moved, KEYS // 8)
        self.assertEqual(sum(node.plain().dbsize() for node in self.nodes), KEYS)
        for node in self.nodes:  # no TLS connection between the nodes was refused
            self.assertNotIn("Error accepting a client connection", node.server.stdout())
            self.assertNotIn("Error connecting to", node.server.stdout())


if __name__ == "__main__":
    unittest.main()
