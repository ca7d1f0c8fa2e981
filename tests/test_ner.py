"""The named-entity recogniser: the shipped model, the seeds, rules, propagation, scoring, training, candidates.

Tests that depend on what the shipped CRF predicts use sentences it gets right with a wide margin;
tests of the rules, propagation, spans and scoring call the functions directly with hand-made tags.
The command line (``marsad tag``, ``eval ner``, ``train ner``) is tested in ``e2e/test_ner_cli.py``.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import marsad
from marsad.document import Annotation, Document
from marsad.errors import EmptyInput, InputError, MalformedRecord, ModelError
from marsad.io.demo import demo_paths
from marsad.knowledge.candidates import MIN_PLACE_CONFIDENCE, candidates_component
from marsad.ner.clusters import learn_clusters
from marsad.ner.conll import NerScores, read_conll, read_lines
from marsad.ner.features import FEATURES_VERSION, FeatureExtractor, analyse
from marsad.ner.model import (
    CLUSTERS_FILE,
    COMMON_FILE,
    LABELS,
    LEXICONS_FILE,
    META_FILE,
    MODEL_FILE,
    NerModel,
    build_lexicons,
    default_model,
    iob_spans,
    lexicon_digest,
    name_rules,
    propagate,
    read_lexicons,
    shipped_model_dir,
)
from marsad.ner.train import TrainSettings, train_ner

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SHARED_SEEDS = SHARED / "examples" / "seeds"
ANERCORP = SHARED / "data" / "ner" / "anercorp-train.conll"
RETRAIN = "run `marsad train ner --data ../shared/data`"

HOWS = {"crf", "rule", "propagated", "kb"}
TAGS = {"O"} | {f"{k}-{label}" for k in "BI" for label in LABELS}
MODEL_FILES = (MODEL_FILE, CLUSTERS_FILE, COMMON_FILE, LEXICONS_FILE, META_FILE)

PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid_iob2(tags: list[str]) -> bool:
    """Every tag is O, B-X or I-X over the four labels, and an I-X only continues an X."""
    prev = "O"
    for tag in tags:
        if tag not in TAGS:
            return False
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def encode(spans: list[tuple[int, int, str]], n: int) -> list[str]:
    """IOB2 tags for disjoint token spans."""
    tags = ["O"] * n
    for a, b, label in spans:
        tags[a:b] = ["B-" + label] + ["I-" + label] * (b - a - 1)
    return tags


def entities(text: str) -> list[Annotation]:
    return marsad.extract(text).layer("entities")


def texts_by_label(anns: list[Annotation]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in anns:
        out.setdefault(e.label or "", set()).add(e.text)
    return out


def given_names() -> frozenset[str]:
    return build_lexicons()["name:given"]


def kunyas() -> frozenset[str]:
    return build_lexicons()["name:kunya"]


def rules(tokens: list[str], tags: list[str] | None = None) -> list[str]:
    return name_rules(tokens, tags or ["O"] * len(tokens), given_names(), kunyas())


# --------------------------------------------------------------------------- 1. the shipped model


def _no_network(*_a: object, **_k: object) -> None:
    raise AssertionError("the NER model tried to use the network")


def test_shipped_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    build_lexicons.cache_clear()  # rebuild the lexicons too, with the network blocked
    model = NerModel(shipped_model_dir())
    assert model.tag(["قال", "الرئيس", "بشار", "الأسد", "في", "دمشق"]) == ["O", "O", "B-PERS", "I-PERS", "O", "B-LOC"]


def test_shipped_model_has_every_file() -> None:
    directory = shipped_model_dir()
    for name in MODEL_FILES:
        path = directory / name
        assert path.is_file() and path.stat().st_size > 0, f"{path} is missing or empty: {RETRAIN}"


def test_default_model_is_the_shipped_one_loaded_once() -> None:
    model = default_model()
    assert model is default_model()
    assert model.directory == shipped_model_dir()
    assert model.meta["name"] == "marsad-ner-crf"
    assert tuple(model.meta["labels"]) == LABELS
    assert model.extractor.clusters, "the shipped model has no word clusters"
    assert model.common_words, "the shipped model has no common-word list"


def test_shipped_model_features_version_matches_the_code() -> None:
    meta = json.loads((shipped_model_dir() / META_FILE).read_text(encoding="utf-8"))
    assert meta["features_version"] == FEATURES_VERSION, (
        f"the shipped NER model was trained with features v{meta['features_version']}, the code computes "
        f"v{FEATURES_VERSION}: {RETRAIN}"
    )


def test_shipped_model_lexicon_digest_matches_the_curated_data() -> None:
    meta = json.loads((shipped_model_dir() / META_FILE).read_text(encoding="utf-8"))
    current = lexicon_digest(build_lexicons())
    assert meta["lexicon_digest"] == current, (
        f"the curated names, places, countries or actors changed since the NER model was trained "
        f"(model lexicon digest {meta['lexicon_digest']}, data now {current}): {RETRAIN}"
    )


@pytest.mark.skipif(not ANERCORP.is_file(), reason=f"{ANERCORP} is absent (CI puts ../shared beside the repo)")
def test_shipped_model_was_trained_on_the_shared_corpus() -> None:
    meta = json.loads((shipped_model_dir() / META_FILE).read_text(encoding="utf-8"))
    digest = hashlib.sha256(ANERCORP.read_bytes()).hexdigest()
    assert meta["training_data"]["sha256"] == digest, f"ANERcorp train changed since the model was trained: {RETRAIN}"
    sentences = read_conll(ANERCORP, with_tags=True)
    assert meta["training_data"]["sentences"] == len(sentences)
    assert meta["training_data"]["tokens"] == sum(len(s.tokens) for s in sentences)


def test_lexicon_digest_depends_on_names_and_words() -> None:
    lex = {"place": frozenset({"حلب", "دمشق"}), "country": frozenset({"سوريا"})}
    assert lexicon_digest(lex) == lexicon_digest(dict(reversed(list(lex.items()))))  # order does not matter
    assert lexicon_digest(lex) != lexicon_digest({**lex, "place": frozenset({"حلب"})})
    assert lexicon_digest(lex) != lexicon_digest({"places": lex["place"], "country": lex["country"]})
    # a word moved from one list to another changes the digest
    assert lexicon_digest({"a": frozenset({"x", "y"}), "b": frozenset()}) != lexicon_digest(
        {"a": frozenset({"x"}), "b": frozenset({"y"})})


def test_tag_and_tag_scored_agree() -> None:
    model = default_model()
    tokens = ["وأعلنت", "منظمة", "العفو", "الدولية", "أن", "القصف", "طال", "مدينة", "حلب"]
    tags, marginals = model.tag_scored(tokens)
    assert tags == model.tag(tokens)
    assert tags[1:4] == ["B-ORG", "I-ORG", "I-ORG"]
    assert len(marginals) == len(tokens) and all(0.0 <= m <= 1.0 for m in marginals)
    assert model.tag([]) == [] and model.tag_scored([]) == ([], [])
    assert model.tag_many([]) == []


# --------------------------------------------------------------------------- features


def test_analyse_splits_clitics() -> None:
    info = analyse("والباغوز")
    assert (info.prefixes, info.stem) == ("و+ال", "باغوز")
    assert analyse("USA").stem == analyse("USA").norm  # not Arabic: no analysis
    assert analyse("2018").prefixes == ""


def test_feature_extractor_window_and_bounds() -> None:
    fx = FeatureExtractor()
    feats = fx.sentence(["قال", "بشار", "الأسد"])
    assert len(feats) == 3
    assert "-1BOUND" in feats[0] and "1BOUND" in feats[2]
    assert "-1BOUND" not in feats[1] and "1BOUND" not in feats[1]
    assert any(f.startswith("-1w:") for f in feats[1]) and any(f.startswith("1w:") for f in feats[1])
    assert fx.sentence([]) == []
    # lexicon membership and clusters become features
    fx = FeatureExtractor({"place": frozenset({"حلب"})}, {"حلب": ("64.3", "320.7")})
    own = fx.sentence(["في", "حلب"])[1]
    assert "L:place" in own and "c:64.3" in own and "c:320.7" in own
    assert "1L:place" in fx.sentence(["في", "حلب"])[0]
    # cached per word type: the same features the second time
    assert fx.sentence(["في", "حلب"]) == fx.sentence(["في", "حلب"])


# --------------------------------------------------------------------------- 2. the seeds


def _seed_sets() -> list:
    shared = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    return [
        pytest.param(demo_paths(), id="package"),
        pytest.param(shared, id="shared", marks=pytest.mark.skipif(not shared, reason=f"{SHARED_SEEDS} is absent")),
    ]


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, Document]:
    return {p.stem: marsad.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in demo_paths()}


@pytest.mark.parametrize("seeds", _seed_sets())
def test_seed_entities(seeds: list[Path]) -> None:
    assert len(seeds) == 2
    found: dict[str, set[str]] = {}
    for path in seeds:
        for label, texts in texts_by_label(marsad.extract(path.read_text(encoding="utf-8")).layer("entities")).items():
            found.setdefault(label, set()).update(texts)
    for name in ("جمال معروف", "عمر أبو ليلى"):
        assert name in found["PERS"], f"{name} not a PERS entity: {sorted(found.get('PERS', ()))}"
    for name in ("منظمة العفو الدولية", "قسد", "تنظيم داعش"):
        assert name in found["ORG"], f"{name} not an ORG entity"
    assert "هجين" in found["LOC"]
    assert found["LOC"] & {"دير الزور", "ديرالزور"}, "Deir ez-Zor is not a LOC entity"


def test_seed_entities_are_well_formed(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        anns = doc.layer("entities")
        assert anns, doc.id
        assert [(e.start, e.end) for e in anns] == sorted((e.start, e.end) for e in anns)
        for e in anns:
            assert 0 <= e.start < e.end <= len(doc.text), e
            assert e.text == doc.text[e.start:e.end], e
            assert e.text == e.text.strip() and e.text, e
            assert e.label in LABELS and e.data["label"] == e.label, e
            assert 0.0 <= e.data["confidence"] <= 1.0, e
            assert e.data["how"] in HOWS, e
            assert e.component == "ner.entities"
            if e.data["how"] == "kb":
                assert e.data["confidence"] == 1.0
            if "kb" in e.data:  # known to the actor base: an organisation
                assert e.label == "ORG"
        # mentions do not overlap one another
        for a, b in pairwise(anns):
            assert a.end <= b.start, (a, b)


def test_seed_entities_agree_with_the_knowledge_base(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        ents = doc.layer("entities")
        for actor in doc.layer("actors"):
            if actor.data.get("actor_id") and not actor.data.get("generic"):
                covered = any(e.start < actor.end and actor.start < e.end for e in ents)
                assert covered, f"actor {actor.text} has no entity"
        known = [p for p in doc.layer("places") if p.data.get("geonameid")]
        actors = [a for a in doc.layer("actors") if a.data.get("actor_id") and not a.data.get("generic")]
        for e in ents:
            places = [p for p in known if p.start < e.end and e.start < p.end]
            # a known actor whose name holds the place name ("لديرالزور24", an outlet) is that actor
            held = any(a.start <= p.start and p.end <= a.end and a.end - a.start > p.end - p.start
                       and a.start < e.end and e.start < a.end for p in places for a in actors)
            if places and not held:
                assert e.label == "LOC", f"{e.text} is a gazetteer place but labelled {e.label}"


def test_seed_contract_has_entities(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        out = doc.to_contract()["entities"]
        assert out and all({"start", "end", "text", "label", "confidence", "how", "by"} <= e.keys() for e in out)
        json.dumps(out, ensure_ascii=False)


def test_extract_tags_a_plain_sentence() -> None:
    found = {(e.text, e.label) for e in entities("قال الرئيس بشار الأسد في دمشق")}
    assert ("بشار الأسد", "PERS") in found
    assert ("دمشق", "LOC") in found


def test_entities_drop_a_leading_conjunction_but_keep_the_article() -> None:
    found = texts_by_label(entities("وصل الوفد إلى دمشق ولبنان والعراق"))
    assert "العراق" in found["LOC"] and "والعراق" not in found["LOC"]
    assert "دمشق" in found["LOC"]


def test_trim_clitics() -> None:
    from marsad.ner.component import _trim_clitics

    model = default_model()
    assert _trim_clitics("والباغوز", model) == 1  # و+ال: the conjunction goes, the article stays
    assert _trim_clitics("وبالرقة", model) == 2
    assert _trim_clitics("وليد", model) == 0  # a name that starts with و
    assert _trim_clitics("حلب", model) == 0
    assert _trim_clitics("وحلب", model) == 1  # unknown, and known without the و


def test_trim_clitics_docstring_example() -> None:
    from marsad.ner.component import _trim_clitics

    assert _trim_clitics("وكريم", default_model()) == 1


def test_entity_text_without_the_conjunction() -> None:
    assert ("كريم بنزيمة", "PERS") in {(e.text, e.label) for e in entities("التقى وزير الخارجية وكريم بنزيمة")}
    assert "لبنان" in texts_by_label(entities("وصل الوفد إلى دمشق ولبنان والعراق"))["LOC"]


def test_empty_and_nameless_documents() -> None:
    # the components up to the candidates: later ones (events, claims) are not the subject here
    from marsad.pipeline import DEFAULT_COMPONENTS, Pipeline

    names = [c.name for c in DEFAULT_COMPONENTS]
    ner_pipeline = Pipeline(DEFAULT_COMPONENTS[: names.index("knowledge.candidates") + 1])
    for text in ("", "   \n\n "):
        doc = ner_pipeline(Document(text))
        assert doc.layer("entities") == []
    doc = ner_pipeline(Document("ذهب الولد إلى المدرسة صباحا"))
    assert all(e.label in LABELS for e in doc.layer("entities"))


def test_entity_after_lil_keeps_a_whole_word() -> None:
    text = "وقام بلير بزيارة خاطفة للولايات المتحدة"
    found = {e.text for e in entities(text) if e.label == "LOC"}
    assert "لولايات المتحدة" not in found, found
    assert found & {"للولايات المتحدة", "الولايات المتحدة"}, found


# --------------------------------------------------------------------------- 6. units: iob_spans


LABEL = st.sampled_from(LABELS)


@st.composite
def iob2_sequences(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, str]]]:
    """A valid IOB2 sequence and the spans it was built from."""
    items = draw(st.lists(st.one_of(st.none(), st.tuples(LABEL, st.integers(1, 5))), max_size=25))
    tags: list[str] = []
    spans: list[tuple[int, int, str]] = []
    for item in items:
        if item is None:
            tags.append("O")
        else:
            label, n = item
            spans.append((len(tags), len(tags) + n, label))
            tags += ["B-" + label] + ["I-" + label] * (n - 1)
    return tags, spans


@PROPS
@given(iob2_sequences())
def test_iob_spans_of_valid_iob2_round_trip(case: tuple[list[str], list[tuple[int, int, str]]]) -> None:
    tags, spans = case
    assert valid_iob2(tags)
    found = iob_spans(tags)
    assert found == spans
    for (_a, b, _l), (c, _d, _m) in pairwise(found):
        assert b <= c
    assert all(0 <= a < b <= len(tags) for a, b, _l in found)
    assert encode(found, len(tags)) == tags


@PROPS
@given(st.lists(st.sampled_from(sorted(TAGS)), max_size=30))
@example(["I-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "I-ORG"])
def test_iob_spans_of_any_sequence(tags: list[str]) -> None:
    found = iob_spans(tags)
    covered = [0] * len(tags)
    for a, b, label in found:
        assert 0 <= a < b <= len(tags) and label in LABELS
        assert tags[a] in ("B-" + label, "I-" + label)
        assert all(t == "I-" + label for t in tags[a + 1:b])
        for i in range(a, b):
            covered[i] += 1
    # every non-O tag is in exactly one span, no O is
    assert covered == [0 if t == "O" else 1 for t in tags]
    # a stray I- starts a span: re-encoding gives the sequence with stray I- turned into B-
    repaired = [("B-" + t[2:] if t.startswith("I-") and (i == 0 or tags[i - 1][2:] != t[2:]) else t)
                for i, t in enumerate(tags)]
    assert encode(found, len(tags)) == repaired
    assert valid_iob2(repaired)
    assert iob_spans(repaired) == found


def test_iob_spans_examples() -> None:
    assert iob_spans([]) == []
    assert iob_spans(["O", "O"]) == []
    assert iob_spans(["I-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "I-ORG"]) == [
        (0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")]
    assert iob_spans(["B-PERS", "I-LOC"]) == [(0, 1, "PERS"), (1, 2, "LOC")]
    assert iob_spans(["B-ORG", "I-ORG", "B-ORG"]) == [(0, 2, "ORG"), (2, 3, "ORG")]


def _score_module():  # the shared scorer, when present
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location("marsad_shared_score", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


SCORE = _score_module()


@pytest.mark.skipif(SCORE is None, reason="../shared/eval/score.py is absent")
@PROPS
@given(st.lists(st.sampled_from(sorted(TAGS)), max_size=30))
def test_iob_spans_agree_with_the_shared_scorer(tags: list[str]) -> None:
    assert iob_spans(tags) == SCORE.conll_spans(list(tags))


# --------------------------------------------------------------------------- 6. units: propagate


def test_propagate_tags_a_bare_repeat_and_the_last_name() -> None:
    sentences = [["قال", "زيدون", "الخطيب", "اليوم"], ["وصل", "زيدون", "الخطيب"], ["التقى", "الخطيب", "بالوزير"]]
    tags = [["O", "B-PERS", "I-PERS", "O"], ["O", "O", "O"], ["O", "O", "O"]]
    before = [list(t) for t in tags]
    out = propagate(sentences, tags)
    assert out == [["O", "B-PERS", "I-PERS", "O"], ["O", "B-PERS", "I-PERS"], ["O", "B-PERS", "O"]]
    assert tags == before  # the input is not changed


def test_propagate_matches_normalised_forms() -> None:
    out = propagate([["زار", "أحمد", "الجبوري", "حلب"], ["وقال", "احمد", "الجبوري"]],
                    [["O", "B-PERS", "I-PERS", "B-LOC"], ["O", "O", "O"]])
    assert out[1] == ["O", "B-PERS", "I-PERS"]


def test_propagate_spreads_every_label() -> None:
    out = propagate([["زار", "الوفد", "طرطوس"], ["طرطوس", "مدينة", "ساحلية"]], [["O", "O", "B-LOC"], ["O", "O", "O"]])
    assert out[1] == ["B-LOC", "O", "O"]


def test_propagate_skips_common_and_short_words() -> None:
    sentences = [["زار", "الوفد", "طرطوس"], ["طرطوس", "مدينة", "ساحلية"]]
    tags = [["O", "O", "B-LOC"], ["O", "O", "O"]]
    assert propagate(sentences, tags, common=frozenset({"طرطوس"}))[1] == ["O", "O", "O"]
    # a common last name alone is not spread, the full name still is
    sentences = [["قال", "جمال", "معروف"], ["وصل", "جمال", "معروف", "و", "معروف"]]
    tags = [["O", "B-PERS", "I-PERS"], ["O"] * 5]
    assert propagate(sentences, tags, common=frozenset({"معروف"}))[1] == ["O", "B-PERS", "I-PERS", "O", "O"]
    assert propagate(sentences, tags)[1] == ["O", "B-PERS", "I-PERS", "O", "B-PERS"]
    # one- or two-letter words are never spread
    assert propagate([["في", "قم"], ["قم", "مدينة"]], [["O", "B-LOC"], ["O", "O"]])[1] == ["O", "O"]


def test_propagate_never_overwrites_a_tag() -> None:
    out = propagate([["قال", "زيدون", "الخطيب"], ["زيدون", "الخطيب", "مدينة"]],
                    [["O", "B-PERS", "I-PERS"], ["B-LOC", "I-LOC", "O"]])
    assert out[1] == ["B-LOC", "I-LOC", "O"]
    out = propagate([["قال", "زيدون", "الخطيب"], ["زيدون", "الخطيب", "مدينة"]],
                    [["O", "B-PERS", "I-PERS"], ["O", "B-LOC", "O"]])
    assert out[1] == ["O", "B-LOC", "O"]  # partly tagged: left alone, and the rest is not a known name


def test_propagate_window() -> None:
    filler = [["ذهب", "الولد", "إلى", "المدرسة"]] * 3
    sentences = [["قال", "زيدون", "الخطيب"], *filler, ["وصل", "زيدون", "الخطيب"]]
    tags = [["O", "B-PERS", "I-PERS"], *[["O"] * 4] * 3, ["O", "O", "O"]]
    assert propagate(sentences, tags, window=1)[-1] == ["O", "O", "O"]
    assert propagate(sentences, tags, window=3)[-1] == ["O", "O", "O"]
    assert propagate(sentences, tags, window=4)[-1] == ["O", "B-PERS", "I-PERS"]
    assert propagate(sentences, tags, window=None)[-1] == ["O", "B-PERS", "I-PERS"]  # the whole document
    assert propagate(sentences, tags, window=None)[1:4] == [["O"] * 4] * 3


def test_propagate_prefers_the_longest_name() -> None:
    sentences = [["قال", "زيدون", "الخطيب"], ["زار", "الخطيب", "زيدون", "الخطيب"]]
    out = propagate(sentences, [["O", "B-PERS", "I-PERS"], ["O"] * 4])
    assert out[1] == ["O", "B-PERS", "B-PERS", "I-PERS"]


def test_tag_many_propagates_across_sentences() -> None:
    model = default_model()
    first = ["قال", "الرئيس", "بشار", "الأسد", "في", "دمشق"]
    assert model.tag(first)[2:4] == ["B-PERS", "I-PERS"]
    out = model.tag_many([first, ["وصل", "الأسد", "إلى", "المدينة"]])
    assert out[1][1] == "B-PERS"


# --------------------------------------------------------------------------- 6. units: name_rules


def test_name_rules_given_kunya_name() -> None:
    assert rules(["قال", "عمر", "أبو", "ليلى", "اليوم"]) == ["O", "B-PERS", "I-PERS", "I-PERS", "O"]
    assert rules(["قال", "محمد", "بن", "سلمان"]) == ["O", "B-PERS", "I-PERS", "I-PERS"]
    # no given name first: no person
    assert rules(["قال", "الشيخ", "أبو", "ليلى"]) == ["O"] * 4
    # a kunya at the end of the sentence has no name after it
    assert rules(["قال", "عمر", "أبو"]) == ["O"] * 3


def test_name_rules_quoted_phrase() -> None:
    assert rules(["قال", "”", "جمال", "معروف", "”", "."]) == ["O", "O", "B-PERS", "I-PERS", "O", "O"]
    assert rules(["قال", "«", "جمال", "معروف", "الحلبي", "»"]) == ["O", "O", "B-PERS", "I-PERS", "I-PERS", "O"]
    assert rules(['"', "خالد", "حسن", '"']) == ["O", "B-PERS", "I-PERS", "O"]
    # one word, or more than four, or no given name first: not a person
    assert rules(["قال", "«", "جمال", "»"]) == ["O"] * 4
    assert rules(["«", "جمال", "معروف", "الحلبي", "الديري", "السوري", "»"]) == ["O"] * 7
    assert rules(["قال", "«", "المدير", "معروف", "»"]) == ["O"] * 5


def test_name_rules_join_a_given_name_to_a_person() -> None:
    assert rules(["قال", "جمال", "معروف"], ["O", "O", "B-PERS"]) == ["O", "B-PERS", "I-PERS"]
    assert rules(["محمد", "خالد", "معروف"], ["O", "O", "B-PERS"]) == ["B-PERS", "I-PERS", "I-PERS"]
    # only before a person, and only an untagged given name
    assert rules(["في", "جمال", "دمشق"], ["O", "O", "B-LOC"]) == ["O", "O", "B-LOC"]
    assert rules(["جمال", "معروف"], ["B-LOC", "B-PERS"]) == ["B-LOC", "B-PERS"]


def test_name_rules_leave_tags_and_input_alone() -> None:
    tokens = ["قال", "عمر", "أبو", "ليلى"]
    tags = ["O", "B-ORG", "I-ORG", "I-ORG"]
    assert rules(tokens, tags) == tags
    assert tags == ["O", "B-ORG", "I-ORG", "I-ORG"]
    assert rules([], []) == []


def test_name_rules_given_kunya_before_a_tagged_name() -> None:
    assert rules(["قال", "عمر", "أبو", "ليلى", "اليوم"], ["O", "O", "O", "B-PERS", "O"]) == [
        "O", "B-PERS", "I-PERS", "I-PERS", "O"]


# --------------------------------------------------------------------------- 6. units: NerScores


def test_ner_scores_hand_computed() -> None:
    scores = NerScores()
    scores.add(["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG"], ["B-PERS", "I-PERS", "O", "B-LOC", "O", "O"])
    scores.add(["B-LOC", "O", "B-PERS"], ["B-ORG", "O", "B-PERS"])
    scores.add(["B-PERS", "I-PERS", "O"], ["B-PERS", "O", "B-MISC"])  # wrong boundary; a MISC nobody asked for
    table = scores.table()
    assert table["PERS"] == {"p": round(2 / 3, 4), "r": round(2 / 3, 4), "f1": round(2 / 3, 4), "gold": 3, "pred": 3,
                             "tp": 2}
    assert table["LOC"] == {"p": 1.0, "r": 0.5, "f1": round(2 / 3, 4), "gold": 2, "pred": 1, "tp": 1}
    assert table["ORG"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "gold": 1, "pred": 1, "tp": 0}
    assert table["MISC"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "gold": 0, "pred": 1, "tp": 0}
    p, r = 3 / 6, 3 / 6
    assert table["micro"] == {"p": 0.5, "r": 0.5, "f1": round(2 * p * r / (p + r), 4), "gold": 6, "pred": 6, "tp": 3}
    assert list(table) == ["LOC", "MISC", "ORG", "PERS", "micro"]
    assert scores.micro_f1 == 0.5


def test_ner_scores_uneven() -> None:
    scores = NerScores()
    scores.add(["B-PERS", "O", "B-LOC", "I-LOC", "B-ORG"], ["B-PERS", "O", "B-LOC", "I-LOC", "O"])
    micro = scores.table()["micro"]
    p, r = 2 / 2, 2 / 3
    assert (micro["p"], micro["r"], micro["f1"]) == (1.0, round(r, 4), round(2 * p * r / (p + r), 4))


def test_ner_scores_empty() -> None:
    scores = NerScores()
    assert scores.table() == {"micro": {"p": 0.0, "r": 0.0, "f1": 0.0, "gold": 0, "pred": 0, "tp": 0}}
    scores.add(["O", "O"], ["O", "O"])
    assert scores.micro_f1 == 0.0


# --------------------------------------------------------------------------- 6. units: read_conll


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_read_conll_with_tags(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.conll", "\n\nقال O\nبشار\tNNP\tB-PERS\nالأسد I-PERS\n  \n\n\nفي O\nدمشق B-LOC")
    sentences = read_conll(path, with_tags=True)
    assert [s.tokens for s in sentences] == [["قال", "بشار", "الأسد"], ["في", "دمشق"]]
    assert [s.tags for s in sentences] == [["O", "B-PERS", "I-PERS"], ["O", "B-LOC"]]
    untagged = read_conll(path, with_tags=False)
    assert [s.tokens for s in untagged] == [s.tokens for s in sentences]
    assert all(s.tags is None for s in untagged)


@pytest.mark.parametrize("line", ["b X-FOO", "b", "b B-", "b b-PERS", "b 0", "b PERS"])
def test_read_conll_bad_tag_names_the_line(tmp_path: Path, line: str) -> None:
    path = _write(tmp_path / "bad.conll", f"قال O\n\nا O\n{line}\nج O\n")
    with pytest.raises(MalformedRecord) as info:
        read_conll(path, with_tags=True)
    assert info.value.code == "E107"
    assert info.value.line == 4
    assert info.value.origin == str(path)
    assert info.value.one_line().startswith(f"error[E107] {path}:4: ")
    # without tags the same file reads
    assert len(read_conll(path, with_tags=False)) == 2


def test_read_conll_no_tokens(tmp_path: Path) -> None:
    with pytest.raises(EmptyInput):
        read_conll(_write(tmp_path / "empty.conll", ""), with_tags=True)
    assert read_conll(_write(tmp_path / "empty2.conll", ""), with_tags=False) == []


@pytest.mark.parametrize("encoding, newline", [("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\n"),
                                               ("utf-16", "\n"), ("utf-16", "\r\n"), ("cp1256", "\n")])
def test_read_lines_any_encoding(tmp_path: Path, encoding: str, newline: str) -> None:
    lines = ["", "قال O", "بشار B-PERS", "", "   ", "في O", "دمشق B-LOC"]
    path = _write(tmp_path / "x.conll", newline.join(lines) + newline, encoding)
    assert read_lines(path) == lines
    path = _write(tmp_path / "y.conll", newline.join(lines), encoding)  # no final newline
    assert read_lines(path) == lines


def test_read_lines_missing_file(tmp_path: Path) -> None:
    from marsad.errors import FileUnreadable

    with pytest.raises(FileUnreadable) as info:
        read_lines(tmp_path / "nope.conll")
    assert info.value.code == "E101" and "nope.conll" in info.value.one_line()


# --------------------------------------------------------------------------- 5. training


def _tiny_data(root: Path, sentences: int) -> Path:
    """A data folder with the first ``sentences`` sentences of ANERcorp train."""
    lines = read_lines(ANERCORP)
    out: list[str] = []
    seen = 0
    started = False
    for line in lines:
        if line.strip():
            started = True
            out.append(line)
        elif started:
            out.append("")
            seen += 1
            started = False
            if seen >= sentences:
                break
    (root / "ner").mkdir(parents=True)
    (root / "ner" / "anercorp-train.conll").write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    return root


needs_anercorp = pytest.mark.skipif(not ANERCORP.is_file(), reason=f"{ANERCORP} is absent")


@pytest.fixture(scope="module")
def tiny_training(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict, dict]:
    if not ANERCORP.is_file():
        pytest.skip(f"{ANERCORP} is absent")
    root = tmp_path_factory.mktemp("train")
    data = _tiny_data(root / "data", 130)
    settings_ = TrainSettings(max_iterations=15, limit=120)
    meta1 = train_ner(data, root / "one", settings_)
    meta2 = train_ner(data, root / "two", settings_)
    return data, root / "one", root / "two", meta1, meta2


@needs_anercorp
def test_training_is_deterministic(tiny_training: tuple[Path, Path, Path, dict, dict]) -> None:
    _data, one, two, meta1, meta2 = tiny_training
    assert sorted(p.name for p in one.iterdir()) == sorted(MODEL_FILES)  # no temporary files left behind
    for name in MODEL_FILES:
        assert (one / name).stat().st_size > 0, name
        assert filecmp.cmp(one / name, two / name, shallow=False), f"{name} differs between two identical runs"
    assert meta1 == meta2


@needs_anercorp
def test_training_is_deterministic_across_processes(tiny_training: tuple[Path, Path, Path, dict, dict],
                                                    tmp_path: Path) -> None:
    data, one, _two, _m1, _m2 = tiny_training
    three = tmp_path / "three"
    code = ("import sys\nfrom marsad.ner.train import train_ner, TrainSettings\n"
            "train_ner(sys.argv[1], sys.argv[2], TrainSettings(max_iterations=15, limit=120))\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    r = subprocess.run([sys.executable, "-c", code, str(data), str(three)], capture_output=True, env=env, timeout=120,
                       check=False)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    for name in MODEL_FILES:
        assert filecmp.cmp(one / name, three / name, shallow=False), f"{name} depends on the hash seed"


@needs_anercorp
def test_trained_metadata(tiny_training: tuple[Path, Path, Path, dict, dict]) -> None:
    data, one, _two, meta, _m2 = tiny_training
    assert json.loads((one / META_FILE).read_text(encoding="utf-8")) == meta
    assert meta["features_version"] == FEATURES_VERSION
    assert meta["lexicon_digest"] == lexicon_digest(build_lexicons())
    assert meta["labels"] == list(LABELS)
    corpus = data / "ner" / "anercorp-train.conll"
    assert meta["training_data"]["sha256"] == hashlib.sha256(corpus.read_bytes()).hexdigest()
    assert meta["training_data"]["sentences"] == 120
    assert meta["dev_split"] == {"sentences": 12, "from": 108, "how": "last sentences of the file, contiguous"}
    assert meta["settings"]["max_iterations"] == 15 and meta["settings"]["limit"] == 120
    assert set(meta["dev_scores"]) == {"crf", "crf+rules", "crf+rules+propagation"}
    assert str(one) not in json.dumps(meta)  # no machine-specific path in the metadata


@needs_anercorp
def test_trained_model_loads_and_tags(tiny_training: tuple[Path, Path, Path, dict, dict]) -> None:
    _data, one, _two, _m1, _m2 = tiny_training
    model = NerModel(one)
    tokens = ["قال", "الرئيس", "بشار", "الأسد", "في", "دمشق"]
    tags = model.tag(tokens)
    assert len(tags) == len(tokens) and set(tags) <= TAGS
    assert model.extractor.clusters and model.version == "1"
    many = model.tag_many([tokens, ["وصل", "إلى", "حلب"]])
    assert [len(t) for t in many] == [6, 3]


def test_training_without_a_corpus_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        train_ner(tmp_path / "nothing-here", tmp_path / "out", TrainSettings(max_iterations=2))
    assert info.value.code == "E100"
    assert str(tmp_path / "nothing-here") in info.value.one_line()
    assert not (tmp_path / "out").exists()


def test_training_on_a_bad_corpus_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "data" / "ner").mkdir(parents=True)
    (tmp_path / "data" / "ner" / "anercorp-train.conll").write_text("قال O\nبشار PERSON\n", encoding="utf-8")
    with pytest.raises(MalformedRecord) as info:
        train_ner(tmp_path / "data", tmp_path / "out", TrainSettings(max_iterations=2))
    assert info.value.line == 2


def test_clusters_of_a_corpus_without_repeated_words() -> None:
    assert learn_clusters([["قال", "بشار", "الأسد"]], min_count=2) == {}


def test_clusters_are_deterministic_and_cover_frequent_words() -> None:
    corpus = [["قال", "الرئيس", "في", "دمشق"], ["قال", "الوزير", "في", "حلب"], ["قال", "الرئيس", "في", "حلب"]] * 3
    a = learn_clusters(corpus, min_count=3, sizes=(2, 4))
    assert a == learn_clusters(corpus, min_count=3, sizes=(2, 4))
    assert set(a) == {"قال", "الرييس", "الوزير", "في", "دمشق", "حلب"}  # normalised words seen 3 times or more
    assert all(len(ids) == 2 and ids[0].startswith("2.") and ids[1].startswith("4.") for ids in a.values())


_CLUSTER_PROBE = """
import hashlib, json, random
from marsad.ner.clusters import embed, learn_clusters
rng = random.Random(7)
letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 6))) for _ in range(900)]
weights = [1 / (r + 1) for r in range(len(words))]  # Zipf-like, so many words repeat
corpus = [rng.choices(words, weights, k=rng.randint(5, 20)) for _ in range(3000)]
vocab, vectors = embed(corpus, min_count=2, context_words=400)
clusters = learn_clusters(corpus, min_count=2, context_words=400, sizes=(16, 64))
print(json.dumps({"n": len(clusters), "embedding": hashlib.sha256(vectors.tobytes()).hexdigest(),
                  "clusters": hashlib.sha256(json.dumps(sorted(clusters.items())).encode()).hexdigest()}))
