"""The public Python API: small, typed, cheap to import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

import marsad
from marsad.document import CONTRACT_LAYERS


def test_import_is_light():
    """Nothing heavy or networked at import time: no CLI, HTML, store or network modules."""
    code = (
        "import sys, marsad; heavy = {'typer', 'rich', 'trafilatura', 'sqlite3', 'socket', 'urllib.request', "
        "'lxml', 'spacy', 'marsad.pipeline', 'marsad.store'}; print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    # the pipeline's models load on first use, not when the pipeline module is imported
    code = ("import sys, marsad.pipeline; print(sorted({'numpy', 'pycrfsuite'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_extract_returns_an_annotated_document():
    doc = marsad.extract("قصفت الطائرات بلدة هجين أمس. وقتل ١٢ مدنياً!", published="2018-11-05", id="d1")
    assert isinstance(doc, marsad.Document)
    assert doc.id == "d1"
    assert doc.meta.published == date(2018, 11, 5)
    assert [s.text for s in doc.sentences] == ["قصفت الطائرات بلدة هجين أمس.", "وقتل ١٢ مدنياً!"]
    assert [t.text for t in doc.tokens][:4] == ["قصفت", "الطائرات", "بلدة", "هجين"]
    components = {c.signature for c in marsad.Pipeline().components}
    for ann in doc.iter_annotations():
        assert doc.text[ann.start : ann.end] == ann.text
        assert ann.produced_by in components
    out = doc.to_contract()
    assert out["id"] == "d1"
    assert [(d["text"], d["value"], d["precision"]) for d in out["dates"]] == [("أمس", "2018-11-04", "day")]
    assert [(n["text"], n["value"], n["approx"], n["what"]) for n in out["numbers"]] == [
        ("١٢ مدنياً", 12, False, "killed")]
    for layer in CONTRACT_LAYERS:
        assert isinstance(out[layer], list)


def test_extract_without_id_uses_the_content_hash():
    doc = marsad.extract("نص قصير")
    assert doc.id == doc.content_hash[:16]


def test_bad_published_date_is_a_value_error():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        marsad.extract("نص", published="yesterday")


def test_errors_are_one_family_with_codes():
    from marsad import errors

    codes = set()
    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and obj.__module__ == errors.__name__:
            assert issubclass(obj, marsad.MarsadError)
            codes.add(obj.code)
    assert len(codes) >= 10
    e = errors.MalformedRecord("not valid JSON\n(at column 3)", origin="in.jsonl", line=7)
    assert e.one_line() == "error[E107] in.jsonl:7: not valid JSON (at column 3)"


def test_unknown_attribute():
    with pytest.raises(AttributeError):
        marsad.no_such_thing  # noqa: B018
