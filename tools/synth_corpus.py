"""Write a seeded synthetic seeds folder of N articles, recombined from the bundled seeds' paragraphs.

    python tools/synth_corpus.py OUT_DIR --articles 1000 [--seed 1] [--episodes 3]

For benchmarks only (``make bench-scale``): each article is ~500 words of cleaned seed paragraphs
of one language (1 English : 3 French, as the issue's measurements), plus the scrape junk the
cleaner must remove (a share line, a comment form, a repeated paragraph), dated within its
episode. Deterministic for a given seed, so timings compare across commits.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
JUNK = {"en": ["Share this article", "Leave a comment", "Advertisement"],
        "fr": ["Partager cet article", "Laisser un commentaire", "PUBLICITÉ"]}


def seed_paragraphs(seeds: Path = ROOT / "seeds") -> dict[str, list[str]]:
    """Kept paragraphs of the bundled seeds by language (≥ 8 words each)."""
    from scripts.corpus import load_corpus

    corp = load_corpus(seeds)
    pars = corp.paragraphs[corp.paragraphs["kept"]].merge(corp.documents[["doc_id", "language"]], on="doc_id")
    out: dict[str, list[str]] = {}
    for lang, group in pars.groupby("language"):
        out[lang] = [t for t in group["text"] if len(t.split()) >= 8]
    return out


def write_corpus(out: Path, n_articles: int, seed: int = 1, n_episodes: int = 3, words: int = 500) -> Path:
    """Write ``n_articles`` texts and a manifest into ``out``; return the manifest path."""
    rng = random.Random(seed)
    pool = seed_paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    episodes = [{"id": f"ep-{i + 1}", "label": f"Episode {i + 1}", "date": f"{2015 + 2 * i}-05-1{i % 9}",
                 "place": "Synthetic", "summary": "Synthetic episode for benchmarks."} for i in range(n_episodes)]
    documents = []
    for k in range(n_articles):
        lang = "en" if k % 4 == 0 else "fr"
        ep = episodes[k % n_episodes]
        pars: list[str] = []
        while sum(len(p.split()) for p in pars) < words:
            pars.append(rng.choice(pool[lang]))
        pars.insert(rng.randrange(len(pars) + 1), rng.choice(pars))  # a repeated paragraph
        junk = JUNK[lang]
        text = "\n".join([pars[0], junk[0], *pars[1:], junk[1], "", junk[2]]) + "\n"
        name = f"a{k:05d}_{lang}.txt"
        (out / name).write_text(text, encoding="utf-8")
        documents.append({"file": name, "episode": ep["id"], "language": lang, "date": ep["date"],
                          "source": "synthetic", "title": f"Synthetic article {k}"})
    manifest = out / "manifest.yml"
    manifest.write_text(yaml.safe_dump({"episodes": episodes, "documents": documents}, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--episodes", type=int, default=3)
    args = parser.parse_args(argv)
    print(write_corpus(args.out, args.articles, args.seed, args.episodes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
