"""Connection state for the differential test: RESET, CLIENT REPLY and CLIENT NO-EVICT.

RESET answers "RESET" and puts the connection back as new (database 0, replies on, no MULTI or
WATCH), which the rest of the sequence then sees. CLIENT REPLY OFF and SKIP silence replies, so
the driver's one reply per command would wait forever: with comparison kind "client_reply" it is
sent with an ECHO after it (the command SKIP silences), CLIENT REPLY ON and a closing ECHO, and
every reply read before the closing ECHO's is compared (run below)."""

import difflib_resp as resp

CLOSING = b"difflib:replies-end"


def client_reply(g):
    mode = g.rng.choice(["ON", "OFF", "SKIP", "SKIP", "FOO"])
    return ["CLIENT", g.word("REPLY"), g.word(mode)]


def run_client_reply(conn, argv):
    """The replies to argv and to an ECHO after it, as far as the server sends them."""
    follow = [["ECHO", "after"], ["CLIENT", "REPLY", "ON"], ["ECHO", CLOSING]]
    conn.sock.sendall(b"".join(resp.encode(command) for command in [argv] + follow))
    replies = []
    while True:
        reply = conn.read_reply()
        if reply == CLOSING:
            return replies
        replies.append(reply)


def commands(g):
    return [
        (1, lambda: (["RESET"], "exact")),
        (2, lambda: (client_reply(g), "client_reply")),
        (1, lambda: (["CLIENT", g.word("NO-EVICT"),
                      g.word(g.rng.choice(["ON", "OFF", "FOO"]))], "exact")),
    ]
