"""Readers: decoding (encodings, BOMs, mojibake, binary), JSONL, HTML, directories and stdin.

The seed articles come from the copies shipped in the package (``marsad/data/demo``), so these
tests do not need ``../shared``.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marsad.document import Document
from marsad.errors import (
    BinaryInput,
    EmptyInput,
    FileUnreadable,
    InputError,
    InputTooLarge,
    MalformedRecord,
    MojibakeInput,
    UndecodableInput,
    UnsupportedInput,
)
from marsad.io.demo import demo_paths
from marsad.io.readers import decode_bytes, read_documents

SEED_PATHS = demo_paths()
SEED_IDS = [p.stem for p in SEED_PATHS]


@pytest.fixture(params=SEED_PATHS, ids=SEED_IDS)
def seed_text(request: pytest.FixtureRequest) -> str:
    return Path(request.param).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> str:
    """The first seed article: every character of it is encodable in Windows-1256."""
    text = SEED_PATHS[0].read_text(encoding="utf-8")
    text.encode("cp1256")  # strict: would raise if not
    return text


def read_all(*inputs: object, **kwargs: object) -> list[Document | InputError]:
    return list(read_documents([str(i) if isinstance(i, Path) else i for i in inputs], **kwargs))  # type: ignore[arg-type]


def only(results: list[Document | InputError]) -> Document | InputError:
    assert len(results) == 1, results
    return results[0]


def assert_one_line(err: InputError, where: str, line: int | None = None) -> None:
    """The user-facing message: one line, a code, and the file (and line) it is about."""
    msg = err.one_line()
    assert "\n" not in msg and "\r" not in msg, msg
    assert msg.startswith(f"error[{err.code}] "), msg
    assert where in msg, msg
    if line is not None:
        assert f"{where}:{line}" in msg, msg
        assert err.line == line
    assert err.message.strip(), "an error must say what went wrong"


def norm_encoding(name: str) -> str:
    return name.lower().replace("_", "-")


# --------------------------------------------------------------------------- encodings

BOM_CASES = [
    # (id, how to encode, expected encoding name prefix, must mention a BOM)
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8", False),
    ("utf-8-bom", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8", True),
    ("utf-16-le-bom", lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le", True),
    ("utf-16-be-bom", lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be", True),
]


@pytest.mark.parametrize("case", BOM_CASES, ids=[c[0] for c in BOM_CASES])
def test_decode_unicode_encodings(seed_text: str, case: tuple) -> None:
    _, encode, expected, bom = case
    decoded = decode_bytes(encode(seed_text), "seed.txt")
    assert decoded.text == seed_text  # BOM stripped, nothing else changed
    enc = norm_encoding(decoded.encoding)
    assert enc.startswith(expected), decoded.encoding
    if bom:
        assert "bom" in enc or "sig" in enc, decoded.encoding


@pytest.mark.parametrize("case", BOM_CASES, ids=[c[0] for c in BOM_CASES])
def test_read_documents_records_encoding(tmp_path: Path, seed_text: str, case: tuple) -> None:
    _, encode, expected, _ = case
    path = tmp_path / "article.txt"
    path.write_bytes(encode(seed_text))
    doc = only(read_all(path))
    assert isinstance(doc, Document), doc
    assert doc.id == "article"
    assert doc.text == seed_text
    assert norm_encoding(doc.meta.encoding).startswith(expected)
    assert doc.meta.origin == str(path)


def test_decode_utf16_without_bom_latin() -> None:
    text = "Reuters reported clashes near Hajin on 5 November 2018, citing a local source.\n" * 20
    for codec in ("utf-16-le", "utf-16-be"):
        decoded = decode_bytes(text.encode(codec), "x.txt")
        assert decoded.text == text
        assert norm_encoding(decoded.encoding).startswith(codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_arabic(seed: str, codec: str) -> None:
    """Arabic UTF-16 without a BOM (as some Windows exporters write it) is text, not binary.

    In Arabic UTF-16 only the ASCII characters (spaces, digits, punctuation) put a NUL in the
    high byte, so a NUL-share threshold tuned on Latin text misses it.
    """
    decoded = decode_bytes(seed.encode(codec), "x.txt")
    assert decoded.text == seed
    assert norm_encoding(decoded.encoding).startswith(codec)


def test_decode_windows_1256(tmp_path: Path, seed: str) -> None:
    data = seed.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is only meaningful if UTF-8 fails
    decoded = decode_bytes(data, "legacy.txt")
    assert decoded.text == seed
    assert norm_encoding(decoded.encoding) in {"windows-1256", "cp1256"}
    path = tmp_path / "legacy.txt"
    path.write_bytes(data)
    doc = only(read_all(path))
    assert isinstance(doc, Document), doc
    assert doc.text == seed
    assert norm_encoding(doc.meta.encoding) in {"windows-1256", "cp1256"}


def test_decode_windows_1256_with_replacements(seed_text: str) -> None:
    """Text with characters cp1256 lacks (e.g. Arabic-Indic digits) encoded with errors='replace'."""
    original = seed_text.encode("cp1256", errors="replace").decode("cp1256")
    decoded = decode_bytes(seed_text.encode("cp1256", errors="replace"), "legacy.txt")
    assert decoded.text == original
    assert norm_encoding(decoded.encoding) in {"windows-1256", "cp1256"}


def test_explicit_encoding(seed: str) -> None:
    decoded = decode_bytes(seed.encode("cp1256"), "x.txt", encoding="cp1256")
    assert decoded.text == seed
    with pytest.raises(UndecodableInput) as info:
        decode_bytes(b"\xff\xfe\xfd abc", "x.txt", encoding="utf-8")
    assert_one_line(info.value, "x.txt")


# --------------------------------------------------------------------------- mojibake

@pytest.mark.parametrize("wrong", ["latin-1", "cp1252", "cp1256"])
def test_mojibake_rejected(tmp_path: Path, seed_text: str, wrong: str) -> None:
    garbled = seed_text.encode("utf-8").decode(wrong, errors="replace").encode("utf-8")
    with pytest.raises(MojibakeInput) as info:
        decode_bytes(garbled, "garbled.txt")
    assert_one_line(info.value, "garbled.txt")
    path = tmp_path / "garbled.txt"
    path.write_bytes(garbled)
    err = only(read_all(path))
    assert isinstance(err, MojibakeInput), err
    assert_one_line(err, str(path))


def test_mojibake_in_jsonl_rejected(tmp_path: Path, seed: str) -> None:
    garbled = seed.encode("utf-8").decode("cp1252", errors="replace")
    path = tmp_path / "garbled.jsonl"
    path.write_text(json.dumps({"id": "g", "text": garbled}, ensure_ascii=False) + "\n", encoding="utf-8")
    err = only(read_all(path))
    assert isinstance(err, MojibakeInput), err
    assert_one_line(err, str(path))


# --------------------------------------------------------------------------- binary, empty, size

def _random_with_nuls() -> bytes:
    rng = random.Random(1234)
    data = bytearray(rng.randrange(1, 256) for _ in range(4000))
    for i in range(0, len(data), 7):
        data[i] = 0
    return b"abc" + bytes(data)  # no magic number at the start


BINARY_CASES = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
    "random-nuls": _random_with_nuls(),
    "gzip": gzip.compress("قتل خمسة مدنيين في قصف على بلدة هجين".encode("utf-8") * 20),
}


@pytest.mark.parametrize("kind", list(BINARY_CASES))
def test_binary_rejected(tmp_path: Path, kind: str) -> None:
    data = BINARY_CASES[kind]
    with pytest.raises(BinaryInput) as info:
        decode_bytes(data, f"{kind}.txt")
    assert_one_line(info.value, f"{kind}.txt")
    path = tmp_path / f"{kind}.txt"
    path.write_bytes(data)
    err = only(read_all(path))
    assert isinstance(err, BinaryInput), err
    assert_one_line(err, str(path))


@pytest.mark.parametrize(
    "data",
    [b"", b" ", b"\n\n", b"  \t\r\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n", "  \n".encode("utf-16")],
    ids=["empty", "space", "newlines", "mixed-whitespace", "bom-only", "bom-whitespace", "utf16-whitespace"],
)
def test_empty_rejected(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyInput) as info:
        decode_bytes(data, "empty.txt")
    assert_one_line(info.value, "empty.txt")
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    err = only(read_all(path))
    assert isinstance(err, EmptyInput), err
    assert_one_line(err, str(path))


def test_oversized_rejected(tmp_path: Path, seed: str) -> None:
    path = tmp_path / "big.txt"
    path.write_text(seed, encoding="utf-8")
    err = only(read_all(path, max_bytes=100))
    assert isinstance(err, InputTooLarge), err
    assert_one_line(err, str(path))
    # at the limit exactly it is read
    size = path.stat().st_size
    doc = only(read_all(path, max_bytes=size))
    assert isinstance(doc, Document) and doc.text == seed


def test_oversized_jsonl_and_stdin(tmp_path: Path, seed: str) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "1", "text": seed}, ensure_ascii=False) + "\n", encoding="utf-8")
    err = only(read_all(path, max_bytes=100))
    assert isinstance(err, InputTooLarge), err
    assert_one_line(err, str(path))
    err = only(read_all("-", max_bytes=100, stdin=io.BytesIO(seed.encode("utf-8"))))
    assert isinstance(err, InputTooLarge), err
    assert "\n" not in err.one_line() and "stdin" in err.one_line()


@pytest.mark.parametrize(
    "data",
    [
        b"Hello world, this is plain Latin text \xff\xfe\xfd with some junk bytes in it.",
        b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade: Latin-1 French, not Arabic.",
        b"The quick brown fox \x80\x81\x82\x83 jumps over the lazy dog.",
    ],
    ids=["ff-fe-fd", "latin1-french", "c1-bytes"],
)
def test_undecodable_rejected(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UndecodableInput) as info:
        decode_bytes(data, "weird.txt")
    assert_one_line(info.value, "weird.txt")
    path = tmp_path / "weird.txt"
    path.write_bytes(data)
    err = only(read_all(path))
    assert isinstance(err, UndecodableInput), err
    assert_one_line(err, str(path))


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such-file.txt"
    err = only(read_all(path))
    assert isinstance(err, FileUnreadable), err
    assert_one_line(err, str(path))


def test_one_line_even_for_a_file_name_with_a_newline(tmp_path: Path) -> None:
    """Error messages are one line per bad input, whatever the file is called."""
    path = tmp_path / "two\nlines.txt"
    path.write_bytes(b"")
    err = only(read_all(path))
    assert isinstance(err, EmptyInput), err
    msg = err.one_line()
    assert "\n" not in msg and "\r" not in msg, msg
    assert "lines.txt" in msg


def test_bad_input_does_not_stop_the_others(tmp_path: Path, seed: str) -> None:
    good1, bad, good2 = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    good1.write_text(seed, encoding="utf-8")
    bad.write_bytes(b"%PDF-1.4 ...")
    good2.write_text("خبر قصير عن هجين.", encoding="utf-8")
    results = read_all(good1, tmp_path / "missing.txt", bad, good2)
    assert [type(r) for r in results] == [Document, FileUnreadable, BinaryInput, Document]
    assert [r.id for r in results if isinstance(r, Document)] == ["a", "c"]


# --------------------------------------------------------------------------- JSONL

def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "قتل خمسة مدنيين في قصف على بلدة هجين.", "title": "قصف هجين",
         "source": "example.com", "url": "https://example.com/a", "published": "2018-11-05"},  # 1
        '{"id": "broken", "text": "لا ينتهي',  # 2 invalid JSON
        [1, 2, 3],  # 3 not an object
        {"id": 42, "text": "نص الخبر الثاني.", "published": "2018-11-06T10:30:00Z"},  # 4 int id, date-time
        {"text": "بلا معرّف"},  # 5 missing id
        {"id": "no-text"},  # 6 missing text
        {"id": "num-text", "text": 5},  # 7 text not a string
        {"id": "blank", "text": "   \n "},  # 8 empty text
        {"id": "bad-date", "text": "خبر بتاريخ غير صالح.", "published": "yesterday"},  # 9 bad date: kept, warned
        "",  # 10 blank line: skipped, but still counted
        "null",  # 11 not an object
        {"id": "z", "text": "الخبر الأخير.", "published": None},  # 12
    ]
    path = tmp_path / "records.jsonl"
    path.write_text(
        "\n".join(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False) for l in lines) + "\n",
        encoding="utf-8",
    )
    results = read_all(path)
    kinds = [(type(r).__name__, r.id if isinstance(r, Document) else r.line) for r in results]
    assert kinds == [
        ("Document", "a"),
        ("MalformedRecord", 2),
        ("MalformedRecord", 3),
        ("Document", "42"),
        ("MalformedRecord", 5),
        ("MalformedRecord", 6),
        ("MalformedRecord", 7),
        ("EmptyInput", 8),
        ("Document", "bad-date"),
        ("MalformedRecord", 11),
        ("Document", "z"),
    ]
    a, b, bad_date, z = [r for r in results if isinstance(r, Document)]
    assert a.text == lines[0]["text"]
    assert (a.meta.title, a.meta.source, a.meta.url) == ("قصف هجين", "example.com", "https://example.com/a")
    assert a.meta.published == date(2018, 11, 5)
    assert a.meta.origin == f"{path}:1"
    assert norm_encoding(a.meta.encoding).startswith("utf-8")
    assert b.id == "42" and isinstance(b.id, str)
    assert b.meta.published == date(2018, 11, 6)
    assert b.meta.origin == f"{path}:4"
    assert z.meta.published is None and z.meta.origin == f"{path}:12"
    for err in results:
        if isinstance(err, InputError):
            assert err.origin == str(path)
            assert_one_line(err, str(path), err.line)
    # the message says what is wrong
    by_line = {r.line: r.one_line() for r in results if isinstance(r, InputError)}
    assert "JSON" in by_line[2]
    assert '"id"' in by_line[5] or "id" in by_line[5]
    assert "text" in by_line[6] and "text" in by_line[7]
    # an unreadable publication date does not lose the document: it is kept aside, with a warning
    assert bad_date.meta.published is None
    assert bad_date.meta.published_raw == "yesterday"
    assert len(bad_date.meta.warnings) == 1
    warning = bad_date.meta.warnings[0]
    assert "\n" not in warning and f"{path}:9" in warning and "published" in warning
    for doc in (a, b, z):
        assert doc.meta.warnings == [] and doc.meta.published_raw is None


def test_jsonl_default_published(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"id": "x", "text": "نص"}\n{"id": "y", "text": "نص آخر", "published": "2017-01-02"}\n', encoding="utf-8"
    )
    x, y = read_all(path, published="2018-11-05")
    assert x.meta.published == date(2018, 11, 5)
    assert y.meta.published == date(2017, 1, 2)  # a document's own date wins


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    body = '{"id": "1", "text": "الأول"}\r\n{"id": "2", "text": "الثاني"}\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    docs = read_all(path)
    assert [(d.id, d.text) for d in docs] == [("1", "الأول"), ("2", "الثاني")]


def test_jsonl_binary_file_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "z.jsonl"
    path.write_bytes(gzip.compress(b'{"id": "1", "text": "x"}\n'))
    err = only(read_all(path))
    assert isinstance(err, BinaryInput), err
    assert_one_line(err, str(path))


# --------------------------------------------------------------------------- HTML

ARTICLE_TITLE = "قوات سوريا الديمقراطية تتقدم في هجين"
ARTICLE_PARAGRAPHS = [
    "أعلنت قوات سوريا الديمقراطية، المدعومة من التحالف الدولي بقيادة الولايات المتحدة، أنها تقدمت في "
    "محيط بلدة هجين في ريف دير الزور الشرقي، بعد اشتباكات عنيفة مع عناصر تنظيم داعش استمرت عدة أيام.",
    "وقال مصدر ميداني إن الاشتباكات أسفرت عن مقتل عشرين عنصرا من التنظيم على الأقل، فيما أصيب عدد من "
    "المقاتلين بجروح متفاوتة، ونقلوا إلى مستشفيات المنطقة لتلقي العلاج.",
    "وأضاف المصدر أن طائرات التحالف شنت غارات مكثفة على مواقع التنظيم في بلدتي الشعفة والسوسة، في حين "
    "نزح مئات المدنيين باتجاه المناطق الآمنة شمالا هربا من القصف.",
]
BOILERPLATE = ["الرئيسية", "رياضة", "اتصل بنا", "جميع الحقوق محفوظة", "سياسة الخصوصية", "شروط الاستخدام",
               "اشترك في النشرة"]


def article_page(charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{ARTICLE_TITLE} | أخبار الشرق</title>
<meta property="og:title" content="{ARTICLE_TITLE}">
<meta property="og:site_name" content="أخبار الشرق">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2018-11-05T09:30:00+00:00">
<link rel="canonical" href="https://example.com/news/2018/11/05/hajin">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<header class="site-header">
  <div class="logo"><a href="/">أخبار الشرق</a></div>
  <nav class="main-menu"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
    <li><a href="/sports">رياضة</a></li><li><a href="/contact">اتصل بنا</a></li>
  </ul></nav>
</header>
<main>
<article class="post">
<h1 class="post-title">{ARTICLE_TITLE}</h1>
<div class="post-meta"><time datetime="2018-11-05">5 نوفمبر 2018</time></div>
<div class="post-body">
{paragraphs}
</div>
</article>
<aside class="newsletter"><form action="/subscribe"><label>اشترك في النشرة</label><input type="email"></form></aside>
</main>
<footer class="site-footer">
  <p>جميع الحقوق محفوظة © 2018 أخبار الشرق</p>
  <p><a href="/privacy">سياسة الخصوصية</a> | <a href="/terms">شروط الاستخدام</a></p>
</footer>
</body>
</html>
"""


