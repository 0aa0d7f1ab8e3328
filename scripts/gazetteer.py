"""The actors gazetteer (``scripts/data/actors.yml``) compiled for fast lookup, and the text folding
it is matched on.

Matching works on word tokens, not on one regex per name: the text is folded (accents stripped,
typographic apostrophes made straight, one character per character so offsets stay valid), cut
into tokens, and every token position is looked up in two dicts keyed by token tuples - names and
aliases (case kept) and role phrases (lower case). A dict lookup per token and phrase length costs
microseconds, so the chapter stays fast on thousands of articles.

Spaces and hyphens are interchangeable inside a phrase ("Maison-Blanche" = "Maison Blanche"),
apostrophes may be followed by a space, and a French role phrase with "d'État" also matches
"de l'État" (and the reverse): spelling variants of titles need no separate entry.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("person", "state", "organisation")
_APOSTROPHES = "’‘ʼ`´"


# --------------------------------------------------------------------------- folding
def _fold_table() -> dict[int, str]:
    table = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        c = chr(code)
        d = unicodedata.normalize("NFD", c)
        if d and d[0] != c and d[0].isascii():
            table[code] = d[0]
    for c in _APOSTROPHES:
        table[ord(c)] = "'"
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=1)
def _fold_lower_table() -> dict[int, str]:
    table = {}
    for code in range(0x0041, 0x0250):
        c = _FOLD.get(code, chr(code))
        low = c.lower()
        if len(low) == 1 and low != chr(code):
            table[code] = low
    table.update({ord(c): "'" for c in _APOSTROPHES})
    for code in (0x0152, 0x0153):  # Œ œ stay one character
        table[code] = "œ"
    return table


@lru_cache(maxsize=1)
def _lower_table() -> dict[int, str]:
    table = {}
    for code in range(0x0041, 0x0250):
        low = chr(code).lower()
        if len(low) == 1 and low != chr(code):
            table[code] = low
    table.update({ord(c): "'" for c in _APOSTROPHES})
    return table


# The three foldings below are cached: one sentence is folded by several steps in a row (mentions,
# names, quotations), and plain ASCII text (most English) needs no table at all.
@lru_cache(maxsize=512)
def lower(text: str) -> str:
    """Lower case with accents kept and apostrophes straightened, one character per character:
    reporting verbs are matched on it ("résumé" is not English "resume")."""
    return text.lower() if text.isascii() else text.translate(_lower_table())


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Strip accents and straighten apostrophes, one character per character (offsets stay valid):
    "Sergueï" -> "Serguei", "d’État" -> "d'Etat"."""
    return text if text.isascii() else text.translate(_FOLD)


@lru_cache(maxsize=512)
def fold_lower(text: str) -> str:
    """:func:`fold` then lower case, still one character per character."""
    return text.lower() if text.isascii() else text.translate(_fold_lower_table())


# --------------------------------------------------------------------------- tokens
_TOKEN = re.compile(r"\w+|[^\w\s\-‐‑]")


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of a folded text: word runs and single punctuation marks; hyphens are
    separators like spaces, so they are not tokens."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def phrase_key(phrase: str, lower: bool = False) -> tuple[str, ...]:
    """The token tuple a phrase is looked up by."""
    f = fold_lower(phrase) if lower else fold(phrase)
    return tuple(t for t, _, _ in tokens(f))


def _apostrophe_variants(key: tuple[str, ...]) -> set[tuple[str, ...]]:
    """"d ' etat" <-> "de l ' etat" (French titles are written both ways)."""
    out = {key}
    for i in range(len(key) - 2):
        if key[i:i + 2] == ("d", "'"):
            out.add(key[:i] + ("de", "l", "'") + key[i + 2:])
        if key[i:i + 3] == ("de", "l", "'"):
            out.add(key[:i] + ("d", "'") + key[i + 3:])
    return out


