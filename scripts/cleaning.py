"""Cleaning scraped news pages: re-join hard-wrapped lines, split scraper metadata off, and mark each
paragraph kept or dropped with a reason.

Scraped pages carry site furniture around the article: navigation, share buttons, bylines, photo
captions and credits, dates, tags, "related articles" lists. Two kinds of rule recognise it, both
in ``scripts/data/cleaning.yml``:

``boilerplate`` patterns (reason ``boilerplate:<id>``, or ``after:<id>`` for the rest of a page a
    comment form or a list of related links starts) — regular expressions for the recurrent phrases
    of web pages in general ("Please enter your comment", "Publicité", "Read more").
``shapes`` (reason ``furniture:<shape>``) — what furniture looks like, whatever its words:
    ``credit``    a short line made of agency or photo-credit words and names ("Alex Wong/Getty
                  Images/AFP", "ASSOCIATED PRESS", "Source: Reuters", "© AFP 2021");
    ``caption``   a paragraph that carries a photo credit at its start or end ("… in Geneva. PHOTO:
                  AP", "REUTERS/JANE DOE - … greets …", "… (AP Photo/John Doe)") or a caption's
                  position words ("second right", "(L)", "de gauche à droite");
    ``date``      a line that holds nothing but a date, a time and metadata words ("9/14/2013",
                  "Published: 12 June 2021 10:32", "Mis à jour le 3 mai", "Lecture 3 min");
    ``file-name`` an image file name or alt text ("IMG_2041.jpg", "site_photo russia-usa");
    ``section``   a breadcrumb or tag line ("Nation/World", "World > Europe", "Russia-United-States-Syria");
    ``label``     a line of at most a few capitals only ("GENEVA", "XS"), too short to be a sentence;
    ``byline``    bylines and author blurbs ("By Jane Doe and John Roe", "Jane Doe is a
                  correspondent for …", "(Reporting by …; Editing by …)").
``before-title`` — short lines above the headline when the manifest's title is found among the
    first lines (a site's name, slogan, menu).

Lines the rules keep but that look like furniture (short, no verb, no final punctuation) are listed
by :func:`suspected_junk` for ``python -m scripts.seeds check``: a user reads them and adds a
pattern if they are. Nothing here reads the network or depends on the corpus.
"""
from __future__ import annotations

import re

import pandas as pd

from scripts import repeats

#: a line that ends a sentence: final punctuation, then closing quotes or brackets
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'»”’)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends with sentence-final punctuation (closing quotes allowed after it)."""
    return bool(_ENDS_SENTENCE.search(line.rstrip()))


def words_of(text: str) -> list[str]:
    """Letter-and-digit words as written (apostrophes inside kept, underscores split)."""
    return _WORDS.findall(text)


# --------------------------------------------------------------------------- hard-wrapped text
def unwrap_lines(text: str, rules: dict) -> tuple[str, int]:
    """Re-join lines a hard-wrapped text broke mid-sentence; return the text and the joins made.

    A line break inside a block of lines (no blank line between) is a wrap, not a paragraph end,
    when the line does not end a sentence and the next line starts in lower case and has at least
    ``unwrap.min_next_words`` words ("The\\nagreement was" reads "The agreement was"; a credit such as
    "agences/xy" after a heading is not joined). A whole text is hard-wrapped when at least
    ``unwrap.min_breaks`` of its line breaks are such wraps, making at least ``unwrap.min_share`` of
    its line breaks, and the longest line ending in one (the wrap width) has at most
    ``unwrap.max_width`` characters: a page whose paragraphs are one line each has far longer lines.
    In such a text a line is also joined to the next when the next line's first word would not
    have fitted on it within the wrap width, whatever the line ends with ("U.S.\\nOfficials"), and
    not when it would have (a heading, a paragraph's last line). A line ending in a hyphen after a
    letter joins without a space ("Russian-\\nbacked").
    """
    cfg = rules["unwrap"]
    lines = [line.strip() for line in text.split("\n")]

    def continues(i: int) -> bool:
        last, nxt = lines[i], lines[i + 1]
        return (bool(last) and bool(nxt) and not ends_sentence(last) and nxt[0].islower()
                and len(words_of(nxt)) >= int(cfg["min_next_words"]))

    breaks = [i for i in range(len(lines) - 1) if lines[i] and lines[i + 1]]
    wraps = [i for i in breaks if continues(i)]
    width = max((len(lines[i]) for i in wraps), default=0)
    wrapped = (len(wraps) >= int(cfg["min_breaks"]) and len(wraps) >= float(cfg["min_share"]) * len(breaks)
               and width <= int(cfg["max_width"]))

    def did_not_fit(i: int) -> bool:
        return len(lines[i]) + 1 + len(lines[i + 1].split()[0]) > width

    out: list[str] = []
    joins = 0
    join_next = False
    for i, line in enumerate(lines):
        if join_next:
            sep = "" if re.search(r"[^\W\d_]-$", out[-1]) else " "
            out[-1] = out[-1] + sep + line
            joins += 1
        else:
            out.append(line)
        join_next = i in breaks and (continues(i) or (wrapped and did_not_fit(i)))
    return "\n".join(out), joins