def _check_article(doc: Document | InputError) -> Document:
    assert isinstance(doc, Document), doc
    for p in ARTICLE_PARAGRAPHS:
        assert p in doc.text
    for junk in BOILERPLATE:
        assert junk not in doc.text, f"boilerplate {junk!r} in the article text"
    assert doc.meta.title is not None and ARTICLE_TITLE in doc.meta.title
    assert doc.meta.published == date(2018, 11, 5)
    return doc


def test_html_article(tmp_path: Path) -> None:
    path = tmp_path / "hajin.html"
    path.write_text(article_page(), encoding="utf-8")
    doc = _check_article(only(read_all(path)))
    assert doc.id == "hajin"
    assert doc.meta.origin == str(path)
    assert norm_encoding(doc.meta.encoding).startswith("utf-8")


@pytest.mark.parametrize("declaration", ["charset", "http-equiv"])
def test_html_windows_1256(tmp_path: Path, declaration: str) -> None:
    page = article_page("windows-1256")
    if declaration == "http-equiv":
        page = page.replace('<meta charset="windows-1256">',
                            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
        assert "http-equiv" in page
    path = tmp_path / "legacy.htm"
    path.write_bytes(page.encode("cp1256"))
    doc = _check_article(only(read_all(path)))
    assert norm_encoding(doc.meta.encoding) in {"windows-1256", "cp1256"}


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Home</title></head><body></body></html>",
        "<html><head><title>الرئيسية</title></head><body><header><nav><ul><li><a href='/'>الرئيسية</a></li>"
        "<li><a href='/p'>سياسة</a></li></ul></nav></header><main></main>"
        "<footer><p>جميع الحقوق محفوظة</p></footer></body></html>",
        "<html><head><title>app</title><script>var a = 1;</script></head>"
        "<body><div id='root'></div><script>render()</script></body></html>",
    ],
    ids=["blank-body", "nav-and-footer", "script-only"],
)
def test_html_without_article_is_empty(tmp_path: Path, page: str) -> None:
    path = tmp_path / "index.html"
    path.write_text(page, encoding="utf-8")
    err = only(read_all(path))
    assert isinstance(err, EmptyInput), err
    assert_one_line(err, str(path))


