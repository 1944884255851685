"""Writes ratio_cases.jsonl: difflib.SequenceMatcher(None, a, b).ratio() for the Java parity test.

Run from this directory with python3 (3.11 was used): python3 ratio_oracle.py
Each line is {"a": ..., "b": ..., "ratio": ...}; the ratio is printed with repr, which round-trips.
"""
import difflib
import json
import random

rng = random.Random(20250611)
cases = []


def add(a, b):
    cases.append((a, b))


# Hand-picked: documented examples, empty strings, junk-free short strings.
for a, b in [
    ("abc", "abd"), ("", ""), ("", "abc"), ("abc", ""), ("abcd", "bcde"),
    (" abcd", "abcd abcd"), ("abxcd", "abcd"), ("a", "a"), ("a", "b"),
    ("private Thread currentThread;", "private volatile Thread currentThread;"),
]:
    add(a, b)

# Identical and near-identical long periodic strings: every element is popular in b.
add("ab" * 150, "ab" * 150)
add("ab" * 150, "ab" * 149 + "ac")
add("ab" * 149 + "ac", "ab" * 150)
add("x" + "ab" * 150, "ab" * 150 + "x")

# Unicode beyond the BMP (surrogate pairs in Java) and accents.
add("h\u00e9llo \U0001F600 w\u00f6rld", "hello \U0001F600 world")
add("\U0001F600" * 3 + "abc", "\U0001F600" * 2 + "abd")

# Text observations around the 200-element auto-junk boundary, mutated a little.
room = ("You are in the middle of a room. Looking quickly around you, you see a cabinet 1, "
        "a cabinet 2, a countertop 1, a drawer 1, a drawer 2, a fridge 1, a garbagecan 1, "
        "a microwave 1, a shelf 1, a sinkbasin 1, a stoveburner 1, and a toaster 1.")


def mutate(s, edits):
    chars = list(s)
    for _ in range(edits):
        op = rng.randrange(3)
        pos = rng.randrange(len(chars) + 1)
        c = rng.choice("abcdefghij 0123456789,.")
        if op == 0 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 1:
            chars.insert(pos, c)
        elif chars:
            chars[min(pos, len(chars) - 1)] = c
    return "".join(chars)


for n in (150, 199, 200, 201, 260):
    base = (room * 2)[:n]
    for edits in (0, 1, 3, 8, 20):
        other = mutate(base, edits)
        add(base, other)
        add(other, base)

# Random strings over small alphabets (many popular elements) and larger ones.
for alphabet, lo, hi in (("ab", 1, 40), ("ab c", 150, 400), ("abcdefgh ", 180, 320),
                         ("abcdefghijklmnopqrstuvwxyz ", 5, 250)):
    for _ in range(12):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))
        b = mutate(a, rng.randint(0, 30)) if rng.random() < 0.7 else "".join(
            rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))
        add(a, b)
        add(b, a)

with open("ratio_cases.jsonl", "w", encoding="utf-8") as out:
    for a, b in cases:
        r = difflib.SequenceMatcher(None, a, b).ratio()
        out.write(json.dumps({"a": a, "b": b, "ratio": r}) + "\n")
print(len(cases), "cases")