# --------------------------------------------------------------------------- the shape of furniture
class Shapes:
    """The ``shapes`` section of cleaning.yml, compiled once: word sets and patterns per language."""

    def __init__(self, shapes: dict):
        self.max_credit_words = int(shapes["max_credit_words"])
        self.max_caption_words = int(shapes["max_caption_words"])
        self.max_line_words = int(shapes["max_line_words"])
        self.max_label_letters = int(shapes["max_label_letters"])
        self.credit_cues = _phrases([*shapes["credit_cues"], *shapes["media_cues"]])
        self.media_cues = _phrases(shapes["media_cues"])
        self.credit_fillers = {w.lower() for w in shapes["credit_fillers"]}
        self.caption_cues = [re.compile(p, re.IGNORECASE) for p in shapes["caption_cues"]]
        self.byline = [re.compile(p) for p in shapes["byline"]]
        self.author_blurb = [re.compile(p) for p in shapes["author_blurb"]]
        self.date_words = {w.lower() for w in shapes["date_words"]}
        self.time_words = {w.lower() for w in shapes["time_words"]}
        self.date_fillers = {w.lower() for w in shapes["date_fillers"]}
        self.metadata_starts = {w.lower() for w in shapes["metadata_starts"]}
        self.verbs = {lang: {w.lower() for w in ws} for lang, ws in shapes["verbs"].items()}

    # ----------------------------------------------------------------- credits
    def credit_line(self, text: str) -> bool:
        """A short line of credit words and names: at least one agency or media cue; the other
        words are capitalised (names) or credit fillers ("by", "avec", "source"), except lower-case
        initials joined to a cue by a slash ("agences/xyz"); at most ``max_credit_words`` words and
        at most 5 names, no sentence inside."""
        rest, cues = _strip_phrases(text, self.credit_cues)
        if not cues:
            return False
        words = words_of(rest)
        if len(words) + cues > self.max_credit_words or re.search(r"[.!?]\s+[A-Z]", text):
            return False
        slashed = {m.lower() for m in re.findall(r"(?<=/)\s*([^\W_]+)|([^\W_]+)\s*(?=/)", text) for m in m if m}
        names = [w for w in words if w[0].isupper() and w.lower() not in self.credit_fillers]
        odd = [w for w in words if not w[0].isupper() and not w[0].isdigit() and w.lower() not in self.credit_fillers
               and w.lower() not in slashed]
        return not odd and len(names) <= 5

    def media_credit(self, text: str) -> bool:
        """A credit that names a picture or a video (a media cue, or "Agency/Name" with a slash)."""
        if not self.credit_line(text):
            return False
        return bool(_strip_phrases(text, self.media_cues)[1]) or "/" in text

    def caption(self, text: str) -> bool:
        """A photo or video caption: a paragraph of at most ``max_caption_words`` words with a media
        credit at its end (after its last sentence, or in final brackets) or at its start (before
        " - "), or with a caption's position words."""
        words = words_of(text)
        if len(words) > self.max_caption_words:
            return False
        stripped = text.strip()
        tail = re.search(r"\(([^()]{1,120})\)\W*$", stripped)
        if tail and tail.start() > 0 and self.media_credit(tail.group(1)):
            return True
        parts = re.split(r"(?<=[.!?])\s+", stripped)
        if len(parts) > 1 and self.media_credit(parts[-1]):
            return True
        head = re.match(r"^([^()]{2,100}?)\s+[-–—]+\s+\S", stripped)
        if head and self.media_credit(head.group(1)):
            return True
        return any(rx.search(text) for rx in self.caption_cues)

    # ----------------------------------------------------------------- dates and metadata
    def _calendar_token(self, word: str) -> bool:
        """A number, a time, an ordinal or a calendar word (month, weekday, time word)."""
        w = word.lower().rstrip(".")
        return (w in self.date_words or w in self.time_words or bool(re.fullmatch(r"\d{1,4}(?:er|st|nd|rd|th|h\d{0,2})?", w))
                or bool(re.fullmatch(r"\d{1,2}[:h]\d{2}", w)))

    def _date_token(self, word: str) -> bool:
        return self._calendar_token(word) or word.lower() in self.date_fillers

    def date_line(self, text: str) -> bool:
        """Nothing but dates, times and metadata words ("Published", "mis à jour", "min"), with a digit."""
        tokens = re.findall(r"[^\W_]+", text)
        return bool(tokens) and any(t[0].isdigit() for t in tokens) and len(tokens) <= 16 and all(self._date_token(t) for t in tokens)

    def metadata_prefix(self, text: str) -> int:
        """Length of a scraper's metadata prefix glued before the text ("date 2019-12-10 OSLO …",
        "Published: 3 May 2021 The minister …"): it starts with a metadata word, then only date
        tokens, holds a date (a month or weekday name, or two numbers: not "Last 12 months …") and
        ends with a number or a calendar word (a filler such as "The" after it belongs to the text);
        0 when there is none or nothing follows it."""
        first = re.match(r"\W*([^\W_]+)", text)
        if not first or first.group(1).lower() not in self.metadata_starts:
            return 0
        end, prev, numbers, named = 0, 0, 0, False
        for m in re.finditer(r"[^\W_]+", text):
            gap = text[prev:m.start()]
            if prev and not re.fullmatch(r"[\s,:/.|·•-]*", gap):
                break
            if not self._date_token(m.group()):
                break
            prev = m.end()
            numbers += m.group()[0].isdigit()
            named = named or m.group().lower().rstrip(".") in self.date_words
            if self._calendar_token(m.group()):
                end = m.end()
        if not (named or numbers >= 2) or not numbers or not end or not text[end:].strip(" .,:|-–—"):
            return 0
        return end

    # ----------------------------------------------------------------- the rest
    def byline_line(self, text: str) -> bool:
        """A byline or contact line (no final punctuation: "By Friday, Russia had agreed." is a
        sentence) or an author blurb ("Jane Roe is a correspondent for …"), of at most
        ``max_caption_words`` words."""
        if len(words_of(text)) > self.max_caption_words:
            return False
        byline = not ends_sentence(text) and any(rx.search(text) for rx in self.byline)
        return byline or any(rx.search(text) for rx in self.author_blurb)

    def shape(self, text: str, language: str) -> str:
        """The furniture shape of one paragraph ("" when it has none). Order: the most specific first."""
        stripped = text.strip()
        words = words_of(stripped)
        if not words:
            return ""
        if self.date_line(stripped):
            return "date"
        if self.byline_line(stripped):
            return "byline"
        if self.credit_line(stripped):
            return "credit"
        if self.caption(stripped):
            return "caption"
        short = len(words) <= self.max_line_words and not ends_sentence(stripped)
        if short and (re.search(r"[^\W\d_]_[^\W\d_]|\w_\d|\d_\w", stripped) or re.search(r"\.(?:jpe?g|png|gif|webp)\b", stripped, re.I)):
            return "file-name"
        if short and len(words) <= 5 and re.fullmatch(r"\W*[^\W\d_][\w'’ .-]*(?:\s*[/>›|]\s*[^\W\d_][\w'’ .-]*)+\W*", stripped):
            return "section"
        if re.fullmatch(r"\W*(?:[A-ZÀ-Þ][\w'’]*-){2,}[A-ZÀ-Þ][\w'’]*\W*", stripped):
            return "section"
        letters = _LETTER.findall(stripped)
        if len(words) <= 3 and letters and not any(c.islower() for c in letters) and len(letters) <= self.max_label_letters:
            return "label"
        return ""

    def verbless(self, text: str, language: str) -> bool:
        """No word of the language's verb list (auxiliaries, modals, reporting verbs) and no English
        past form: a heuristic for :func:`suspected_junk`, not a tagger."""
        verbs = self.verbs.get(language, set()) | self.verbs.get("any", set())
        for w in words_of(text):
            lw = w.lower()
            if lw in verbs or (language == "en" and w.islower() and lw.endswith("ed") and len(lw) > 4):
                return False
            if "'" in lw and lw.split("'")[-1] in verbs:  # "c'est", "n'est", "qu'il a"
                return False
        return True


