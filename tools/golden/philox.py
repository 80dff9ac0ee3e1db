"""Pure-Python reference of clgrad's random-number specification.

Block function: Philox4x32-10 (counter of four 32-bit words, key of two).
Value mapping (a draw with ``seed`` and ``offset``): group ``j`` of the draw runs
the block on counter ``(lo32(g), hi32(g), 0, 0)`` with ``g = offset + j`` and key
``(lo32(seed), hi32(seed))``, and its four output words give

* UNIFORM float32: elements 4j..4j+3, ``(word[w] >> 8) * 2**-24``;
* UNIFORM float64: elements 2j, 2j+1, ``(((word[2h+1] << 32) | word[2h]) >> 11) * 2**-53``;
* NORMAL (float32 / float64): elements 4j..4j+3 as two Box-Muller pairs,
  ``u1 = (word[2h] + 1) * 2**-32``, ``u2 = word[2h+1] * 2**-32``,
  ``r = sqrt(-2 ln u1)``, ``t = 2 pi u2``, elements ``r cos t`` and ``r sin t``,
  computed in double precision and then rounded to the dtype.

A draw of ``n`` elements consumes ``ceil(n / 2)`` groups for UNIFORM float64 and
``ceil(n / 4)`` otherwise.  :class:`Generator` mirrors clgrad's global generator:
``manual_seed(s)`` sets ``(seed, offset) = (s, 0)`` and each draw starts at the
current offset and then advances it by the groups it consumed.

Usable without torch; :func:`rand` / :func:`randn` (which build torch tensors)
import torch lazily.
"""

import math
import struct

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF

M0 = 0xD2511F53
M1 = 0xCD9E8D57
W0 = 0x9E3779B9
W1 = 0xBB67AE85

UNIFORM = "uniform"
NORMAL = "normal"
FLOAT32 = "float32"
FLOAT64 = "float64"

TWO_POW_M24 = 2.0 ** -24
TWO_POW_M32 = 2.0 ** -32
TWO_POW_M53 = 2.0 ** -53


def block(counter, key):
    """Philox4x32-10 of ``counter`` (4 ints) under ``key`` (2 ints) -> list of 4 ints."""
    c0, c1, c2, c3 = (w & MASK32 for w in counter)
    k0, k1 = (w & MASK32 for w in key)
    for _ in range(10):
        p0 = M0 * c0
        p1 = M1 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0,
                          p1 & MASK32,
                          (p0 >> 32) ^ c3 ^ k1,
                          p0 & MASK32)
        k0 = (k0 + W0) & MASK32
        k1 = (k1 + W1) & MASK32
    return [c0, c1, c2, c3]


# Known answers from the Random123 distribution (philox4x32, 10 rounds).
KAT = [
    ((0x00000000, 0x00000000, 0x00000000, 0x00000000), (0x00000000, 0x00000000),
     (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
    ((0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), (0xffffffff, 0xffffffff),
     (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
    ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
     (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
]


def check_kat():
    for ctr, key, expected in KAT:
        got = tuple(block(ctr, key))
        assert got == expected, "Philox KAT failed: %s %s -> %s, expected %s" % (
            [hex(v) for v in ctr], [hex(v) for v in key],
            [hex(v) for v in got], [hex(v) for v in expected])


check_kat()


def round_to_float32(x):
    """Round a Python float (double) to the nearest float32, returned as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def per_group(op, dtype):
    return 2 if (op == UNIFORM and dtype == FLOAT64) else 4


def groups(op, dtype, n):
    """Counter groups a draw of ``n`` elements consumes."""
    k = per_group(op, dtype)
    return (n + k - 1) // k


def group_values(op, dtype, word):
    """The values one group's four words give (2 for UNIFORM float64, else 4)."""
    if op == UNIFORM:
        if dtype == FLOAT64:
            out = []
            for h in range(2):
                bits = (word[2 * h + 1] << 32) | word[2 * h]
                out.append((bits >> 11) * TWO_POW_M53)
            return out
        return [(w >> 8) * TWO_POW_M24 for w in word]
    if op != NORMAL:
        raise ValueError("unknown op %r" % (op,))
    out = []
    for h in range(2):
        u1 = (word[2 * h] + 1) * TWO_POW_M32
        u2 = word[2 * h + 1] * TWO_POW_M32
        r = math.sqrt(-2.0 * math.log(u1))
        t = 2.0 * math.pi * u2
        a = r * math.cos(t)
        b = r * math.sin(t)
        if dtype == FLOAT32:
            a = round_to_float32(a)
            b = round_to_float32(b)
        out.extend([a, b])
    return out


def draw(op, dtype, seed, offset, n):
    """The ``n`` values (Python floats, already rounded to ``dtype``) of one draw."""
    seed &= MASK64
    key = (seed & MASK32, seed >> 32)
    k = per_group(op, dtype)
    vals = []
    for j in range(groups(op, dtype, n)):
        g = (offset + j) & MASK64
        word = block((g & MASK32, g >> 32, 0, 0), key)
        vals.extend(group_values(op, dtype, word))
    return vals[:n]


class Generator:
    """clgrad's global generator: a (seed, offset) pair."""

    def __init__(self, seed=0):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self.seed = seed & MASK64
        self.offset = 0
        return self

    def next_values(self, op, dtype, n):
        vals = draw(op, dtype, self.seed, self.offset, n)
        self.offset += groups(op, dtype, n)
        return vals


default_generator = Generator(0)


def clgrad_manual_seed(seed):
    """Like torch.manual_seed, on clgrad's global generator."""
    default_generator.manual_seed(seed)
    return default_generator


def _numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def _tensor(op, size, dtype, generator):
    import torch
    shape = _shape(size)
    gen = generator if generator is not None else default_generator
    vals = gen.next_values(op, dtype, _numel(shape))
    tdtype = torch.float64 if dtype == FLOAT64 else torch.float32
    return torch.tensor(vals, dtype=torch.float64).to(tdtype).reshape(shape)


def rand(*size, dtype=FLOAT32, generator=None):
    """clgrad's torch.rand twin: a torch tensor of uniform values from the spec."""
    return _tensor(UNIFORM, size, dtype, generator)


def randn(*size, dtype=FLOAT32, generator=None):
    """clgrad's torch.randn twin: a torch tensor of normal values from the spec."""
    return _tensor(NORMAL, size, dtype, generator)


if __name__ == "__main__":
    print("Philox4x32-10 known answers OK")
    print("uniform float32 seed 0:", draw(UNIFORM, FLOAT32, 0, 0, 4))
