"""Scripts for the differential test: EVAL of small scripts over the shared key space (reads,
writes, errors raised by redis.call or returned by redis.pcall, the Lua <-> RESP conversions,
cjson, sha1hex, struct with formats and data drawn from the values, undeclared globals, syntax
errors), EVALSHA of scripts loaded or not, SCRIPT EXISTS, and EVAL's own argument errors. Every
reply is compared exactly: error texts name the script by its SHA-1 and line, which both servers
compute alike."""

SCRIPTS = [
    ("return redis.call('get', KEYS[1])", 1, 0),
    ("return redis.call('set', KEYS[1], ARGV[1])", 1, 1),
    ("return redis.call('incr', KEYS[1])", 1, 0),
    ("return redis.pcall('incr', KEYS[1])", 1, 0),
    ("return redis.call('append', KEYS[1], ARGV[1])", 1, 1),
    ("return redis.call('lrange', KEYS[1], 0, -1)", 1, 0),
    ("return redis.call('hset', KEYS[1], ARGV[1], ARGV[2])", 1, 2),
    ("return {redis.call('exists', KEYS[1]), redis.call('type', KEYS[1])}", 1, 0),
    ("local v = redis.call('get', KEYS[1]) if v then return {v, #v} end return v", 1, 0),
    ("redis.call('del', KEYS[1]) return redis.call('rpush', KEYS[1], ARGV[1], ARGV[2])", 1, 2),
    ("return {1, 2.5, 'x', true, false, nil, 3}", 0, 0),
    ("return {ok = ARGV[1]}", 0, 1),
    ("return redis.error_reply(ARGV[1])", 0, 1),
    ("return cjson.encode({ARGV[1], tonumber(ARGV[2])})", 0, 2),
    ("return redis.sha1hex(ARGV[1])", 0, 1),
    ("return tostring(tonumber(ARGV[1]))", 0, 1),
    ("return undeclared", 0, 0),
    ("return +", 0, 0),
    ("return redis.call('nosuchcommand')", 0, 0),
    ("return redis.call('set', KEYS[1])", 1, 0),
    ("return struct.pack(ARGV[1], tonumber(ARGV[2]) or ARGV[2])", 0, 2),
    ("local t = {struct.unpack(ARGV[1], ARGV[2])} "
     "for i = 1, #t do t[i] = tostring(t[i]) end return t", 0, 2),
    ("return struct.size(ARGV[1])", 0, 1),
    ("local s = struct.pack('>!4 b i3 h d s c0', tonumber(ARGV[1]) or 0, "
     "tonumber(ARGV[2]) or 0, 7, 2.5, ARGV[1], ARGV[2]) "
     "local t = {struct.unpack('>!4 b i3 h d s', s)} "
     "for i = 1, #t do t[i] = tostring(t[i]) end return {s, t}", 0, 2),
]
NEVER_LOADED = "0123456789abcdef0123456789abcdef01234567"


def eval_command(g):
    script, keys, args = g.rng.choice(SCRIPTS)
    argv = ["EVAL", script, str(keys)] + [g.key() for _ in range(keys)]
    return argv + [g.value() for _ in range(args)]


def numkeys_error(g):
    return ["EVAL", "return 1", g.rng.choice(["-1", "2", "x", "99999999999999999999"]), g.key()]


def commands(g):
    return [
        (6, lambda: (eval_command(g), "exact")),
        (1, lambda: (["EVALSHA", NEVER_LOADED, "0"], "exact")),
        (1, lambda: (["SCRIPT", "EXISTS", NEVER_LOADED], "exact")),
        (1, lambda: (numkeys_error(g), "exact")),
    ]