def _phrases(items) -> re.Pattern:
    """One pattern matching any of the phrases as whole words, case-insensitive (longest first)."""
    alts = "|".join(re.escape(str(p)) for p in sorted(items, key=lambda p: -len(str(p))))
    return re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])", re.IGNORECASE)


def _strip_phrases(text: str, rx: re.Pattern) -> tuple[str, int]:
    """``text`` without the phrases ``rx`` matches and how many it found."""
    return rx.subn(" ", text)


def shapes(rules: dict) -> Shapes:
    """The compiled :class:`Shapes` of the ``shapes`` section of ``rules``."""
    return Shapes(rules["shapes"])


# --------------------------------------------------------------------------- paragraphs
def split_paragraphs(text: str, rules: dict | None = None, compiled: Shapes | None = None) -> list[str]:
    """Paragraphs are separated by blank lines *and* by single line breaks (some scrapes have no
    blank lines). With ``rules``, a scraper's metadata prefix glued before a paragraph
    (:meth:`Shapes.metadata_prefix`) becomes a paragraph of its own, so cleaning drops it with a
    reason and the article text after it is kept. ``compiled``: ``shapes(rules)``, when the caller
    cleans many articles (compiling them costs more than cleaning a short article)."""
    pars = [line.strip() for line in text.split("\n") if line.strip()]
    if rules is None:
        return pars
    sh = compiled or shapes(rules)
    out = []
    for p in pars:
        cut = sh.metadata_prefix(p)
        out.extend([p[:cut].strip(), p[cut:].strip(" ,:|-–—").strip()] if cut else [p])
    return out


