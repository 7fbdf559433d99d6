"""Identifiers that look like Divio's: 26 lowercase base32 characters, drawn from a seeded RNG.

Real Divio ids are not RFC-4122 UUIDs (api-notes §3), so the sandbox must not hand out any: a
client that parses ids as UUIDs should fail here exactly as it would against the real API.
Drawing from a seeded ``random.Random`` (never ``uuid4``) keeps every run of one seed identical.
"""

import random

_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
#: Every 10-bit value as two base32 characters: 13 lookups encode one id, twice as fast as
#: ``base64.b32encode`` (which matters when seeding 50 000 backups).
_PAIRS = [_ALPHABET[i >> 5] + _ALPHABET[i & 31] for i in range(1024)]
_SHIFTS = tuple(range(120, -1, -10))


def new_id(rng: random.Random) -> str:
    """Return a 26-character lowercase base32 id: 128 random bits, encoded as base32 would.

    Like ``base64.b32encode`` of 16 bytes (padding stripped, lower-cased), the last character
    carries only 3 bits, so it is one of ``aeimquy4``, as in the real examples.
    """
    bits = rng.getrandbits(128) << 2
    return "".join([_PAIRS[(bits >> shift) & 1023] for shift in _SHIFTS])


def new_token(rng: random.Random) -> str:
    """Return a 40-hex-digit API token, the shape of Django REST Framework's token keys."""
    return f"{rng.getrandbits(160):040x}"