# --------------------------------------------------------------------------- the gazetteer
@dataclass
class Gazetteer:
    """The parsed ``actors.yml``: actors, offices with dated holders, role phrases, lookup dicts."""

    actors: pd.DataFrame                     # id, name, kind, country
    offices: dict[str, dict]                 # office id -> {label, holders: [(actor, from, to)]}
    roles: dict[tuple, tuple[str, str | None]]  # lower token key -> (office, not_followed_by regex)
    counterparts: list[tuple[str, str]]
    forms: dict[tuple, tuple[str, str]]      # token key (case kept) -> (actor id, method)
    info: dict[str, dict] = field(repr=False)  # actor id -> {id, name, kind, country}
    place_words: frozenset = field(repr=False)  # folded lower words of states, organisations and metonyms
    labels_after: re.Pattern | None = field(default=None, repr=False)   # "the Biden administration"
    labels_before: re.Pattern | None = field(default=None, repr=False)  # "l'administration Biden"
    relational: list[re.Pattern] = field(default_factory=list, repr=False)
    nationalities: dict[str, str] = field(default_factory=dict, repr=False)  # folded lower adjective -> country
    max_len: int = 1
    first_name_tokens: frozenset = field(default=frozenset(), repr=False)
    first_role_tokens: frozenset = field(default=frozenset(), repr=False)

    def actor(self, actor_id: str) -> dict:
        return self.info.get(actor_id) or {"id": actor_id, "name": actor_id, "kind": "person", "country": ""}

    def holder(self, office: str, date) -> str:
        """Actor id holding ``office`` on ``date`` ("" if nobody listed held it then)."""
        day = pd.Timestamp(date).normalize()
        for actor, start, end in self.offices.get(office, {}).get("holders", []):
            if start <= day and (end is None or day < end):
                return actor
        return ""

    def offices_of(self, actor_id: str, date) -> list[str]:
        """Offices ``actor_id`` held on ``date``."""
        return [o for o in self.offices if self.holder(o, date) == actor_id]

    def counterpart_of(self, actor_id: str, date, country: str = "") -> tuple[str, str]:
        """(office, holder) facing ``actor_id`` on ``date`` through the counterpart pairs; with
        ``country`` only a holder of that country. ("", "") when there is none."""
        for office in self.offices_of(actor_id, date):
            for a, b in self.counterparts:
                other = b if a == office else a if b == office else None
                if other:
                    who = self.holder(other, date)
                    if who and (not country or self.actor(who)["country"] == country):
                        return other, who
        return "", ""


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Read and compile the gazetteer (default ``scripts/data/actors.yml``)."""
    raw = yaml.safe_load(Path(path or DATA_DIR / "actors.yml").read_text(encoding="utf-8"))
    rows, forms = [], {}
    places: set[str] = set()
    for a in raw["actors"]:
        kind = a.get("kind", "person")
        if kind not in KINDS:
            raise ValueError(f"actor {a['id']}: kind {kind!r} is not one of {KINDS}")
        rows.append({"id": str(a["id"]), "name": str(a["name"]), "kind": kind, "country": str(a.get("country") or "")})
        for method in ("names", "aliases", "metonyms"):
            for form in a.get(method) or []:
                key = phrase_key(str(form))
                forms.setdefault(key, (str(a["id"]), {"names": "name", "aliases": "alias", "metonyms": "metonym"}[method]))
                if kind != "person":
                    places.update(w.lower() for w in key if w[0].isalnum())
    offices = {}
    for oid, o in (raw.get("offices") or {}).items():
        holders = [(str(h["actor"]), pd.Timestamp(str(h["from"])), pd.Timestamp(str(h["to"])) if h.get("to") else None)
                   for h in o.get("holders", [])]
        offices[oid] = {"label": str(o.get("label") or oid), "holders": holders}
    roles = {}
    for r in raw.get("roles") or []:
        if r["office"] not in offices:
            raise ValueError(f"role phrases name unknown office {r['office']!r}")
        for phrase in r["phrases"]:
            for key in _apostrophe_variants(phrase_key(str(phrase), lower=True)):
                roles.setdefault(key, (r["office"], r.get("not_followed_by")))
    labels = raw.get("labels") or {}
    after = [fold_lower(w) for w in labels.get("after", [])]
    before = [fold_lower(w) for w in labels.get("before", [])]
    rel = [re.compile(str(p)) for p in (raw.get("relational") or {}).get("patterns", [])]
    nat = {fold_lower(k): str(v) for k, v in ((raw.get("relational") or {}).get("nationalities") or {}).items()}
    info = {r["id"]: r for r in rows}
    return Gazetteer(
        actors=pd.DataFrame(rows), offices=offices, roles=roles,
        counterparts=[tuple(p) for p in raw.get("counterparts") or []], forms=forms, info=info,
        place_words=frozenset(places),
        labels_after=re.compile(r"^(?:'s)?\s*(?:" + "|".join(after) + r")\b") if after else None,
        labels_before=re.compile(r"\b(?:" + "|".join(before) + r")\s*$") if before else None,
        relational=rel, nationalities=nat,
        max_len=max([len(k) for k in forms] + [len(k) for k in roles] + [1]),
        first_name_tokens=frozenset(k[0] for k in forms), first_role_tokens=frozenset(k[0] for k in roles))


@lru_cache(maxsize=4)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()