# --------------------------------------------------------------------------- directories

def test_directory_recursive_sorted_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    files = {
        "b.txt": "الخبر ب",
        "a.txt": "الخبر أ",
        "sub/c.txt": "الخبر ج",
        "sub/deeper/d.jsonl": '{"id": "d1", "text": "الخبر د1"}\n{"id": "d2", "text": "الخبر د2"}\n',
        "x/e.html": article_page(),
        "zz.TXT": "الخبر ز",
        # skipped: hidden files and directories
        ".hidden.txt": "مخفي",
        ".git/config.txt": "مخفي",
        "sub/.cache/f.txt": "مخفي",
        # ignored: extensions marsad does not read
        "notes.md": "# ملاحظات",
        "image.png": None,
        "data.csv": "a,b\n1,2\n",
        "sub/archive.gz": None,
    }
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            p.write_bytes(BINARY_CASES["png"])
        else:
            p.write_text(content, encoding="utf-8")
    results = read_all(root)
    assert all(isinstance(r, Document) for r in results), results
    assert [d.id for d in results] == ["a", "b", "c", "d1", "d2", "e", "zz"]
    origins = [re.sub(r":\d+$", "", d.meta.origin) for d in results]
    assert [Path(o).relative_to(root).as_posix() for o in origins] == [
        "a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.jsonl", "sub/deeper/d.jsonl", "x/e.html", "zz.TXT"
    ]
    # twice the same: order is deterministic
    assert [d.id for d in read_all(root)] == [d.id for d in results]