#: the columns of :func:`clean_paragraphs`
PARAGRAPH_COLUMNS = ["par_id", "text", "n_words", "kept", "reason", "duplicate_of"]


def clean_paragraphs(paragraphs: list[str], language: str, title: str = "", rules: dict | None = None) -> pd.DataFrame:
    """Mark each paragraph kept or dropped, with the reason; nothing is silently lost.

    Returns columns par_id, text, n_words, kept, reason, duplicate_of. Reasons: boilerplate:<id>,
    after:<id>, furniture:<shape>, before-title, boilerplate:no-words, repeated-title, duplicate,
    near-duplicate (see the module docstring).
    """
    return pd.DataFrame(paragraph_rows(paragraphs, language, title, rules), columns=PARAGRAPH_COLUMNS)


def paragraph_rows(paragraphs: list[str], language: str, title: str = "", rules: dict | None = None,
                   compiled: Shapes | None = None) -> list[tuple]:
    """The rows of :func:`clean_paragraphs` as tuples (its columns, :data:`PARAGRAPH_COLUMNS`): the
    analysis stage puts many articles' rows in one table (a DataFrame per article cost more than
    cleaning it). ``compiled``: ``shapes(rules)``, compiled once by a caller that cleans many articles."""
    if rules is None:
        from scripts.corpus import cleaning_rules

        rules = cleaning_rules()
    patterns = [
        (p["id"], re.compile(p["match"], re.IGNORECASE), bool(p.get("rest", False)))
        for p in rules["boilerplate"] if p.get("language", "any") in ("any", language)
    ]
    sh = compiled or shapes(rules)
    kept = repeats.ParagraphRepeats(rules["near_duplicate_threshold"], rules["near_duplicate_min_words"])
    title_words = repeats.words(title)
    title_at = _title_position(paragraphs, title_words, int(rules["shapes"]["max_title_position"]))
    rows = []
    rest_reason = ""
    for par_id, text in enumerate(paragraphs):
        words = repeats.words(text)
        reason, dup_of = "", -1
        if rest_reason:
            reason = rest_reason
        else:
            for pid, rx, rest in patterns:
                if rx.search(text):
                    reason = f"boilerplate:{pid}"
                    if rest:
                        rest_reason = f"after:{pid}"
                    break
        if not reason and not words:
            reason = "boilerplate:no-words"
        if not reason and par_id < title_at and len(words) <= sh.max_line_words and not ends_sentence(text):
            reason = "before-title"
        if not reason and title_words and par_id > 0 and _repeats_title(words, title_words):
            reason = "repeated-title"
        if not reason and title_words and _count_sub(words, title_words) >= 2:
            reason = "repeated-title"
        if not reason and par_id != title_at:
            shape = sh.shape(text, language)
            reason = f"furniture:{shape}" if shape else ""
        if not reason:
            reason, dup_of = kept.check(words)
        if not reason:
            kept.keep(par_id, words)
        rows.append((par_id, text, len(words), not reason, reason, dup_of))
    return rows


