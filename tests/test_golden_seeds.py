"""The two demo seeds: a golden snapshot of the text layer, and hand-checked facts about them.

The snapshot (``tests/golden/<seed id>.json``) catches any change in sentences, tokens, clitic
analyses or normalisation. The explicit assertions below were checked by hand against the
articles and say what is *right*, independently of the snapshot.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pytest

import marsad
from marsad.io.demo import demo_paths
from marsad.text.sentences import split_sentences
from marsad.text.tokens import Token, tokenize

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REGENERATE = "python tests/golden/make_golden.py"


def _load_make_golden():
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN_DIR / "make_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_golden = _load_make_golden()

SEEDS = {p.stem: p for p in demo_paths()}
SEED_000 = "000_0f9739a393283256"
SEED_003 = "003_eb6b299938bd81e9"


@lru_cache(maxsize=None)
def seed_text(seed: str) -> str:
    return SEEDS[seed].read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def seed_doc(seed: str):
    return marsad.extract(seed_text(seed))


def tokens_with_text(seed: str, text: str) -> list[Token]:
    found = [t for t in seed_doc(seed).tokens if t.text == text]
    assert found, f"no token {text!r} in seed {seed}"
    return found


def test_both_seeds_are_shipped():
    assert sorted(SEEDS) == [SEED_000, SEED_003]


# ---------------------------------------------------------------------------------------------
# golden snapshot
# ---------------------------------------------------------------------------------------------


def _differences(expected: dict, actual: dict, limit: int = 8) -> list[str]:
    out = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e == a:
            continue
        if isinstance(e, list) and isinstance(a, list):
            if len(e) != len(a):
                out.append(f"{key}: {len(e)} in golden file, {len(a)} now")
            for i, (x, y) in enumerate(zip(e, a)):
                if x != y:
                    out.append(f"{key}[{i}]: golden {x!r}\n{' ' * (len(key) + 5)}now {y!r}")
                    if len(out) >= limit:
                        return out
        else:
            out.append(f"{key}: golden {e!r}, now {a!r}")
        if len(out) >= limit:
            break
    return out


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_golden_snapshot(seed):
    path = make_golden.golden_path(SEEDS[seed])
    assert path.exists(), f"missing golden file {path}; run `{REGENERATE}` and review the files it writes"
    expected = json.loads(path.read_text(encoding="utf-8"))
    actual = json.loads(make_golden.dumps(make_golden.build_golden(seed_text(seed))))
    if actual != expected:
        diff = "\n  ".join(_differences(expected, actual))
        pytest.fail(
            f"the text layer of seed {seed} no longer matches {path.name}:\n  {diff}\n"
            f"If this change is intended, run `{REGENERATE}`, review the diff of tests/golden/*.json "
            f"(sentence splits, tokens and clitic analyses) and commit it; otherwise it is a regression.",
            pytrace=False,
        )


def test_golden_file_is_in_canonical_form():
    # the files are written by make_golden.dumps; a hand edit that changes formatting is caught
    for path in SEEDS.values():
        golden = make_golden.golden_path(path)
        text = golden.read_text(encoding="utf-8")
        assert make_golden.dumps(json.loads(text)) == text, f"reformat {golden.name} with `{REGENERATE}`"


# ---------------------------------------------------------------------------------------------
# hand-checked facts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, count", [(SEED_000, 20), (SEED_003, 11)])
def test_sentence_count(seed, count):
    assert len(seed_doc(seed).sentences) == count
    assert len(split_sentences(seed_text(seed))) == count


def test_headline_is_its_own_sentence():
    text = seed_text(SEED_000)
    first = seed_doc(SEED_000).sentences[0]
    assert (first.start, first.end) == (0, 34)
    assert first.text == "«جيب التحالف الداعشي» في دير الزور"
    assert text[first.end] == "\n"


def test_seed_000_sentence_boundaries():
    texts = [s.text for s in seed_doc(SEED_000).sentences]
    # the ellipsis inside a line does not end the sentence; the closing » stays inside it
    assert texts[2].startswith("وبعد عمليات «التحرير»")
    assert "للنهر... «مستعصية على التحرير» بل" in texts[2]
    assert texts[2].endswith("الهجومية!")
    # the list of villages with Arabic commas is one sentence
    assert texts[3] == "المنطقة التي تضم مجموعة من البلدات الأساسية: هجين، والشعفة، والسوسة، والباغوز."
    # an ellipsis at the end of a paragraph ends the sentence
    assert texts[9].endswith("لقرابة 100 عائلة...")
    assert texts[-1] == "الأمريكان مضطرون أن يتخلصوا من ذريعتهم، وإلا فإن الآخرين سيتصدون لهذه المهمة..."


def test_seed_003_sentence_boundaries():
    texts = [s.text for s in seed_doc(SEED_003).sentences]
    # a question mark after a space ends the sentence
    assert texts[3].endswith("إلى ديرالزور حينها ؟")
    assert texts[4].startswith("لكان من الممكن")
    # ".." inside a line continues; the final "؟" glued to the word ends it
    assert texts[8].endswith("خارج المحافظة .. لكن إلى أين هذه المرة؟")
    # "!!" after a space stays with its sentence
    assert texts[9].endswith("مصيراََ مجهولاََ !!")
    # the signature line
    assert texts[10] == "عمر أبو ليلى المدير التنفيذي لديرالزور24"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_span_matches_its_text(seed):
    text = seed_text(seed)
    doc = seed_doc(seed)
    assert doc.text == text
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert "\n" not in s.text
    assert [(s.start, s.end) for s in doc.sentences] == split_sentences(text)
    assert doc.tokens.spans == tokenize(text).spans
    for t in doc.tokens:
        assert text[t.start : t.end] == t.text
        for c in t.candidates():
            assert t.start <= c.stem_start < c.stem_end <= t.end
    # tokens cover every non-whitespace character exactly once
    covered = [i for t in doc.tokens for i in range(t.start, t.end)]
    assert covered == [i for i, c in enumerate(text) if not c.isspace()]
    # sentences hold whole tokens
    for s in doc.sentences:
        for t in doc.tokens.in_span(s.start, s.end):
            assert s.start <= t.start and t.end <= s.end
    assert sum(len(doc.tokens.in_span(s.start, s.end)) for s in doc.sentences) == len(doc.tokens)


@pytest.mark.parametrize(
    "seed, word, stem, count",
    [
        (SEED_000, "والباغوز", "باغوز", 2),
        (SEED_000, "والشعفة", "شعفه", 1),
        (SEED_000, "والسوسة", "سوسه", 1),
    ],
)
def test_village_names_with_wa_al(seed, word, stem, count):
    text = seed_text(seed)
    found = tokens_with_text(seed, word)
    assert len(found) == count
    for t in found:
        a = t.analysis
        assert t.kind == "word"
        assert (a.prefixes, a.stem, a.suffix) == (("و", "ال"), stem, "")
        assert (a.stem_start, a.stem_end) == (t.start + 3, t.end)
        assert text[a.stem_start : a.stem_end] == word[3:]


def test_al_sawsa_without_wa():
    (t,) = tokens_with_text(SEED_000, "السوسة")
    assert (t.analysis.prefixes, t.stem) == (("ال",), "سوسه")


def test_liqurabat():
    (t,) = tokens_with_text(SEED_000, "لقرابة")
    text = seed_text(SEED_000)
    assert t.kind == "word"
    # no article: the unsplit reading comes first (as for وزير), ل + قرابة is offered for matching
    assert (t.analysis.prefixes, t.stem) == ((), "لقرابه")
    cands = {(c.prefixes, c.stem, c.suffix): c for c in t.candidates()}
    c = cands[(("ل",), "قرابه", "")]
    assert text[c.stem_start : c.stem_end] == "قرابة"
    # followed by the number it quantifies
    nxt = seed_doc(SEED_000).tokens[t.i + 1]
    assert (nxt.text, nxt.kind) == ("100", "number")


def test_lil_nazihin_in_seed():
    (t,) = tokens_with_text(SEED_000, "للنازحين")
    assert (t.analysis.prefixes, t.stem) == (("ل", "ال"), "نازحين")


def test_deirezzor24_is_word_plus_number():
    doc = seed_doc(SEED_003)
    text = seed_text(SEED_003)
    assert text.endswith("لديرالزور24")
    w, num = doc.tokens[-2], doc.tokens[-1]
    assert (w.text, w.kind) == ("لديرالزور", "word")
    assert (num.text, num.kind) == ("24", "number")
    assert w.end == num.start == len(text) - 2
    # ديرالزور is written as one word: its inner ال is not an article
    assert (w.analysis.prefixes, w.stem) == ((), "لديرالزور")
    assert (("ل",), "ديرالزور", "") in [(c.prefixes, c.stem, c.suffix) for c in w.candidates()]
    for t in tokens_with_text(SEED_003, "ديرالزور"):
        assert t.kind == "word"
        assert (t.analysis.prefixes, t.stem, t.analysis.suffix) == ((), "ديرالزور", "")


def test_arabic_indic_numbers_in_seed():
    found = tokens_with_text(SEED_003, "٢٠١٧")
    assert len(found) == 2
    for t in found:
        assert t.kind == "number"
        assert t.stem == "2017"
        assert t.norm == "2017"
    (t,) = tokens_with_text(SEED_003, "١٢٠٠")
    assert (t.kind, t.stem) == ("number", "1200")
    nxt = seed_doc(SEED_003).tokens[t.i + 1]
    assert nxt.text == "مقاتل"


def test_seed_003_diacritics_and_quotes():
    # doubled tanwin and shadda are kept in the token, dropped in the analysis
    (t,) = tokens_with_text(SEED_003, "جدياََ")
    assert t.stem == "جديا"
    (t,) = tokens_with_text(SEED_003, "المبطّنة")
    assert (t.analysis.prefixes, t.stem) == (("ال",), "مبطنه")
    # the typographic quotes used as both opening and closing marks are punctuation tokens
    quotes = tokens_with_text(SEED_003, "”")
    assert len(quotes) == 7
    assert all(q.kind == "punct" and q.stem == '"' for q in quotes)


def test_seed_normalized_text():
    doc = seed_doc(SEED_003)
    norm = doc.normalized
    assert "في العام 2017" in norm.text
    s = norm.text.index("في العام 2017")
    assert norm.original_span(s, s + len("في العام 2017")) == "في العام ٢٠١٧"
    s = norm.text.index("جديا.")
    assert norm.original_span(s, s + 4) == "جدياََ"[:4]
    assert seed_doc(SEED_000).normalized.text.startswith('"جيب التحالف الداعشي" في دير الزور\n')
