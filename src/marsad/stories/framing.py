"""Framing signals of one document: scare quotes, loaded terms, and the sources it relies on.

The word lists are data (``data/stories/framing.toml``) an analyst can extend; they are matched
over normalised words with clitics, like every other marsad lexicon. Nothing here judges an
outlet: the comparison shows which outlet chose which word, with the words themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.document import Document
from marsad.expressions.lexicon import PhraseLexicon
from marsad.stories.incidents import span

_OPENERS = {"«": "»", "“": "”", "‹": "›"}
_SYMMETRIC = frozenset('"”')
_COMBATANTS = frozenset(("State forces", "Rebel group", "Political militia", "Identity militia"))


@dataclass(frozen=True)
class Framing:
    terms: PhraseLexicon  # category "term", value (lemma, category, note)
    accusation_cues: PhraseLexicon  # category "cue"
    accusation_content: PhraseLexicon  # category "content"
    max_quote_words: int


@lru_cache(maxsize=1)
def framing_data() -> Framing:
    """The framing lists, read and indexed once."""
    with (resources.files("marsad") / "data" / "stories" / "framing.toml").open("rb") as fh:
        data = tomllib.load(fh)
    terms = PhraseLexicon()
    for entry in data.get("term", []):
        for form in entry["forms"]:
            terms.add(form, "term", (entry["lemma"], entry["category"], entry.get("note", "")))
    cues, content = PhraseLexicon(), PhraseLexicon()
    for form in data.get("accusations", {}).get("cues", []):
        cues.add(form, "cue", form)
    for form in data.get("accusations", {}).get("content", []):
        content.add(form, "content", form)
    return Framing(terms, cues, content, int(data.get("quotes", {}).get("max_words", 3)))


def _scan(doc: Document, lexicon: PhraseLexicon, category: str, start: int = 0,
          end: int | None = None) -> list[tuple[Any, int, int]]:
    """(value, start, end) of every phrase of ``lexicon`` in ``doc.text[start:end]``."""
    from marsad.expressions.scan import words_of

    words = words_of(doc)
    end = len(doc.text) if end is None else end
    out = []
    i, n = 0, len(words.norms)
    while i < n:
        if words.starts[i] < start or words.ends[i] > end or words.kinds[i] not in ("word", "tag"):
            i += 1
            continue
        match = lexicon.first(words.norms, i, category)
        if match is None:
            i += 1
            continue
        last = i + match.length - 1
        if words.ends[last] <= end:
            out.append((match.entry.value, words.starts[i], words.ends[last]))
        i += match.length
    return out


def loaded_terms(doc: Document) -> list[dict[str, Any]]:
    """Every loaded or marked term of the framing list in the document, in text order."""
    out = []
    for (lemma, category, note), s, e in _scan(doc, framing_data().terms, "term"):
        out.append({"lemma": lemma, "category": category, "note": note, "evidence": span(doc, s, e)})
    return out


def quotes(doc: Document) -> list[tuple[int, int]]:
    """Inner spans of quoted stretches on one line: «...», “...”, "...", and ”...” as some outlets write it."""
    out: list[tuple[int, int]] = []
    offset = 0
    for line in doc.text.split("\n"):
        pending: list[tuple[int, str]] = []  # (position after the opening mark, expected closing mark)
        for k, ch in enumerate(line):
            if pending and ch == pending[-1][1]:
                start = pending.pop()[0]
                out.append((offset + start, offset + k))
            elif ch in _OPENERS:
                pending.append((k + 1, _OPENERS[ch]))
            elif ch in _SYMMETRIC:
                pending.append((k + 1, ch))
        offset += len(line) + 1
    return sorted(out)


def _named(doc: Document, start: int, end: int) -> Any | None:
    """The known place or actor, or the person, that the quoted words are (a quoted name is no scare quote).

    Organisations and places found only by the NER model do not count: it readily takes a quoted
    phrase («جيب التحالف الداعشي») for an organisation's name.
    """
    length = end - start
    for layer in ("actors", "places", "entities"):
        for a in doc.layer(layer):
            if layer == "entities" and a.label != "PERS":
                continue
            overlap = min(end, a.end) - max(start, a.start)
            if length and overlap >= 0.8 * length:
                return a
    return None


def quoted_words(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(scare quotes, quoted names): short quoted stretches, split by whether they name something known."""
    data = framing_data()
    terms = loaded_terms(doc)
    scare, names = [], []
    for s, e in quotes(doc):
        while s < e and doc.text[s].isspace():
            s += 1
        while e > s and doc.text[e - 1].isspace():
            e -= 1
        inner = doc.text[s:e]
        if not inner or not any(c.isalpha() for c in inner) or len(inner.split()) > data.max_quote_words:
            continue
        item: dict[str, Any] = {"text": inner, "evidence": span(doc, s, e)}
        inside = sorted({t["lemma"] for t in terms if s <= t["evidence"]["start"] and t["evidence"]["end"] <= e})
        if inside:
            item["loaded"] = inside
        named = _named(doc, s, e)
        if named is not None:
            item["names"] = named.data.get("name") or named.text
            names.append(item)
        else:
            scare.append(item)
    return scare, names