def _title_position(paragraphs: list[str], title_words: list[str], max_position: int) -> int:
    """Index of the first paragraph among the first ``max_position`` + 1 that is the title (same
    words), or -1."""
    if not title_words:
        return -1
    for i, p in enumerate(paragraphs[:max_position + 1]):
        if repeats.words(p) == title_words:
            return i
    return -1


def _count_sub(words: list[str], sub: list[str]) -> int:
    n = len(sub)
    return sum(1 for i in range(len(words) - n + 1) if words[i:i + n] == sub)


def _repeats_title(words: list[str], title_words: list[str]) -> bool:
    return words == title_words or (len(words) <= len(title_words) + 3 and _count_sub(words, title_words) >= 1)


# --------------------------------------------------------------------------- what may have survived
def suspected_junk(paragraphs: pd.DataFrame, documents: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Kept paragraphs that look like furniture the rules missed: at most ``shapes.max_line_words``
    words, no final punctuation, no verb (:meth:`Shapes.verbless`), and not the document's title.
    ``paragraphs``: doc_id, par_id, text, kept; ``documents``: doc_id, file, language, title.
    Returns doc_id, file, par_id, text (in document order). Headings are listed too: the list is
    for a human to read, not a rule."""
    sh = shapes(rules)
    meta = documents.set_index("doc_id")
    rows = []
    for r in paragraphs[paragraphs["kept"]].itertuples():
        if r.doc_id not in meta.index:
            continue
        d = meta.loc[r.doc_id]
        words = words_of(r.text)
        if not words or len(words) > sh.max_line_words or ends_sentence(r.text):
            continue
        if repeats.words(r.text) == repeats.words(str(d["title"])):
            continue
        if sh.verbless(r.text, str(d["language"])):
            rows.append({"doc_id": r.doc_id, "file": d["file"], "par_id": int(r.par_id), "text": r.text})
    return pd.DataFrame(rows, columns=["doc_id", "file", "par_id", "text"])
