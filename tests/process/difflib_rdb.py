"""DUMP payloads for the differential test: building small ones (RESTORE of values neither server
dumped, and of damaged payloads whose checksum is still right), and taking out of a payload what
may differ between two servers holding the same value.

A payload is an RDB-serialised value: type byte, body, RDB version (2 bytes, little-endian) and
CRC-64 (8 bytes, little-endian) of all that precedes it. Two servers holding the same value dump
the same bytes, except for
  sets and hashes in a hash table (RDB types 2 and 4): the elements come in the table's order,
    which even two redis-servers do not share (the hash seed is random), and so does the CRC;
  streams (type 19, Redis 7.0's STREAM_LISTPACKS_2): each consumer's seen-time and each pending
    entry's delivery time are clock readings in milliseconds.
normalised() takes exactly those out, so everything else is still compared byte for byte."""

import struct

RDB_VERSION = 10  # Redis 7.0's; a payload of a later version is refused
TYPE_STRING, TYPE_SET, TYPE_ZSET_2, TYPE_HASH, TYPE_STREAM = 0, 2, 5, 4, 19
UNORDERED_TYPES = {TYPE_SET: 1, TYPE_HASH: 2}  # RDB type: strings per element

_CRC64_POLY = 0x95AC9329AC4BC9B5  # Jones' polynomial, reflected (Redis' crc64.c)


def _crc64_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _CRC64_POLY if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64_TABLE = _crc64_table()


def crc64(data):
    crc = 0
    for byte in data:
        crc = _CRC64_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


# --- building -----------------------------------------------------------------------------------

def length(n):
    """RDB's length encoding: 6, 14 or 32 bits."""
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return bytes([0x40 | n >> 8, n & 0xFF])
    return b"\x80" + struct.pack(">I", n)


def string(data):
    """An RDB string, stored raw (RESTORE takes it whether or not a DUMP would have compressed it
    or stored it as an integer)."""
    data = data if isinstance(data, bytes) else data.encode()
    return length(len(data)) + data


def int_string(n):
    """An RDB string stored as an 8, 16 or 32-bit integer, as DUMP stores "42"."""
    for code, fmt in ((0xC0, "<b"), (0xC1, "<h"), (0xC2, "<i")):
        try:
            return bytes([code]) + struct.pack(fmt, n)
        except struct.error:
            continue
    raise ValueError("%d needs more than 32 bits" % n)


def binary_double(x):
    return struct.pack("<d", x)


def payload(rdb_type, body, version=RDB_VERSION):
    """A payload with a right checksum, whatever its body holds."""
    data = bytes([rdb_type]) + body + struct.pack("<H", version)
    return data + struct.pack("<Q", crc64(data))


# --- reading ------------------------------------------------------------------------------------

class Reader:
    """Walks an RDB body; a payload that does not parse raises IndexError or ValueError."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if self.at + n > len(self.data):
            raise IndexError("payload ends early")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def length(self):
        """(value, special): special is the encoding code of an integer or LZF string."""
        first = self.take(1)[0]
        kind, low = first >> 6, first & 0x3F
        if kind == 0:
            return low, None
        if kind == 1:
            return low << 8 | self.take(1)[0], None
        if kind == 3:
            return None, low
        if first == 0x80:
            return struct.unpack(">I", self.take(4))[0], None
        if first == 0x81:
            return struct.unpack(">Q", self.take(8))[0], None
        raise ValueError("bad length byte %#x" % first)

    def string(self):
        """An RDB string as stored (raw, integer or LZF bytes): equal values store alike."""
        start = self.at
        n, special = self.length()
        if special is None:
            self.take(n)
        elif special in (0, 1, 2):
            self.take(1 << special)
        elif special == 3:  # LZF: compressed length, original length, compressed bytes
            compressed, _ = self.length()
            self.length()
            self.take(compressed)
        else:
            raise ValueError("bad string encoding %d" % special)
        return self.data[start:self.at]

    def done(self):
        return self.at == len(self.data)


def unordered_elements(reader, width):
    """The elements of a type 2 or 4 body as a sorted list (tuples of `width` strings)."""
    count, _ = reader.length()
    return sorted(tuple(reader.string() for _ in range(width)) for _ in range(count))


def stream_clock_fields(reader):
    """The offsets of the clock readings in a type 19 body (Redis 7.0's rdbSaveObject order)."""
    nodes, _ = reader.length()
    for _ in range(nodes):
        reader.string()  # master ID
        reader.string()  # listpack
    for _ in range(8):  # length, last ID, first ID, max deleted ID, entries added
        reader.length()
    clocks = []
    groups, _ = reader.length()
    for _ in range(groups):
        reader.string()
        for _ in range(3):  # last delivered ID, entries read
            reader.length()
        pending, _ = reader.length()
        for _ in range(pending):
            reader.take(16)  # ID
            clocks.append(reader.at)
            reader.take(8)  # delivery time
            reader.length()  # delivery count
        consumers, _ = reader.length()
        for _ in range(consumers):
            reader.string()
            clocks.append(reader.at)
            reader.take(8)  # seen time
            owned, _ = reader.length()
            reader.take(16 * owned)
    return clocks


def normalised(data):
    """What must be equal in two servers' DUMP of the same value: the payload itself, or for an
    unordered set or hash, its type, version and sorted elements; for a stream, the payload with
    its clock readings zeroed and without the checksum. A payload that does not parse as
    expected is returned whole (and so compared byte for byte)."""
    if not isinstance(data, bytes) or len(data) < 11:
        return data
    rdb_type, body, version = data[0], data[1:-10], data[-10:-8]
    reader = Reader(body)
    try:
        if rdb_type in UNORDERED_TYPES:
            elements = unordered_elements(reader, UNORDERED_TYPES[rdb_type])
            return ("unordered", rdb_type, version, elements) if reader.done() else data
        if rdb_type == TYPE_STREAM:
            clocks = stream_clock_fields(reader)
            if not reader.done():
                return data
            masked = bytearray(body)
            for at in clocks:
                masked[at:at + 8] = bytes(8)
            return ("stream", bytes(masked), version)
    except (IndexError, ValueError):
        pass
    return data