def claim_speaker_key(claim: dict[str, Any]) -> str:
    """Who makes a claim, as a key: the knowledge-base actor, else the speaker's words normalised."""
    if claim.get("speaker_actor"):
        return str(claim["speaker_actor"])
    from marsad.stories.profile import bare
    from marsad.text.normalize import normalize_str

    return "text:" + " ".join(bare(w) for w in normalize_str(claim["speaker"]["text"]).split())


def accusation(doc: Document, claim: Any) -> dict[str, Any] | None:
    """If a claim accuses someone, who and why: an accusation cue, accusing words in its content,
    or a violent event inside it with a named perpetrator."""
    data = framing_data()
    c = claim.data
    reasons = []
    cue = c.get("cue") or {}
    if cue.get("end") and _scan(doc, data.accusation_cues, "cue", cue["start"], cue["end"]):
        reasons.append(f"cue «{cue['text']}»")
    content = c.get("content") or {}
    cs, ce = content.get("start", claim.start), content.get("end", claim.end)
    words = [v for v, _s, _e in _scan(doc, data.accusation_content, "content", cs, ce)]
    if words:
        reasons.append("content says " + ", ".join(f"«{w}»" for w in dict.fromkeys(words)))
    accused: dict[str, str] = {}
    speaker = c.get("speaker_actor")
    speakers = {cl.data.get("speaker_actor") for cl in doc.layer("claims")} - {None}
    for ev in doc.layer("events"):
        e = ev.data
        trig = e.get("trigger") or {}
        if e.get("event_type") in ("Battles", "Explosions/Remote violence", "Violence against civilians") and \
                cs <= trig.get("start", -1) < ce and e.get("actor1"):
            a = e["actor1"]
            if a.get("actor_id") in speakers and a.get("category") not in _COMBATANTS:
                continue  # a source quoted elsewhere in the text, taken for the actor: not who is accused
            if a.get("actor_id") != speaker:
                accused[a.get("actor_id") or a.get("text")] = a.get("name") or a.get("text")
                reasons.append(f"reports {e['sub_event_type']} by {a.get('name') or a.get('text')}")
    if not reasons:
        return None
    if not accused:
        for a in doc.layer("actors"):
            if cs <= a.start and a.end <= ce and a.data.get("actor_id") and a.data.get("actor_id") != speaker \
                    and not a.data.get("generic"):
                accused.setdefault(a.data["actor_id"], a.data.get("name") or a.text)
    return {"accused": [{"actor_id": k, "name": v} for k, v in accused.items()],
            "why": "; ".join(dict.fromkeys(reasons))}


def attributions(doc: Document) -> list[dict[str, Any]]:
    """The sources the document relies on: each claim speaker, how many claims, and where."""
    by: dict[str, dict[str, Any]] = {}
    for cl in doc.layer("claims"):
        key = claim_speaker_key(cl.data)
        sp = cl.data["speaker"]
        item = by.setdefault(key, {"speaker": sp["text"], "speaker_actor": cl.data.get("speaker_actor"),
                                   "claims": 0, "evidence": []})
        item["claims"] += 1
        item["evidence"].append(span(doc, sp["start"], sp["end"]))
    return list(by.values())


def framing_signals(doc: Document) -> dict[str, Any]:
    """Scare quotes, quoted names, loaded terms and attributions of one document."""
    scare, names = quoted_words(doc)
    return {"scare_quotes": scare, "quoted_names": names, "loaded_terms": loaded_terms(doc),
            "attributions": attributions(doc)}
