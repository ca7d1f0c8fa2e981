"""``marsad bench``: speed and memory of the pipeline (and the store), measured, not guessed.

Runs on one core (the process pins itself where the OS allows), over a built-in corpus made
from the demo articles or over given files, and reports documents/s, tokens/s, per-document
latency percentiles, time per component, peak RSS and cold-start time; with spaCy installed
(``pip install 'marsad[bench]'``) it times spaCy's blank Arabic tokenizer on the same texts as a
reference.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from marsad.document import Document
from marsad.pipeline import Pipeline, default_pipeline


@dataclass
class BenchResult:
    documents: int
    words_per_document: float
    tokens: int
    store: bool
    seconds: float
    docs_per_second: float
    tokens_per_second: float
    pipeline_docs_per_second: float
    latency_ms_p50: float
    latency_ms_p95: float
    component_ms_per_doc: dict[str, float]
    # documents/s of the pipeline cut after each component (from the same run: the stage targets)
    docs_per_second_through: dict[str, float]
    store_ms_per_doc: float | None
    peak_rss_mb: float
    cold_start_s: float | None
    gazetteer_load_s: float | None  # open the gazetteer files and build the place matcher
    cpu_pinned: bool
    ner_load_s: float | None = None  # load the NER model and the lists its features use
    ner_tokens_per_second: float | None = None  # CRF tagging alone, features computed cold
    story_ms_per_document: dict[int, float] | None = None  # incremental clustering, by corpus size
    spacy_tokenizer_docs_per_second: float | None = None
    spacy_vs_tokenizer: float | None = None  # spaCy tokenizer time / marsad tokenizer time
    spacy_vs_text_layer: float | None = None  # spaCy tokenizer time / marsad sentences + tokens time
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def builtin_corpus(n_docs: int, words: int | None = None) -> list[Document]:
    """``n_docs`` distinct documents made from the demo articles (paragraphs rotated, numbered).

    With ``words``, each document is cut after that many words (the demo articles average 462;
    targets are often stated for a 400-word article), then numbered.
    """
    from marsad.io.demo import demo_paths

    bases = [p.read_text(encoding="utf-8") for p in demo_paths()]
    paragraphs = [b.split("\n") for b in bases]
    docs = []
    for i in range(n_docs):
        paras = paragraphs[i % len(paragraphs)]
        k = (i // len(paragraphs)) % len(paras)
        text = "\n".join(paras[k:] + paras[:k])
        if words is not None:
            text = _first_words(text, words)
        text += f"\n{i}"
        docs.append(Document(text, id=f"bench-{i}"))
    return docs


def _first_words(text: str, n: int) -> str:
    """``text`` up to the end of its ``n``-th word, as the tokenizer counts words (all if shorter)."""
    from marsad.text.tokens import WORD, tokenize

    count = 0
    for start, end, kind in tokenize(text).spans:
        count += kind == WORD
        if count == n:
            return text[:end]
    return text


def corpus_from_files(paths: Iterable[str], n_docs: int) -> tuple[list[Document], list[str]]:
    """Documents read from files (repeated, with distinct ids, up to ``n_docs``) and read errors."""
    from marsad.io.readers import read_documents

    docs: list[Document] = []
    errors: list[str] = []
    for result in read_documents(list(paths)):
        if isinstance(result, Document):
            docs.append(result)
        else:
            errors.append(result.one_line())
    if not docs:
        return [], errors
    out = []
    for i in range(max(n_docs, len(docs))):
        base = docs[i % len(docs)]
        text = base.text if i < len(docs) else base.text + f"\n{i}"
        out.append(Document(text, id=f"{base.id}-{i}", meta=base.meta))
    return out[: max(n_docs, 1)], errors


def _pin_to_one_core() -> bool:
    if hasattr(os, "sched_setaffinity"):
        try:
            cpus = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpus[0]})
            return True
        except OSError:
            return False
    return False


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def cold_start_seconds() -> float | None:
    """Wall time of a fresh interpreter that imports marsad and extracts one short document."""
    code = "import marsad; marsad.extract('قتل خمسة مدنيين في قصف على بلدة هجين أمس.')"
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError):
        return None
    return time.perf_counter() - start


def gazetteer_load_seconds() -> float | None:
    """Time to open the gazetteer and build the place matcher from scratch (done once per process)."""
    from marsad.knowledge import shipped_gazetteer_path, user_gazetteer_path
    from marsad.knowledge.gazetteer import Gazetteer
    from marsad.knowledge.places import PlaceMatcher

    paths = [shipped_gazetteer_path()] + ([user_gazetteer_path()] if user_gazetteer_path().is_file() else [])
    start = time.perf_counter()
    gazetteer = Gazetteer(paths)
    PlaceMatcher(gazetteer)
    seconds = time.perf_counter() - start
    gazetteer.close()
    return seconds


def ner_measurements(docs: list[Document], max_docs: int = 300) -> tuple[float | None, float | None]:
    """(seconds to load the NER model from disk, tokens tagged per second by a freshly loaded model)."""
    from marsad.ner import model as ner_model
    from marsad.text.sentences import split_sentences
    from marsad.text.tokens import tokenize

    ner_model.build_lexicons.cache_clear()
    start = time.perf_counter()
    model = ner_model.NerModel(ner_model.shipped_model_dir())
    load = time.perf_counter() - start
    documents: list[list[list[str]]] = []
    for d in docs[:max_docs]:
        toks = tokenize(d.text)
        documents.append([[d.text[t.start : t.end] for t in toks.in_span(s_start, s_end)]
                          for s_start, s_end in split_sentences(d.text)])
    n_tokens = sum(len(s) for sentences in documents for s in sentences)
    start = time.perf_counter()
    for sentences in documents:  # a document's sentences at once, as the pipeline tags them
        model.tag_sentences(sentences)
    seconds = time.perf_counter() - start
    return load, (n_tokens / seconds if seconds else None)


def story_clustering_ms(sizes: tuple[int, ...] = (1_000, 10_000), real: int = 60) -> dict[int, float]:
    """Milliseconds per document added to the incremental story index, at each corpus size.

    The corpus is synthetic but made from real text: the profiles of ``real`` documents of the
    built-in corpus, each copied into groups of ten whose words carry the group's tag, so that
    ``n`` documents make about ``n / 10`` distinct stories. The time per added document at 1k and
    10k says whether clustering grows with the corpus (it should not: candidates come from an
    inverted index, never from every story).
    """
    from collections import Counter

    from marsad.pipeline import extract
    from marsad.stories.cluster import StoryIndex
    from marsad.stories.profile import Profile, document_profile

    bases = [document_profile(extract(d.text)) for d in builtin_corpus(real)]
    out: dict[int, float] = {}
    for n in sizes:
        index = StoryIndex()
        profiles = []
        for i in range(n):
            base, group = bases[i % len(bases)], i // 10
            profiles.append(Profile(terms=Counter({f"{t}#{group}": c for t, c in base.terms.items()}),
                                    places=Counter({f"{p}#{group}": c for p, c in base.places.items()}),
                                    actors=Counter(base.actors), documents=1))
        start = time.perf_counter()
        tail_start = None
        for i, profile in enumerate(profiles):
            if i == n - min(n, 1000):
                tail_start = time.perf_counter()
            index.add(profile, f"s{i}")
        end = time.perf_counter()
        # the cost of the last thousand additions, when the index already holds the rest
        out[n] = round((end - (tail_start or start)) / min(n, 1000) * 1000, 3)
    return out


def _through(component_seconds: dict[str, float], n: int) -> dict[str, float]:
    """Documents/s of the pipeline up to and including each component (running sums of their times)."""
    out, total = {}, 0.0
    for name, seconds in component_seconds.items():
        total += seconds
        out[name] = round(n / total, 1) if total else 0.0
    return out


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_bench(
    docs: list[Document],
    *,
    pipeline: Pipeline | None = None,
    store: bool = True,
    spacy_reference: bool = True,
    cold_start: bool = True,
    batch_size: int = 200,
) -> BenchResult:
    """Time the pipeline (and store writes) over ``docs``; see the module docstring."""
    pipeline = pipeline or default_pipeline()
    pinned = _pin_to_one_core()
    notes: list[str] = []
    texts = [d.text for d in docs]
    # warm up: lazy resources load once, outside the timed loop (cold start is measured apart)
    pipeline(Document(texts[0]))

    tmpdir = tempfile.TemporaryDirectory(prefix="marsad-bench-") if store else None
    db = None
    if tmpdir is not None:
        from marsad.store import open_store

        db = open_store(Path(tmpdir.name) / "bench.db")
    component_seconds = {c.signature: 0.0 for c in pipeline.components}
    store_seconds = 0.0
    latencies: list[float] = []
    tokens = 0
    words = 0
    signature = pipeline.signature
    perf = time.perf_counter
    started = perf()
    try:
        if db is not None:
            db.begin()
        for i, template in enumerate(docs):
            t0 = perf()
            doc = Document(template.text, id=template.id, meta=template.meta)
            for c in pipeline.components:
                c0 = perf()
                c.func(doc)
                component_seconds[c.signature] += perf() - c0
            if db is not None:
                s0 = perf()
                db.save(doc, signature)
                if (i + 1) % batch_size == 0:
                    db.commit()
                    db.begin()
                store_seconds += perf() - s0
            latencies.append(perf() - t0)
            if doc.tokens is not None:
                tokens += len(doc.tokens)
                words += doc.tokens.words
        if db is not None:
            s0 = perf()
            db.commit()
            store_seconds += perf() - s0
    finally:
        if db is not None:
            db.close()
        if tmpdir is not None:
            tmpdir.cleanup()
    elapsed = perf() - started
    pipeline_seconds = sum(component_seconds.values())
    n = len(docs)
    peak = _peak_rss_mb()

    ner_load, ner_tps = ner_measurements(docs)
    spacy_dps = vs_tokenizer = vs_text_layer = None
    if spacy_reference:
        try:
            import spacy  # optional: pip install 'marsad[bench]'
        except ImportError:
            notes.append("spaCy not installed: no reference ratio (pip install 'marsad[bench]')")
        else:
            nlp = spacy.blank("ar")
            nlp.tokenizer(texts[0])
            s0 = perf()
            for text in texts:
                nlp.tokenizer(text)
            spacy_seconds = perf() - s0
            spacy_dps = n / spacy_seconds if spacy_seconds else None
            text_layer = sum(v for k, v in component_seconds.items() if k.startswith("text."))
            tokenizer = sum(v for k, v in component_seconds.items() if k.startswith("text.tokens"))
            vs_text_layer = spacy_seconds / text_layer if text_layer else None
            vs_tokenizer = spacy_seconds / tokenizer if tokenizer else None

    return BenchResult(
        documents=n,
        words_per_document=round(words / n, 1) if n else 0.0,
        tokens=tokens,
        store=store,
        seconds=round(elapsed, 3),
        docs_per_second=round(n / elapsed, 1) if elapsed else 0.0,
        tokens_per_second=round(tokens / elapsed) if elapsed else 0.0,
        pipeline_docs_per_second=round(n / pipeline_seconds, 1) if pipeline_seconds else 0.0,
        latency_ms_p50=round(_percentile(latencies, 0.5) * 1000, 3),
        latency_ms_p95=round(_percentile(latencies, 0.95) * 1000, 3),
        component_ms_per_doc={k: round(v / n * 1000, 4) for k, v in component_seconds.items()} if n else {},
        docs_per_second_through=_through(component_seconds, n),
        store_ms_per_doc=round(store_seconds / n * 1000, 4) if (store and n) else None,
        peak_rss_mb=round(peak, 1),
        cold_start_s=round(cs, 3) if cold_start and (cs := cold_start_seconds()) is not None else None,
        gazetteer_load_s=round(gazetteer_load_seconds() or 0.0, 3),
        ner_load_s=round(ner_load, 3) if ner_load is not None else None,
        ner_tokens_per_second=round(ner_tps) if ner_tps else None,
        cpu_pinned=pinned,
        spacy_tokenizer_docs_per_second=round(spacy_dps, 1) if spacy_dps else None,
        spacy_vs_tokenizer=round(vs_tokenizer, 2) if vs_tokenizer else None,
        spacy_vs_text_layer=round(vs_text_layer, 2) if vs_text_layer else None,
        notes=notes,
    )
