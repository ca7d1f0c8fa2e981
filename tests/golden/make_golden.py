"""Write the golden snapshots of the text layer for the demo seeds.

    python tests/golden/make_golden.py

writes ``tests/golden/<seed id>.json`` (the seed id is the demo file name without ``.txt``)
with what :func:`marsad.extract` produces for the seed: the sentences ``[start, end, text]``,
the tokens ``[start, end, kind, text, prefixes, stem, suffix]`` (the primary clitic analysis)
and the normalised text, split into lines. ``tests/test_golden_seeds.py`` regenerates the
same data in memory and compares. After an intended change to the text layer, run this
script and review the diff of the JSON files before committing them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent


def seed_paths() -> list[Path]:
    from marsad.io.demo import demo_paths

    return demo_paths()


def seed_id(path: Path) -> str:
    return path.stem


def build_golden(text: str) -> dict[str, Any]:
    """The snapshot of one seed: everything the text layer says about it."""
    import marsad
    from marsad.text import normalize as normalize_mod
    from marsad.text import sentences as sentences_mod
    from marsad.text import tokens as tokens_mod

    doc = marsad.extract(text)
    assert doc.tokens is not None
    tokens = []
    for t in doc.tokens:
        a = t.analysis
        tokens.append([t.start, t.end, t.kind, t.text, list(a.prefixes), a.stem, a.suffix])
    return {
        "versions": {
            normalize_mod.COMPONENT: normalize_mod.VERSION,
            sentences_mod.COMPONENT: sentences_mod.VERSION,
            tokens_mod.COMPONENT: tokens_mod.VERSION,
        },
        "chars": len(text),
        "words": doc.tokens.words,
        "sentences": [[s.start, s.end, s.text] for s in doc.sentences],
        "tokens": tokens,
        # one line per line of the text, so that a diff points at the line that changed
        "normalized": doc.normalized.text.split("\n"),
    }


def dumps(golden: dict[str, Any]) -> str:
    """JSON with one sentence or token per line, so that a diff shows what changed."""
    lines = ["{"]
    keys = list(golden)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = golden[key]
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for j, item in enumerate(value):
                item_comma = "," if j < len(value) - 1 else ""
                lines.append("    " + json.dumps(item, ensure_ascii=False) + item_comma)
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def golden_path(path: Path) -> Path:
    return GOLDEN_DIR / f"{seed_id(path)}.json"


def main() -> int:
    for path in seed_paths():
        text = path.read_text(encoding="utf-8")
        out = golden_path(path)
        new = dumps(build_golden(text))
        old = out.read_text(encoding="utf-8") if out.exists() else None
        if new != old:
            out.write_text(new, encoding="utf-8")
            print(f"wrote {out}")
        else:
            print(f"unchanged {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
