"""The typos the test-data generators make, in one place: one random edit of the
kind people make when typing fast."""

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(rng, s, punctuation=""):
    """Drops, swaps, doubles or replaces one character of `s`, or (when
    `punctuation` is given) inserts one of those characters."""
    if not s:
        return rng.choice(LETTERS[:3])
    chars = list(s)
    i = rng.randrange(len(chars))
    kind = rng.randrange(5 if punctuation else 4)
    if kind == 0:
        del chars[i]
    elif kind == 1 and i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind == 3:
        chars[i] = rng.choice(LETTERS)
    elif kind == 4:
        chars.insert(i, rng.choice(punctuation))
    else:
        chars.insert(i, chars[i])
    return "".join(chars)
