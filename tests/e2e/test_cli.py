"""End to end through the installed ``marsad`` executable (subprocesses, real SQLite stores).

Stores live in ``tmp_path`` and are passed with ``--db``; the seed articles are the copies shipped
in the package, and the copies in ``../shared/examples/seeds`` are used too when that directory
is present (CI has it beside the repository).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from marsad.io.demo import demo_paths

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
SHARED_SEEDS = SHARED / "examples" / "seeds"

# The console script installed beside this interpreter, else the one on PATH, else ``python -m marsad``.
_BESIDE = Path(sys.executable).parent / "marsad"
_EXE = str(_BESIDE) if _BESIDE.is_file() else shutil.which("marsad")
MARSAD = [_EXE] if _EXE else [sys.executable, "-m", "marsad"]

CONTRACT_KEYS = ("id", "entities", "places", "actors", "numbers", "dates", "events", "claims")
SEEDS = demo_paths()
SEED_IDS = sorted(p.stem for p in SEEDS)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    env.update(extra)
    return env


def marsad(*args: str | Path, cwd: Path, input: bytes | str | None = None, timeout: float = 120,
           **env: str) -> subprocess.CompletedProcess[str]:
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(
        [*MARSAD, *map(str, args)], cwd=cwd, input=input, capture_output=True, timeout=timeout, env=clean_env(**env),
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error[E")]


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def iter_spans(obj: Any) -> Iterator[dict[str, Any]]:
    """Every dict with start/end/text, however deeply nested."""
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= obj.keys():
            yield obj
        for value in obj.values():
            yield from iter_spans(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from iter_spans(value)


def check_contract(obj: dict[str, Any], text: str) -> int:
    """Contract keys present as lists, every span exact; returns how many spans were checked."""
    for key in CONTRACT_KEYS[1:]:
        assert isinstance(obj.get(key), list), f"{key!r} missing or not a list in {obj.get('id')!r}"
    assert isinstance(obj["id"], str)
    assert isinstance(obj.get("sentences"), list) and obj["sentences"], "the sentences layer is empty"
    n = 0
    for span in iter_spans({k: v for k, v in obj.items() if k != "meta"}):
        start, end = span["start"], span["end"]
        assert isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text), span
        assert text[start:end] == span["text"], span
        n += 1
    return n


def db_query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def db_scalar(db: Path, sql: str) -> Any:
    return db_query(db, sql)[0][0]


def assert_store_consistent(db: Path) -> int:
    """Integrity ok; every document has its extraction row and its annotations; nothing orphaned."""
    assert db_scalar(db, "PRAGMA integrity_check") == "ok"
    docs = db_scalar(db, "SELECT COUNT(*) FROM documents")
    assert db_scalar(db, "SELECT COUNT(DISTINCT content_hash) FROM documents") == docs
    missing = db_query(db, "SELECT d.id FROM documents d LEFT JOIN extractions e ON e.doc_key = d.doc_key "
                           "WHERE e.doc_key IS NULL")
    assert missing == [], f"documents without an extraction row: {missing[:5]}"
    no_annotations = db_query(
        db, "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM annotations a WHERE a.doc_key = d.doc_key)"
    )
    assert no_annotations == [], f"documents without annotations: {no_annotations[:5]}"
    # the extraction row and the annotations were written together: the sentence counts agree
    partial = db_query(
        db,
        "SELECT d.id, e.sentences, (SELECT COUNT(*) FROM annotations a WHERE a.doc_key = d.doc_key "
        "AND a.layer = 'sentences') FROM documents d JOIN extractions e ON e.doc_key = d.doc_key "
        "WHERE e.sentences != (SELECT COUNT(*) FROM annotations a WHERE a.doc_key = d.doc_key AND a.layer = 'sentences')",
    )
    assert partial == [], f"half-written documents: {partial[:5]}"
    assert db_scalar(db, "SELECT COUNT(*) FROM annotations WHERE doc_key NOT IN (SELECT doc_key FROM documents)") == 0
    assert db_scalar(db, "SELECT COUNT(*) FROM extractions WHERE doc_key NOT IN (SELECT doc_key FROM documents)") == 0
    return docs


def counts(db: Path) -> tuple[int, int, int]:
    return (
        db_scalar(db, "SELECT COUNT(*) FROM documents"),
        db_scalar(db, "SELECT COUNT(*) FROM extractions"),
        db_scalar(db, "SELECT COUNT(*) FROM annotations"),
    )


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the two seed articles (read-only for the tests that use it)."""
    tmp = tmp_path_factory.mktemp("seeded")
    db = tmp / "seeded.db"
    r = marsad("ingest", *SEEDS, "--db", db, cwd=tmp)
    assert r.returncode == 0, r.stderr
    return db


