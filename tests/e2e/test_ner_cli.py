"""End to end: ``marsad tag --conll``, ``marsad eval ner`` and ``marsad train ner`` through the installed script.

Each test runs the real console script in a subprocess with ``tmp_path`` as working directory (see
``test_cli.py`` for the conventions). ``train ner`` is always given ``--out``: without it, it replaces
the model shipped in the package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.ner.model import LABELS, META_FILE, shipped_model_dir

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
SCORE_PY = SHARED / "eval" / "score.py"
ANERCORP = SHARED / "data" / "ner" / "anercorp-train.conll"

_BESIDE = Path(sys.executable).parent / "marsad"
_EXE = str(_BESIDE) if _BESIDE.is_file() else shutil.which("marsad")
MARSAD = [_EXE] if _EXE else [sys.executable, "-m", "marsad"]

TAGS = {"O"} | {f"{k}-{label}" for k in "BI" for label in LABELS}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    env.update(extra)
    return env


def marsad(*args: str | Path, cwd: Path, input: bytes | str | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run([*MARSAD, *map(str, args)], cwd=cwd, input=input, capture_output=True, timeout=timeout,
                          env=clean_env(), check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr


def one_error(r: subprocess.CompletedProcess[str], code: str) -> str:
    """Exit 2 and a single ``error[CODE] ...`` line on stderr, nothing on stdout; returns the line."""
    no_traceback(r.stderr)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"error[{code}]"), lines[0]
    assert r.stdout == ""
    return lines[0]


def valid_iob2(tags: list[str]) -> bool:
    prev = "O"
    for tag in tags:
        if tag not in TAGS or (tag.startswith("I-") and prev[2:] != tag[2:]):
            return False
        prev = tag
    return True


def check_tagged(input_lines: list[str], stdout: str) -> list[list[str]]:
    """The output matches the input line for line; returns the tags of each sentence."""
    assert stdout == "" or stdout.endswith("\n")
    out = stdout.split("\n")[:-1] if stdout else []
    assert len(out) == len(input_lines), (len(out), len(input_lines))
    sentences: list[list[str]] = []
    current: list[str] = []
    for given, line in zip(input_lines, out):
        fields = given.split()
        if not fields:
            assert line == "", repr(line)
            if current:
                sentences.append(current)
                current = []
            continue
        token, sep, tag = line.partition("\t")
        assert sep == "\t" and "\t" not in tag, repr(line)
        assert token == fields[0], (token, fields[0])
        assert tag in TAGS, repr(line)
        current.append(tag)
    if current:
        sentences.append(current)
    for tags in sentences:
        assert valid_iob2(tags), tags
    return sentences


def tag_file(tmp_path: Path, data: bytes, name: str = "in.conll") -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_bytes(data)
    return marsad("tag", "--conll", path, cwd=tmp_path)


# --------------------------------------------------------------------------- marsad tag --conll

ODD_LINES = [
    "", "",                                  # leading blank lines
    "قال\tVBD\tO", "الرئيس NN O",            # extra columns (tab- and space-separated)
    "بشار", "الأسد", "في", "دمشق", ".",
    "", "", "",                              # several blank lines in a row
    "  \t ",                                 # a whitespace-only line is a blank line
    "وصل", "وفد", "من", "USA", "و", "Reuters", "في", "2018", "بعد", "10", "أيام", "إلى", "حلب",
    "   ",
    "وقال", "بشار", "الأسد", "إن", "الجيش", "تقدم",
]


@pytest.fixture(scope="module")
def utf8_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("tag")
    r = tag_file(tmp, ("\n".join(ODD_LINES) + "\n").encode("utf-8"))
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    assert r.stderr == ""
    return r.stdout


def test_tag_conll_line_for_line(utf8_output: str) -> None:
    sentences = check_tagged(ODD_LINES, utf8_output)
    assert len(sentences) == 3
    out = utf8_output.split("\n")
    assert out[:2] == ["", ""]
    assert out[4:8] == ["بشار\tB-PERS", "الأسد\tI-PERS", "في\tO", "دمشق\tB-LOC"]
    assert "USA\t" in utf8_output and "2018\tO" in utf8_output and "10\tO" in utf8_output


@pytest.mark.parametrize("encoding, newline, final", [
    pytest.param("utf-8", "\r\n", True, id="crlf"),
    pytest.param("utf-8", "\n", False, id="no-final-newline"),
    pytest.param("utf-8-sig", "\n", True, id="utf8-bom"),
    pytest.param("utf-16", "\n", True, id="utf16-bom"),
    pytest.param("utf-16", "\r\n", True, id="utf16-bom-crlf"),
    pytest.param("cp1256", "\n", True, id="windows-1256"),
    pytest.param("cp1256", "\r\n", False, id="windows-1256-crlf-no-final-newline"),
])
def test_tag_conll_encodings_and_line_endings(tmp_path: Path, utf8_output: str, encoding: str, newline: str,
                                              final: bool) -> None:
    text = newline.join(ODD_LINES) + (newline if final else "")
    r = tag_file(tmp_path, text.encode(encoding))
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    check_tagged(ODD_LINES, r.stdout)
    assert r.stdout == utf8_output  # the same tokens, the same tags, whatever the file's encoding


def test_tag_conll_from_standard_input(tmp_path: Path, utf8_output: str) -> None:
    r = marsad("tag", "--conll", "-", cwd=tmp_path, input="\n".join(ODD_LINES) + "\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == utf8_output


def test_tag_conll_empty_file(tmp_path: Path) -> None:
    r = tag_file(tmp_path, b"")
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    assert r.stdout == ""


def test_tag_conll_one_token_without_newline(tmp_path: Path) -> None:
    r = tag_file(tmp_path, "دمشق".encode())
    assert r.returncode == 0, r.stderr
    check_tagged(["دمشق"], r.stdout)


def test_tag_conll_long_sentence(tmp_path: Path) -> None:
    words = ["قال", "الرئيس", "بشار", "الأسد", "في", "دمشق", "إن", "الجيش", "تقدم", "نحو", "مدينة", "حلب", "و", "USA",
             "و", "2018", "،"]
    tokens = [words[i % len(words)] for i in range(3000)]
    lines = ["", *tokens, ""]
    r = tag_file(tmp_path, ("\n".join(lines) + "\n").encode("utf-8"))
    assert r.returncode == 0, r.stderr
    sentences = check_tagged(lines, r.stdout)
    assert len(sentences) == 1 and len(sentences[0]) == 3000
    assert "B-PERS" in sentences[0] and "B-LOC" in sentences[0]


def test_tag_conll_missing_file(tmp_path: Path) -> None:
    r = marsad("tag", "--conll", tmp_path / "nope.conll", cwd=tmp_path)
    line = one_error(r, "E101")
    assert "nope.conll" in line


def test_tag_conll_directory_and_binary(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    one_error(marsad("tag", "--conll", tmp_path / "adir", cwd=tmp_path), "E101")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    one_error(marsad("tag", "--conll", tmp_path / "x.pdf", cwd=tmp_path), "E103")


def test_tag_conll_only_blank_lines(tmp_path: Path) -> None:
    r = tag_file(tmp_path, b"\n\n\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "\n\n\n"


def test_tag_conll_cr_line_endings(tmp_path: Path, utf8_output: str) -> None:
    r = tag_file(tmp_path, ("\r".join(ODD_LINES) + "\r").encode("utf-8"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == utf8_output


def test_tag_conll_never_starts_with_i(tmp_path: Path) -> None:
    lines = ["دي", ".", "", "أس", ".", "", "سي", "التي", "تمثل"]
    r = tag_file(tmp_path, ("\n".join(lines) + "\n").encode("utf-8"))
    assert r.returncode == 0, r.stderr
    check_tagged(lines, r.stdout)


# --------------------------------------------------------------------------- model errors


def _model_copy(tmp_path: Path, **meta_changes: object) -> Path:
    directory = tmp_path / "model"
    shutil.copytree(shipped_model_dir(), directory)
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta.update(meta_changes)
    (directory / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return directory


@pytest.fixture
def small_input(tmp_path: Path) -> Path:
    path = tmp_path / "in.conll"
    path.write_text("قال\nبشار\nالأسد\n", encoding="utf-8")
    return path


def test_tag_with_a_missing_model(tmp_path: Path, small_input: Path) -> None:
    line = one_error(marsad("tag", "--conll", small_input, "--model", tmp_path / "BADDIR", cwd=tmp_path), "E500")
    assert "BADDIR" in line


def test_tag_with_an_old_model(tmp_path: Path, small_input: Path) -> None:
    model = _model_copy(tmp_path, features_version="0")
    line = one_error(marsad("tag", "--conll", small_input, "--model", model, cwd=tmp_path), "E500")
    assert str(model) in line and "marsad train ner" in line


def test_model_error_comes_before_reading_the_input(tmp_path: Path) -> None:
    one_error(marsad("tag", "--conll", tmp_path / "nope.conll", "--model", tmp_path / "BADDIR", cwd=tmp_path), "E500")


def test_tag_with_a_copy_of_the_shipped_model(tmp_path: Path, small_input: Path) -> None:
    model = _model_copy(tmp_path)
    r = marsad("tag", "--conll", small_input, "--model", model, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == marsad("tag", "--conll", small_input, cwd=tmp_path).stdout


def test_eval_with_a_missing_model(tmp_path: Path) -> None:
    gold = tmp_path / "gold.conll"
    gold.write_text("قال O\nبشار B-PERS\n", encoding="utf-8")
    one_error(marsad("eval", "ner", gold, "--model", tmp_path / "BADDIR", cwd=tmp_path), "E500")


def test_tag_with_a_meta_json_list(tmp_path: Path, small_input: Path) -> None:
    model = _model_copy(tmp_path)
    (model / META_FILE).write_text("[]", encoding="utf-8")
    one_error(marsad("tag", "--conll", small_input, "--model", model, cwd=tmp_path), "E500")


# --------------------------------------------------------------------------- marsad eval ner

GOLD = """\
قال O
الرئيس O
بشار B-PERS
الأسد I-PERS
في O
دمشق B-LOC