"""


@pytest.mark.slow
def test_clusters_do_not_depend_on_the_blas_thread_count() -> None:
    # OpenBLAS sums in another order with 2 threads; the clusters (and so the model) must not change
    runs = []
    for threads in ("1", "2"):
        env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        r = subprocess.run([sys.executable, "-c", _CLUSTER_PROBE], capture_output=True, env=env, timeout=300,
                           check=False)
        assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
        runs.append(json.loads(r.stdout))
    assert runs[0]["n"] > 500
    assert runs[0] == runs[1], "word clusters differ between 1 and 2 BLAS threads"


def test_cluster_linear_algebra_runs_on_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np
    from threadpoolctl import threadpool_info

    seen: list[int] = []
    eigh = np.linalg.eigh

    def spy(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seen.extend(int(p["num_threads"]) for p in threadpool_info() if p["user_api"] == "blas")
        return eigh(a)

    monkeypatch.setattr(np.linalg, "eigh", spy)
    corpus = [["قال", "الرئيس", "في", "دمشق"], ["قال", "الوزير", "في", "حلب"], ["قال", "الرئيس", "في", "حلب"]] * 3
    learn_clusters(corpus, min_count=3, sizes=(2, 4))
    assert seen and set(seen) == {1}


def test_cluster_embedding_has_a_fixed_sign_and_grid() -> None:
    import numpy as np

    from marsad.ner.clusters import embed

    corpus = [["قال", "الرئيس", "في", "دمشق"], ["قال", "الوزير", "في", "حلب"], ["قال", "الرئيس", "في", "حلب"]] * 3
    vocab, vectors = embed(corpus, min_count=3, dims=4)
    assert len(vocab) == len(vectors) == 6
    assert np.array_equal(vectors * 2**20, np.round(vectors * 2**20))  # on the 2^-20 grid: exact dot products
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


# --------------------------------------------------------------------------- 7. candidates


def test_unknown_organisation_becomes_a_candidate_actor() -> None:
    text = "أعلنت جبهة تحرير الجنوب مسؤوليتها عن الهجوم"
    doc = marsad.extract(text)
    org = [e for e in doc.layer("entities") if e.label == "ORG" and e.text == "جبهة تحرير الجنوب"]
    assert org, f"the model no longer tags the organisation: {[(e.text, e.label) for e in doc.layer('entities')]}"
    actor = [a for a in doc.layer("actors") if (a.start, a.end) == (org[0].start, org[0].end)]
    assert len(actor) == 1
    data = actor[0].data
    assert data["actor_id"] is None and data["in_kb"] is False
    assert data["name"] == "جبهة تحرير الجنوب"
    assert data["confidence"] == org[0].data["confidence"]
    assert actor[0].component == "knowledge.candidates"
    contract = doc.to_contract()["actors"]
    assert any(a["text"] == "جبهة تحرير الجنوب" and a["actor_id"] is None and a["in_kb"] is False for a in contract)


def test_unknown_place_becomes_a_candidate_place() -> None:
    text = "قتل ثلاثة أشخاص في غارة على أم الكراميل جنوب حلب"
    doc = marsad.extract(text)
    loc = [e for e in doc.layer("entities") if e.label == "LOC" and "الكراميل" in e.text]
    assert loc, f"the model no longer tags the village: {[(e.text, e.label) for e in doc.layer('entities')]}"
    entity = loc[0]
    assert entity.data["confidence"] >= MIN_PLACE_CONFIDENCE
    places = [p for p in doc.layer("places") if (p.start, p.end) == (entity.start, entity.end)]
    assert len(places) == 1
    data = places[0].data
    assert data["geonameid"] is None and data["name_origin"] == "ner"
    assert data["name"] == entity.text and data["confidence"] == entity.data["confidence"]
    # placed in the governorate of the document's resolved place (حلب), with that precision
    assert data["country"] == "SY" and data["admin1"] == "Aleppo" and data["precision"] == 2
    assert data["lat"] is not None and data["lon"] is not None


def test_known_names_are_not_candidates(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        for a in doc.layer("actors"):
            if a.component == "knowledge.candidates":
                assert a.data["in_kb"] is False and a.data["actor_id"] is None
        for p in doc.layer("places"):
            if p.data.get("name_origin") == "ner":
                assert p.data["geonameid"] is None and p.data["confidence"] >= MIN_PLACE_CONFIDENCE
        # "منظمة العفو الدولية" is in the actor base: no candidate for it
        assert not any(a.component == "knowledge.candidates" and a.text == "منظمة العفو الدولية"
                       for a in doc.layer("actors"))


def _doc_with(text: str, ents: list[tuple[str, str, float, str]], places: list[tuple[str, dict]] = (),
              actors: list[tuple[str, dict]] = ()) -> Document:
    doc = Document(text)

    def ann(layer: str, phrase: str, label: str | None, data: dict) -> Annotation:
        start = text.index(phrase)
        return Annotation(layer, start, start + len(phrase), phrase, "test", "0", label, data)

    doc.set_layer("entities", [ann("entities", p, lab, {"label": lab, "confidence": c, "how": how})
                               for p, lab, c, how in ents])
    doc.set_layer("places", [ann("places", p, None, d) for p, d in places])
    doc.set_layer("actors", [ann("actors", p, None, d) for p, d in actors])
    return doc


def test_candidates_component_directly() -> None:
    text = "هاجمت كتائب الفجر الجديد قرية زعبلوط وقرية خربة النمل ومدينة حلب وقوات سوريا الديمقراطية"
    doc = _doc_with(
        text,
        [("كتائب الفجر الجديد", "ORG", 0.2, "crf"),        # unknown organisation, any confidence
         ("زعبلوط", "LOC", MIN_PLACE_CONFIDENCE, "crf"),    # unknown place at the threshold
         ("خربة النمل", "LOC", MIN_PLACE_CONFIDENCE - 0.01, "propagated"),  # below it
         ("حلب", "LOC", 0.99, "crf"),                       # a known place
         ("قوات سوريا الديمقراطية", "ORG", 1.0, "kb")],    # from the knowledge base: not a candidate
        places=[("حلب", {"geonameid": 170063, "country": "SY", "admin1_code": "SY.09", "name_origin": "geonames"})],
        actors=[("قوات سوريا الديمقراطية", {"actor_id": "sy-sdf", "in_kb": True})],
    )
    candidates_component(doc)
    actors = {a.text: a.data for a in doc.layer("actors")}
    assert actors["كتائب الفجر الجديد"]["actor_id"] is None
    assert actors["كتائب الفجر الجديد"]["in_kb"] is False
    assert actors["كتائب الفجر الجديد"]["confidence"] == 0.2
    assert actors["كتائب الفجر الجديد"]["country"] == "SY"
    assert actors["قوات سوريا الديمقراطية"]["actor_id"] == "sy-sdf"
    assert len(doc.layer("actors")) == 2
    places = {p.text: p.data for p in doc.layer("places")}
    assert set(places) == {"حلب", "زعبلوط"}
    assert places["زعبلوط"]["geonameid"] is None and places["زعبلوط"]["name_origin"] == "ner"
    assert places["زعبلوط"]["admin1_code"] == "SY.09" and places["زعبلوط"]["precision"] == 2
    assert places["زعبلوط"]["confidence"] == MIN_PLACE_CONFIDENCE
    assert [p.start for p in doc.layer("places")] == sorted(p.start for p in doc.layer("places"))


def test_candidates_without_any_resolved_place() -> None:
    doc = _doc_with("دخلت قوات المغاوير قرية زعبلوط", [("قوات المغاوير", "ORG", 0.9, "crf"),
                                                         ("زعبلوط", "LOC", 0.9, "crf")])
    candidates_component(doc)
    place = doc.layer("places")[0].data
    assert place["geonameid"] is None and place["country"] is None and place["admin1"] is None
    assert place["precision"] == 3 and place["lat"] is None
    assert doc.layer("actors")[0].data["country"] is None


def test_candidates_without_entities_change_nothing() -> None:
    doc = _doc_with("لا أسماء هنا", [])
    candidates_component(doc)
    assert doc.layer("places") == [] and doc.layer("actors") == []


# --------------------------------------------------------------------------- 8. broken model directories


def _broken_copy(tmp_path: Path, change: Callable[[Path], object]) -> Path:
    directory = tmp_path / "model"
    shutil.copytree(shipped_model_dir(), directory)
    change(directory)
    return directory


def _set_meta(directory: Path, **values: object) -> None:
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta.update(values)
    (directory / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: _set_meta(d, features_version="0"), id="old-features"),
    pytest.param(lambda d: _set_meta(d, features_version=None), id="no-features-version"),
    pytest.param(lambda d: (d / MODEL_FILE).unlink(), id="no-model-file"),
    pytest.param(lambda d: (d / META_FILE).unlink(), id="no-meta"),
    pytest.param(lambda d: (d / MODEL_FILE).write_bytes(b"not a crfsuite model" * 8), id="corrupt-model"),
    pytest.param(lambda d: (d / MODEL_FILE).write_bytes(b""), id="empty-model"),
    pytest.param(lambda d: (d / META_FILE).write_text("{", encoding="utf-8"), id="bad-json"),
    pytest.param(lambda d: (d / META_FILE).write_bytes(b"\xff\xfe\x00"), id="binary-meta"),
    pytest.param(lambda d: (d / LEXICONS_FILE).write_text("place\tحلب\n", encoding="utf-8"), id="other-lexicons"),
    pytest.param(lambda d: (d / LEXICONS_FILE).write_bytes(b"\xff\xfe\x00\xd8"), id="binary-lexicons"),
])
def test_broken_model_directory_is_a_model_error(tmp_path: Path, change: Callable[[Path], object]) -> None:
    directory = _broken_copy(tmp_path, change)
    with pytest.raises(ModelError) as info:
        NerModel(directory)
    assert info.value.code == "E500"
    assert str(directory) in info.value.one_line()
    assert info.value.one_line().startswith("error[E500] ")


def test_shipped_lexicons_file_holds_the_lists_built_from_the_data() -> None:
    # the file spares loading a pass over the gazetteer; it must hold what the data gives
    assert read_lexicons(shipped_model_dir() / LEXICONS_FILE) == build_lexicons(), RETRAIN


def test_model_without_a_lexicons_file_builds_them(tmp_path: Path) -> None:
    directory = _broken_copy(tmp_path, lambda d: (d / LEXICONS_FILE).unlink())  # a model from before the file
    model = NerModel(directory)
    assert model.extractor.lexicons == build_lexicons()
    assert model.tag(["قال", "جمال", "معروف"]) == default_model().tag(["قال", "جمال", "معروف"])


def test_missing_model_directory_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        NerModel(tmp_path / "no-such-model")
    assert str(tmp_path / "no-such-model") in info.value.one_line()


def test_old_features_message_says_retrain(tmp_path: Path) -> None:
    directory = _broken_copy(tmp_path, lambda d: _set_meta(d, features_version="0"))
    with pytest.raises(ModelError, match="marsad train ner"):
        NerModel(directory)


@pytest.mark.parametrize("content", ["[]", "null", "1"])
def test_meta_json_not_an_object_is_a_model_error(tmp_path: Path, content: str) -> None:
    directory = _broken_copy(tmp_path, lambda d: (d / META_FILE).write_text(content, encoding="utf-8"))
    with pytest.raises(ModelError):
        NerModel(directory)


@pytest.mark.parametrize("name", [CLUSTERS_FILE, COMMON_FILE])
def test_missing_side_file_is_a_model_error(tmp_path: Path, name: str) -> None:
    directory = _broken_copy(tmp_path, lambda d: (d / name).unlink())
    with pytest.raises(ModelError) as info:
        NerModel(directory)
    assert str(directory) in info.value.one_line()