# --------------------------------------------------------------------------- basics

def test_version(tmp_path: Path) -> None:
    from marsad import __version__

    r = marsad("--version", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert __version__ in r.stdout


def test_help_lists_commands(tmp_path: Path) -> None:
    r = marsad("--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for command in ("ingest", "extract", "show", "export", "demo", "bench"):
        assert re.search(rf"\b{command}\b", r.stdout), f"{command} not in --help"


def test_unknown_command_is_usage_error(tmp_path: Path) -> None:
    r = marsad("frobnicate", cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)


# --------------------------------------------------------------------------- extract

def _seed_sets() -> list[Any]:
    shared = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    return [
        pytest.param(SEEDS, id="package"),
        pytest.param(
            shared, id="shared",
            marks=pytest.mark.skipif(not shared, reason=f"{SHARED_SEEDS} is absent (CI puts ../shared beside the repo)"),
        ),
    ]


@pytest.mark.parametrize("seeds", _seed_sets())
def test_extract_jsonl_contract_and_spans(tmp_path: Path, seeds: list[Path]) -> None:
    assert len(seeds) == 2
    ordered = list(reversed(seeds))  # input order, not sorted order, is kept
    r = marsad("extract", *ordered, "--format", "jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    objs = json_lines(r.stdout)
    assert len(objs) == 2
    assert [o["id"] for o in objs] == [p.stem for p in ordered]
    for obj, path in zip(objs, ordered):
        for key in CONTRACT_KEYS:
            assert key in obj
        text = path.read_text(encoding="utf-8")
        assert check_contract(obj, text) >= len(obj["sentences"])
    assert not (tmp_path / "marsad.db").exists(), "extract without --db/--save must not write a store"


def test_extract_published_option(tmp_path: Path) -> None:
    r = marsad("extract", SEEDS[0], "--format", "jsonl", "--published", "2018-11-05", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (obj,) = json_lines(r.stdout)
    assert obj["meta"]["published"] == "2018-11-05"


def test_extract_published_nonsense(tmp_path: Path) -> None:
    r = marsad("extract", SEEDS[0], "--format", "jsonl", "--published", "nonsense", cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)
    assert r.stdout == ""
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert "--published" in lines[0] and "nonsense" in lines[0] and "YYYY-MM-DD" in lines[0]


def test_extract_stdin_text(tmp_path: Path) -> None:
    text = "قتل خمسة مدنيين في قصف على بلدة هجين أمس. وقالت مصادر محلية إن الطائرات استهدفت السوق.\n"
    r = marsad("extract", "-", "--format", "jsonl", cwd=tmp_path, input=text)
    assert r.returncode == 0, r.stderr
    (obj,) = json_lines(r.stdout)
    assert obj["id"] == "stdin"
    check_contract(obj, text)


def test_extract_stdin_shell_pipe(tmp_path: Path) -> None:
    """Literally ``echo text | marsad extract - --format jsonl``."""
    cmd = " ".join(map(shlex_quote, MARSAD))
    r = subprocess.run(f"echo 'قتل خمسة مدنيين في هجين.' | {cmd} extract - --format jsonl", shell=True,
                       cwd=tmp_path, capture_output=True, env=clean_env(), timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    (obj,) = json_lines(r.stdout.decode("utf-8"))
    assert obj["id"] == "stdin"
    check_contract(obj, "قتل خمسة مدنيين في هجين.\n")


def test_extract_stdin_jsonl(tmp_path: Path) -> None:
    records = [
        {"id": "first", "text": "قتل خمسة مدنيين في قصف على بلدة هجين."},
        {"id": 2, "text": "نزح مئات المدنيين من الشعفة.", "published": "2018-11-05"},
    ]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    r = marsad("extract", "-", "--format", "jsonl", cwd=tmp_path, input=data)
    assert r.returncode == 0, r.stderr
    objs = json_lines(r.stdout)
    assert [o["id"] for o in objs] == ["first", "2"]
    for obj, rec in zip(objs, records):
        check_contract(obj, rec["text"])
    assert objs[1]["meta"]["published"] == "2018-11-05"


def test_extract_stdout_closed_early(tmp_path: Path) -> None:
    """``marsad extract ... | head -c 10``: no traceback when the reader goes away."""
    corpus = tmp_path / "many.jsonl"
    text = SEEDS[0].read_text(encoding="utf-8")
    with corpus.open("w", encoding="utf-8") as f:
        for i in range(300):  # far more output than a pipe buffer holds
            f.write(json.dumps({"id": f"d{i}", "text": f"{text}\n{i}"}, ensure_ascii=False) + "\n")
    cmd = " ".join(map(shlex_quote, MARSAD))
    r = subprocess.run(
        f"{{ {cmd} extract many.jsonl --format jsonl 2>err.txt; echo $? >rc.txt; }} | head -c 10",
        shell=True, cwd=tmp_path, capture_output=True, env=clean_env(), timeout=120, executable="/bin/bash",
    )
    assert len(r.stdout) == 10 and r.stdout.startswith(b"{")
    stderr = (tmp_path / "err.txt").read_text(encoding="utf-8")
    no_traceback(stderr)
    assert "BrokenPipe" not in stderr, stderr
    assert (tmp_path / "rc.txt").read_text().strip() == "0", stderr


def shlex_quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


# --------------------------------------------------------------------------- ingest: bad inputs

def _write_mixed_inputs(d: Path) -> dict[str, str]:
    """Good and bad inputs in ``d``; returns {name of bad input (with :line for JSONL): error code}."""
    d.mkdir()
    for p in SEEDS:
        shutil.copy(p, d / p.name)
    seed = SEEDS[0].read_text(encoding="utf-8")
    (d / "binary.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (d / "empty.txt").write_bytes(b"  \n\n\t ")
    (d / "undecodable.txt").write_bytes(b"Hello world, caf\xe9 cr\xe8me \xff\xfe\xfd and more plain latin text.")
    (d / "mojibake.txt").write_bytes(seed.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    (d / "oversized.txt").write_text("قصف على هجين " * 3000, encoding="utf-8")  # > --max-bytes 20000
    good = [
        {"id": "j1", "text": "قتل خمسة مدنيين في قصف على بلدة هجين.", "published": "2018-11-05"},
        {"id": "j3", "text": "نزح مئات المدنيين من الشعفة والسوسة."},
        {"id": 4, "text": "قالت قوات سوريا الديمقراطية إنها تقدمت نحو الباغوز."},
    ]
    lines = [json.dumps(good[0], ensure_ascii=False), '{"id": "j2", "text": ',
             json.dumps(good[1], ensure_ascii=False), json.dumps(good[2], ensure_ascii=False)]
    (d / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "notes.md").write_text("not read: unsupported extension inside a directory", encoding="utf-8")
    (d / ".hidden.txt").write_text("not read: hidden", encoding="utf-8")
    return {
        "binary.txt": "E103",
        "empty.txt": "E102",
        "undecodable.txt": "E104",
        "mojibake.txt": "E105",
        "oversized.txt": "E106",
        "records.jsonl:2": "E107",
    }


def test_ingest_good_and_bad_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    bad = _write_mixed_inputs(inputs)
    missing = tmp_path / "missing.txt"  # unreadable even as root
    bad[missing.name] = "E101"
    db = tmp_path / "store.db"
    r = marsad("ingest", inputs, missing, "--db", db, "--max-bytes", "20000", cwd=tmp_path)
    no_traceback(r.stderr)
    assert r.returncode == 1, r.stderr
    errors = error_lines(r.stderr)
    assert len(errors) == len(bad), r.stderr
    for name, code in bad.items():
        mine = [line for line in errors if re.search(rf"[/ ]{re.escape(name)}(:| )", line)]
        assert len(mine) == 1, f"expected one error line for {name}:\n{r.stderr}"
        assert mine[0].startswith(f"error[{code}] "), mine[0]
    # every good document is stored, with its extraction and annotations
    ids = sorted(row[0] for row in db_query(db, "SELECT id FROM documents"))
    assert ids == sorted([*SEED_IDS, "j1", "j3", "4"])
    assert db_scalar(db, "SELECT COUNT(*) FROM documents") == 5
    assert assert_store_consistent(db) == 5
    assert db_query(db, "SELECT published FROM documents WHERE id = 'j1'") == [("2018-11-05",)]


def test_ingest_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the OS refuses to read. Tests run as root (in CI too), which chmod cannot stop, so
    the refusal is injected where the OS would give it, and the real CLI runs in-process."""
    from typer.testing import CliRunner

    from marsad.cli.app import app
    from marsad.cli import bench, demo, documents  # noqa: F401 - registers the commands

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS[0], inputs / SEEDS[0].name)
    locked = inputs / "locked.txt"
    locked.write_text("خبر لا يقرأ", encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    db = tmp_path / "store.db"
    r = CliRunner().invoke(app, ["ingest", str(inputs), "--db", str(db)])
    stderr = r.stderr if hasattr(r, "stderr") else r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    no_traceback(stderr)
    assert r.exit_code == 1
    errors = error_lines(stderr)
    assert len(errors) == 1 and errors[0].startswith("error[E101] ") and "locked.txt" in errors[0], stderr
    assert "permission denied" in errors[0]
    assert db_scalar(db, "SELECT COUNT(*) FROM documents") == 1


def test_ingest_warning_for_bad_published_keeps_document(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "خبر عن هجين.", "published": "16 نوفمبر/"}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    r = marsad("ingest", path, "--db", db, cwd=tmp_path)
    no_traceback(r.stderr)
    assert r.returncode == 0, r.stderr
    assert error_lines(r.stderr) == []
    warnings = [line for line in r.stderr.splitlines() if "dates.jsonl:1" in line]
    assert len(warnings) == 1, r.stderr
    assert db_scalar(db, "SELECT COUNT(*) FROM documents") == 1


# --------------------------------------------------------------------------- ingest: idempotence

def test_ingest_is_idempotent(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for p in SEEDS:
        shutil.copy(p, inputs / p.name)
    (inputs / "records.jsonl").write_text(
        "".join(json.dumps({"id": f"r{i}", "text": f"الخبر رقم {i} عن قصف في هجين."}, ensure_ascii=False) + "\n"
                for i in range(5)),
        encoding="utf-8",
    )
    db = tmp_path / "store.db"
    first = marsad("ingest", inputs, "--db", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = counts(db)
    assert before[0] == before[1] == 7 and before[2] > 7

    again = marsad("ingest", inputs, "--db", db, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert counts(db) == before
    assert re.search(r"\b0 stored\b", again.stderr) and "7 already stored" in again.stderr, again.stderr

    forced = marsad("ingest", inputs, "--db", db, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert counts(db) == before
    assert_store_consistent(db)

    # the same text under another name is the same document (content-hash identity)
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(SEEDS[0], other / "renamed-copy.txt")
    (other / "dup.jsonl").write_text(
        json.dumps({"id": "another-id", "text": "الخبر رقم 3 عن قصف في هجين."}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    renamed = marsad("ingest", other, "--db", db, cwd=tmp_path)
    assert renamed.returncode == 0, renamed.stderr
    assert counts(db) == before
    assert db_query(db, "SELECT COUNT(*) FROM documents WHERE id IN ('renamed-copy', 'another-id')") == [(0,)]
    no_traceback(first.stderr + again.stderr + forced.stderr + renamed.stderr)


# --------------------------------------------------------------------------- ingest: interrupted

N_KILL_DOCS = 3000


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~3000 distinct small documents in one JSONL file."""
    paragraphs = [line for p in SEEDS for line in p.read_text(encoding="utf-8").split("\n") if len(line) > 60]
    path = tmp_path_factory.mktemp("kill") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(N_KILL_DOCS):
            k = len(paragraphs)
            text = (f"الخبر رقم {i}.\n{paragraphs[i % k]}\n{paragraphs[(i * 7 + 3) % k]}\n"
                    f"{paragraphs[(i * 11 + 5) % k]}")
            f.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def _committed(db: Path) -> int | None:
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _default_sigint() -> None:
    """In the child, before exec: Ctrl-C's default disposition. A shell starts background jobs with
    SIGINT ignored, Python keeps an ignored SIGINT ignored, and the test would then see an ingest
    that never stops (as `nohup marsad ingest ... &` rightly does not)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _ingest_then_signal(corpus: Path, db: Path, cwd: Path, sig: int) -> tuple[int, str]:
    proc = subprocess.Popen(
        [*MARSAD, "ingest", str(corpus), "--db", str(db)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=clean_env(MARSAD_BATCH_SIZE="50"), preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ingest ended (exit {proc.returncode}) before it could be interrupted: "
                            f"{proc.stderr.read().decode()}")  # type: ignore[union-attr]
            n = _committed(db)
            if n:
                break
            if time.monotonic() > deadline:
                pytest.fail("no document was committed within 60 s")
            time.sleep(0.005)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, stderr.decode("utf-8")


def _finish_and_check(corpus: Path, db: Path, cwd: Path, partial: int) -> None:
    r = marsad("ingest", corpus, "--db", db, cwd=cwd, MARSAD_BATCH_SIZE="50")
    no_traceback(r.stderr)
    assert r.returncode == 0, r.stderr
    assert assert_store_consistent(db) == N_KILL_DOCS
    assert db_scalar(db, "SELECT COUNT(DISTINCT id) FROM documents") == N_KILL_DOCS
    assert db_scalar(db, "SELECT COUNT(*) FROM extractions") == N_KILL_DOCS
    # the re-run did only the remaining work
    assert f"{N_KILL_DOCS - partial} stored" in r.stderr and f"{partial} already stored" in r.stderr, r.stderr


@pytest.mark.slow
def test_ingest_sigkill_leaves_consistent_store(tmp_path: Path, kill_corpus: Path) -> None:
    db = tmp_path / "kill.db"
    code, stderr = _ingest_then_signal(kill_corpus, db, tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL, stderr
    partial = assert_store_consistent(db)
    assert 0 < partial < N_KILL_DOCS
    _finish_and_check(kill_corpus, db, tmp_path, partial)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ingest_interrupted_cleanly(tmp_path: Path, kill_corpus: Path, sig: int) -> None:
    db = tmp_path / "interrupted.db"
    code, stderr = _ingest_then_signal(kill_corpus, db, tmp_path, sig)
    no_traceback(stderr)
    assert code == 130, stderr
    assert any("interrupted" in line for line in stderr.splitlines()), stderr
    partial = assert_store_consistent(db)
    assert 0 < partial < N_KILL_DOCS
    _finish_and_check(kill_corpus, db, tmp_path, partial)


# --------------------------------------------------------------------------- show, export

def test_show_document(tmp_path: Path, seeded_db: Path) -> None:
    for path in SEEDS:
        r = marsad("show", path.stem, "--db", seeded_db, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        no_traceback(r.stderr)
        assert path.stem in r.stdout
        text = path.read_text(encoding="utf-8")
        first_line = text.split("\n", 1)[0]
        assert first_line[:30] in r.stdout
        missing = [w for w in text.split() if w not in r.stdout]
        assert not missing, f"words of the text missing from `marsad show`: {missing[:10]}"


def test_show_by_hash_prefix(tmp_path: Path, seeded_db: Path) -> None:
    (h,) = db_query(seeded_db, "SELECT content_hash FROM documents WHERE id = ?", (SEED_IDS[0],))[0]
    r = marsad("show", h[:12], "--db", seeded_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert SEED_IDS[0] in r.stdout


def test_show_lists_documents(tmp_path: Path, seeded_db: Path) -> None:
    r = marsad("show", "--db", seeded_db, cwd=tmp_path, COLUMNS="250")
    assert r.returncode == 0, r.stderr
    for doc_id in SEED_IDS:
        assert doc_id in r.stdout


def test_show_empty_store(tmp_path: Path) -> None:
    r = marsad("show", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)


def test_show_unknown_id(tmp_path: Path, seeded_db: Path) -> None:
    r = marsad("show", "nope", "--db", seeded_db, cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error[E201]"), r.stderr
    assert "nope" in lines[0]


def test_export_to_file_and_stdout(tmp_path: Path, seeded_db: Path) -> None:
    out = tmp_path / "out.jsonl"
    r = marsad("export", "--db", seeded_db, "-o", out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == db_scalar(seeded_db, "SELECT COUNT(*) FROM documents") == 2
    objs = [json.loads(line) for line in lines]
    assert sorted(o["id"] for o in objs) == SEED_IDS
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}
    for obj in objs:
        check_contract(obj, texts[obj["id"]])
    assert not list(tmp_path.glob("*.partial"))

    r = marsad("export", "--db", seeded_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json_lines(r.stdout) == objs


def test_export_same_as_extract(tmp_path: Path, seeded_db: Path) -> None:
    """What the store gives back equals what extract printed (annotations survive the round trip)."""
    exported = {o["id"]: o for o in json_lines(marsad("export", "--db", seeded_db, cwd=tmp_path).stdout)}
    extracted = {o["id"]: o for o in json_lines(marsad("extract", *SEEDS, "--format", "jsonl", cwd=tmp_path).stdout)}
    assert exported.keys() == extracted.keys()
    for doc_id, obj in extracted.items():
        for key in (*CONTRACT_KEYS, "sentences"):
            assert exported[doc_id][key] == obj[key], f"{doc_id}: {key} differs after the store round trip"


# --------------------------------------------------------------------------- demo, bench

def test_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    r = marsad("demo", "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    assert sorted(row[0] for row in db_query(db, "SELECT id FROM documents")) == SEED_IDS
    assert_store_consistent(db)


def test_demo_jsonl(tmp_path: Path) -> None:
    r = marsad("demo", "--format", "jsonl", "--db", tmp_path / "demo.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    objs = json_lines(r.stdout)
    assert [o["id"] for o in objs] == SEED_IDS
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}
    for obj in objs:
        check_contract(obj, texts[obj["id"]])


@pytest.mark.slow
def test_bench_small_json(tmp_path: Path) -> None:
    r = marsad("bench", "--small", "--json", "--no-spacy", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    no_traceback(r.stderr)
    (result,) = json_lines(r.stdout)
    for key in ("docs_per_second", "tokens_per_second", "latency_ms_p50", "peak_rss_mb"):
        assert isinstance(result[key], (int, float)) and result[key] > 0, (key, result[key])
    assert result["documents"] == 200


def test_bench_until_a_component(tmp_path: Path) -> None:
    r = marsad("bench", "-n", "20", "--json", "--no-spacy", "--until", "expressions.numbers", "--words", "400",
               cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (result,) = json_lines(r.stdout)
    assert [k.split("@")[0] for k in result["component_ms_per_doc"]] == [
        "text.sentences", "text.tokens", "expressions.dates", "expressions.numbers"]
    assert result["documents"] == 20 and result["store_ms_per_doc"] > 0
    through = list(result["docs_per_second_through"].values())
    assert list(result["docs_per_second_through"]) == list(result["component_ms_per_doc"])
    assert through == sorted(through, reverse=True) and through[-1] == result["pipeline_docs_per_second"]
    assert 390 <= result["words_per_document"] <= 400  # one demo article has 398 words: kept whole
    r = marsad("bench", "-n", "5", "--until", "no.such", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    no_traceback(r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "text.tokens" in lines[0] and "no.such" in lines[0]


# --------------------------------------------------------------------------- store errors

@pytest.mark.parametrize("command", [["ingest", "SEED"], ["show"], ["export"], ["extract", "SEED", "--save"]])
def test_store_that_is_not_a_database(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "notes.db"
    garbage = b"this is not a database, just some notes\n" * 200
    db.write_bytes(garbage)
    args = [str(SEEDS[0]) if a == "SEED" else a for a in command]
    r = marsad(*args, "--db", db, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    no_traceback(r.stderr)
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and errors[0].startswith("error[E2"), r.stderr
    assert db.read_bytes() == garbage, "marsad overwrote a file that is not its store"


def test_store_in_missing_directory(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "dir" / "store.db"
    r = marsad("ingest", SEEDS[0], "--db", db, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    no_traceback(r.stderr)
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and errors[0].startswith("error[E2"), r.stderr
    assert not (tmp_path / "no").exists()