وأعلنت\tVBD\tO
منظمة\tNN\tB-ORG
العفو\tNN\tI-ORG
الدولية\tJJ\tI-ORG
أن O
القصف O
طال O
مدينة O
حلب B-LOC

ذهب O
الولد O
إلى O
المدرسة B-LOC
الكبيرة I-LOC
صباحا O


قال O
المتحدث O
باسم O
الوزارة B-ORG
إن O
الجيش O
تقدم O
"""
GOLD_SPANS = 6


def test_eval_ner_table(tmp_path: Path) -> None:
    (tmp_path / "gold.conll").write_text(GOLD, encoding="utf-8")
    r = marsad("eval", "ner", "gold.conll", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    rows = {line.split()[0]: line.split() for line in r.stdout.splitlines() if line.strip()}
    for label in ("PERS", "LOC", "ORG", "micro"):
        assert label in rows, r.stdout
        p, rec, f1, gold, pred = rows[label][1:6]
        assert all(0.0 <= float(x) <= 1.0 for x in (p, rec, f1))
        int(gold), int(pred)
    assert int(rows["micro"][4]) == GOLD_SPANS
    assert f"{sum(1 for line in GOLD.splitlines() if line.strip())} tokens, 4 sentences" in r.stdout


def test_eval_ner_json(tmp_path: Path) -> None:
    (tmp_path / "gold.conll").write_text(GOLD, encoding="utf-8")
    r = marsad("eval", "ner", "gold.conll", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    table = json.loads(r.stdout)
    assert isinstance(table, dict)
    micro = table["micro"]
    assert {"p", "r", "f1", "gold", "pred", "tp"} <= micro.keys()
    assert micro["gold"] == GOLD_SPANS
    assert 0.0 < micro["f1"] < 1.0  # the sure sentences are right, the made-up school is not a place
    assert table["PERS"]["tp"] >= 1 and table["LOC"]["tp"] >= 2 and table["ORG"]["tp"] >= 1
    p, rec = micro["tp"] / micro["pred"], micro["tp"] / micro["gold"]
    assert micro["p"] == round(p, 4) and micro["r"] == round(rec, 4)
    assert micro["f1"] == round(2 * p * rec / (p + rec), 4)


@pytest.mark.skipif(not SCORE_PY.is_file(), reason=f"{SCORE_PY} is absent")
def test_eval_ner_agrees_with_the_shared_scorer(tmp_path: Path) -> None:
    gold = tmp_path / "gold.conll"
    gold.write_text(GOLD, encoding="utf-8")
    ours = json.loads(marsad("eval", "ner", gold, "--json", cwd=tmp_path).stdout)
    tagged = marsad("tag", "--conll", gold, cwd=tmp_path)
    assert tagged.returncode == 0, tagged.stderr
    check_tagged(GOLD.split("\n")[:-1], tagged.stdout)
    pred = tmp_path / "pred.tsv"
    pred.write_text(tagged.stdout, encoding="utf-8")
    r = subprocess.run([sys.executable, str(SCORE_PY), "ner", str(gold), str(pred)], capture_output=True, text=True,
                       cwd=tmp_path, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["micro_f1"] == ours["micro"]["f1"]
    assert summary["micro_p"] == ours["micro"]["p"] and summary["micro_r"] == ours["micro"]["r"]


def test_eval_ner_malformed_gold(tmp_path: Path) -> None:
    (tmp_path / "bad.conll").write_text("قال O\nبشار X-FOO\n", encoding="utf-8")
    line = one_error(marsad("eval", "ner", "bad.conll", cwd=tmp_path), "E107")
    assert "bad.conll:2" in line


def test_eval_ner_gold_without_tags(tmp_path: Path) -> None:
    (tmp_path / "bad.conll").write_text("قال O\n\nبشار\n", encoding="utf-8")
    assert "bad.conll:3" in one_error(marsad("eval", "ner", "bad.conll", cwd=tmp_path), "E107")


def test_eval_ner_missing_and_empty_gold(tmp_path: Path) -> None:
    one_error(marsad("eval", "ner", "nope.conll", cwd=tmp_path), "E101")
    (tmp_path / "empty.conll").write_bytes(b"")
    one_error(marsad("eval", "ner", "empty.conll", cwd=tmp_path), "E102")


# --------------------------------------------------------------------------- marsad train ner


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ANERCORP.is_file():
        pytest.skip(f"{ANERCORP} is absent")
    from marsad.ner.conll import read_lines

    out: list[str] = []
    sentences = 0
    for line in read_lines(ANERCORP):
        out.append(line)
        if not line.strip() and out[:-1] and out[-2].strip():
            sentences += 1
            if sentences >= 40:
                break
    root = tmp_path_factory.mktemp("data")
    (root / "ner").mkdir()
    (root / "ner" / "anercorp-train.conll").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


def test_train_ner_cli_writes_a_usable_model(tmp_path: Path, tiny_data: Path) -> None:
    out = tmp_path / "model"
    r = marsad("train", "ner", "--data", tiny_data, "--out", out, "--iterations", "5", "--limit", "40", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    assert sorted(p.name for p in out.iterdir()) == ["clusters.tsv", "common-words.txt", "lexicons.tsv", "meta.json", "model.crfsuite"]
    assert f"wrote {out}" in r.stderr
    meta = json.loads((out / META_FILE).read_text(encoding="utf-8"))
    assert meta["training_data"]["sentences"] == 40 and meta["settings"]["max_iterations"] == 5
    small = tmp_path / "in.conll"
    small.write_text("قال\nبشار\nالأسد\n\nفي\nدمشق\n", encoding="utf-8")
    tagged = marsad("tag", "--conll", small, "--model", out, cwd=tmp_path)
    assert tagged.returncode == 0, tagged.stderr
    check_tagged(["قال", "بشار", "الأسد", "", "في", "دمشق"], tagged.stdout)


def test_train_ner_cli_without_data(tmp_path: Path) -> None:
    one_error(marsad("train", "ner", "--data", tmp_path / "nothing", "--out", tmp_path / "m", cwd=tmp_path), "E100")
    assert not (tmp_path / "m").exists()


def test_train_ner_cli_one_sentence(tmp_path: Path, tiny_data: Path) -> None:
    out = tmp_path / "model"
    r = marsad("train", "ner", "--data", tiny_data, "--out", out, "--iterations", "5", "--limit", "1", cwd=tmp_path)
    no_traceback(r.stderr)
    assert r.returncode in (0, 2), (r.returncode, r.stderr)
    if out.exists():
        assert not [p.name for p in out.iterdir() if p.name.startswith("tmp")], "a temporary directory was left"