def test_directory_under_hidden_parent_is_read(tmp_path: Path) -> None:
    """Only hidden parts *inside* the given directory are skipped, not the directory's own path."""
    root = tmp_path / ".config" / "news"
    root.mkdir(parents=True)
    (root / "a.txt").write_text("الخبر أ", encoding="utf-8")
    assert [d.id for d in read_all(root)] == ["a"]


def test_named_unsupported_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(BINARY_CASES["png"])
    err = only(read_all(path))
    assert isinstance(err, UnsupportedInput), err
    assert_one_line(err, str(path))


def test_named_file_with_other_extension_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("خبر في ملف ماركداون.", encoding="utf-8")
    doc = only(read_all(path))
    assert isinstance(doc, Document) and doc.id == "note"


# --------------------------------------------------------------------------- standard input

def test_stdin_text(seed: str) -> None:
    doc = only(read_all("-", stdin=io.BytesIO(seed.encode("utf-8"))))
    assert isinstance(doc, Document), doc
    assert doc.id == "stdin"
    assert doc.text == seed


def test_stdin_text_windows_1256(seed: str) -> None:
    doc = only(read_all("-", stdin=io.BytesIO(seed.encode("cp1256"))))
    assert isinstance(doc, Document) and doc.text == seed
    assert norm_encoding(doc.meta.encoding) in {"windows-1256", "cp1256"}


def test_stdin_jsonl() -> None:
    data = (
        '{"id": "s1", "text": "الخبر الأول", "published": "2018-11-05"}\n'
        "{not json}\n"
        '{"id": 7, "text": "الخبر الثاني"}\n'
    ).encode("utf-8")
    results = read_all("-", stdin=io.BytesIO(data))
    assert [type(r) for r in results] == [Document, MalformedRecord, Document]
    assert [r.id for r in results if isinstance(r, Document)] == ["s1", "7"]
    assert results[0].meta.published == date(2018, 11, 5)
    err = results[1]
    assert err.line == 2
    assert "\n" not in err.one_line() and "stdin" in err.one_line() and ":2" in err.one_line()


@pytest.mark.parametrize(
    "encode",
    [lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), lambda s: s.encode("utf-16")],
    ids=["utf-8-bom", "utf-16-bom"],
)
def test_stdin_jsonl_with_bom(encode: Any) -> None:
    """JSONL saved by Windows tools starts with a byte-order mark; on stdin it is still JSONL."""
    data = encode('{"id": "a", "text": "الخبر الأول"}\n{"id": "b", "text": "الخبر الثاني"}\n')
    results = read_all("-", stdin=io.BytesIO(data))
    assert [(type(r).__name__, getattr(r, "id", None)) for r in results] == [("Document", "a"), ("Document", "b")]
    assert [r.text for r in results] == ["الخبر الأول", "الخبر الثاني"]


def test_stdin_empty_and_binary() -> None:
    err = only(read_all("-", stdin=io.BytesIO(b"   \n")))
    assert isinstance(err, EmptyInput), err
    assert "stdin" in err.one_line()
    err = only(read_all("-", stdin=io.BytesIO(BINARY_CASES["pdf"])))
    assert isinstance(err, BinaryInput), err


def test_stdin_among_files_keeps_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("الخبر أ", encoding="utf-8")
    b.write_text("الخبر ب", encoding="utf-8")
    results = read_all(a, "-", b, stdin=io.BytesIO("من الإدخال".encode("utf-8")))
    assert [d.id for d in results] == ["a", "stdin", "b"]
