"""Arabic spellings generated from romanised place names, to match places that lack Arabic names.

Many GeoNames places only have a romanised name, written in the BGN/PCGN (1956) system for
Arabic ("Dayr az Zawr", "Ḩamāh", "Şan‘ā’", "Mūsá"), sometimes in DIN 31635 ("Ṣanʿāʾ",
"Ḥamāh") or in a common plain/French form ("Deir ez-Zor", "Tell", "Jebel"). Arabic news
writes these places in Arabic script, so :func:`arabic_forms` reverses the romanisation into
one to three plausible Arabic spellings, most likely first, already in the matching form of
:func:`marsad.text.normalize.normalize_str` (so they can be looked up like any other key).

The reversal can never be exact (short vowels are not written in Arabic, plain ``h``/``s``/
``t`` hide ح/ص/ط, a final ``a`` may be ة or ا), so callers should treat these forms as
lower-confidence names than the Arabic names GeoNames gives.

How it works: the name is decomposed (NFKD) and cut into words; each word is read into
*units* (a consonant, a short vowel, a long vowel, a hamza); units are rendered as *slots*,
each a ranked tuple of Arabic options; the most likely form takes every slot's first option
and the alternatives change one slot at a time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.normalize import normalize_str

__all__ = ["MAX_FORMS", "arabic_forms"]

MAX_FORMS = 3  # more forms would add mostly noise to the gazetteer

# ---------------------------------------------------------------------------------------------
# Data tables
# ---------------------------------------------------------------------------------------------

# Combining marks as they come out of NFKD (ḩ = h + cedilla, ṣ = s + dot below, ...).
_CEDILLA = "\u0327"
_DOT_BELOW = "\u0323"
_MACRON = "\u0304"
_CIRCUMFLEX = "\u0302"
_CARON = "\u030c"
_DOT_ABOVE = "\u0307"
_LINE_BELOW = "\u0331"
_BREVE_BELOW = "\u032e"
_ACUTE = "\u0301"
_DIAERESIS = "\u0308"

# Characters for ‘ayn and hamza: BGN uses ‘ and ’, DIN ʿ and ʾ; GeoNames' ASCII names use
# ` and '; ʻ/ʼ are common look-alikes.
_AYN_CHARS = frozenset("‘ʿ`ʻʽ")
_HAMZA_CHARS = frozenset("’ʾ'ʼ")
# GeoNames' ASCII names write both ‘ayn and hamza as ', and ‘ayn is the commoner of the two.
_AMBIGUOUS_CHAR = "'"
# A middle dot (BGN's way to keep s·h apart) only stops two letters forming a digraph.
_SPLIT_CHARS = frozenset("·")

_CONSONANTS: dict[str, tuple[str, ...]] = {
    "b": ("ب",), "t": ("ت",), "j": ("ج",), "d": ("د",), "r": ("ر",), "z": ("ز",),
    "s": ("س",), "f": ("ف",), "q": ("ق",), "k": ("ك",), "l": ("ل",), "m": ("م",),
    "n": ("ن",), "h": ("ه",), "w": ("و",), "y": ("ي",),
    # Not Arabic sounds: the usual Arabic letters for them in loan words and names.
    "p": ("ب",), "v": ("ف",), "c": ("ك",), "x": ("كس",),
    # Egyptian and Gulf "g" is ج; in loan words it is often غ.
    "g": ("ج", "غ"),
}

# Two plain Latin letters for one Arabic consonant (BGN, plus French-style ch/dj and ph).
_DIGRAPHS: dict[str, tuple[str, ...]] = {
    "sh": ("ش",), "kh": ("خ",), "gh": ("غ",), "th": ("ث",), "dh": ("ذ",),
    "ch": ("ش",), "dj": ("ج",), "ph": ("ف",), "zh": ("ج",),
}

# Two plain vowels written for one long vowel or diphthong in non-scholarly spellings.
_VOWEL_DIGRAPHS: dict[str, tuple[str, ...]] = {
    "ou": ("و",), "oo": ("و",), "ee": ("ي",), "ai": ("ي",), "ei": ("ي",),
}

_SHORT_VOWELS = frozenset("aeiou\u0131")  # \u0131: dotless i, as in Turkish-style spellings

# A letter with a diacritic: (base, mark) -> (kind, options). Kind "C" consonant, "L" long vowel.
_MARKED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
for _mark in (_CEDILLA, _DOT_BELOW):  # BGN uses the cedilla, DIN the dot below
    _MARKED[("s", _mark)] = ("C", ("ص",))
    _MARKED[("d", _mark)] = ("C", ("ض",))
    _MARKED[("t", _mark)] = ("C", ("ط",))
    _MARKED[("z", _mark)] = ("C", ("ظ",))
    _MARKED[("h", _mark)] = ("C", ("ح",))
_MARKED[("k", _DOT_BELOW)] = ("C", ("ق",))
_MARKED[("h", _BREVE_BELOW)] = ("C", ("خ",))  # DIN ḫ
_MARKED[("k", _LINE_BELOW)] = ("C", ("خ",))  # ISO ḵ
_MARKED[("h", _LINE_BELOW)] = ("C", ("ه",))  # ẖ, for taa marbuta in some systems
_MARKED[("t", _LINE_BELOW)] = ("C", ("ث",))  # DIN ṯ
_MARKED[("d", _LINE_BELOW)] = ("C", ("ذ",))  # DIN ḏ
_MARKED[("z", _LINE_BELOW)] = ("C", ("ذ",))
_MARKED[("g", _DOT_ABOVE)] = ("C", ("غ",))  # DIN ġ
_MARKED[("g", _MACRON)] = ("C", ("غ",))
_MARKED[("g", _CARON)] = ("C", ("ج",))  # DIN ǧ
_MARKED[("j", _CARON)] = ("C", ("ج",))
_MARKED[("s", _CARON)] = ("C", ("ش",))  # DIN š
_MARKED[("c", _CARON)] = ("C", ("ش",))
_MARKED[("z", _CARON)] = ("C", ("ج",))
for _mark in (_MACRON, _CIRCUMFLEX):  # long vowels: ā ī ū, and ē ō in some spellings
    _MARKED[("a", _mark)] = ("L", ("ا",))
    _MARKED[("i", _mark)] = ("L", ("ي",))
    _MARKED[("u", _mark)] = ("L", ("و",))
    _MARKED[("e", _mark)] = ("L", ("ي",))
    _MARKED[("o", _mark)] = ("L", ("و",))
_MARKED[("a", _ACUTE)] = ("L", ("ي", "ا"))  # BGN á is alif maqsura (Mūsá = موسى), else alif
_MARKED[("i", _DIAERESIS)] = ("L", ("ي",))  # French ï: Saïda = سعيدة, Bouïra = البويرة

# Arabic letters that the article's l assimilates to (the "sun letters"), plus l itself:
# "Ash Shaykh", "Az Zāwiyah", "Al Lādhiqīyah" all start with ال.
_ARTICLE_LETTERS = frozenset("تثدذرزسشصضطظلن")
_ARTICLE_VOWELS = frozenset("ae")  # Al/Ar/Ash..., El/Es/Ez... ("Deir ez-Zor")

# Frequent words in place names whose spelling the letter rules cannot recover, keyed by the
# word with marks, ‘ayn and hamza removed (so "‘Ayn", "Ayn" and "Ain" share a key).
_WORDS: dict[str, tuple[str, ...]] = {}
for _keys, _arabic in (
    (("tall", "tell", "tal", "tel"), "تل"),
    (("jabal", "jebel", "djebel", "jbel"), "جبل"),
    (("dayr", "deir", "dair"), "دير"),
    (("kafr", "kfar", "kafar"), "كفر"),
    (("bayt", "beit", "bait"), "بيت"),
    (("abu", "abou"), "ابو"),
    (("abi",), "ابي"),
    (("umm", "um", "oum", "omm"), "ام"),
    (("ayn", "ain", "ein", "aine"), "عين"),
    (("qaryat", "qarya", "qaryah", "qariyat"), "قريه"),
    (("ras",), "راس"),
    (("bir",), "بير"),
    (("wadi",), "وادي"),
    (("khirbat", "khirbet", "kherbet", "khirbah"), "خربه"),
    (("mazraat", "mazraa", "mazraah", "mazraeh"), "مزرعه"),
    (("madinat", "madina", "medina"), "مدينه"),
    (("hayy", "hay"), "حي"),
    (("bab",), "باب"),
    (("suq", "souq", "souk", "suk"), "سوق"),
    (("qasr",), "قصر"),
    (("shaykh", "sheikh", "sheik", "shaikh", "cheikh"), "شيخ"),
    (("bani", "beni"), "بني"),
    (("ibn",), "ابن"),
    (("bin", "ben"), "بن"),
):
    for _key in _keys:
        _WORDS[_key] = (_arabic,)

# Particles that Arabic writes joined to the next word: "Sab‘ah wa Arba‘ūn" = سبعة وأربعون,
# "lil Muqāwalāt" = للمقاولات.
_PROCLITICS: dict[str, str] = {"wa": "و", "bi": "ب", "li": "ل", "lil": "لل", "wal": "وال", "bil": "بال"}

_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # GeoNames sometimes adds alternates in ()
_ARABIC_FORM = re.compile("[\u0621-\u063a\u0641-\u064a ]+")  # hamza to ya, no tatweel


# ---------------------------------------------------------------------------------------------
# Reading a name into words of units
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """One sound of a romanised word.

    ``kind`` is "C" (consonant, ‘ayn included), "V" (short vowel, ``text`` is the vowel), "L"
    (long vowel), "H" (hamza, ``text`` is the sign used) or "A" (French "aa", ‘ayn or ā);
    ``options`` are the ranked Arabic spellings of C and L.
    """

    kind: str
    text: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Word:
    """A word read into units, with the key under which :data:`_WORDS` may know it whole."""

    key: str  # bare Latin letters, lower case: the key of _WORDS
    units: tuple[_Unit, ...]


_Group = tuple[str, str]  # (base character, its combining marks)


@lru_cache(maxsize=4096)
def _char_class(ch: str) -> str:
    """How a character of an NFKD name is read: "sign" (‘ayn, hamza, split), "mark" (combining
    diacritic), "letter" (Latin), "foreign" (another script's letter, or a digit) or "space"
    (anything else, which separates words)."""
    if ch in _AYN_CHARS or ch in _HAMZA_CHARS or ch in _SPLIT_CHARS:
        return "sign"
    cat = unicodedata.category(ch)
    if cat[0] == "M":
        return "mark"
    if cat[0] == "L":
        return "letter" if "LATIN" in unicodedata.name(ch, "") else "foreign"
    if cat[0] == "N":
        return "foreign"
    return "space"


def _split_words(text: str) -> list[str] | None:
    """Cut an NFKD, lower-cased name into words; None if it is not a Latin-script name.

    Anything that is not a Latin letter, a mark or an ‘ayn/hamza sign separates words
    (spaces, hyphens, punctuation); a letter of another script or a digit means the name is
    not a romanisation we can read.
    """
    words: list[str] = []
    start = -1
    for pos, ch in enumerate(text):
        kind = _char_class(ch)
        if kind == "space":
            if start >= 0:
                words.append(text[start:pos])
                start = -1
        elif kind == "foreign":
            return None
        elif start < 0:
            start = pos
    if start >= 0:
        words.append(text[start:])
    return words


def _groups(word: str) -> list[_Group]:
    """A word as (base, marks) groups: each letter or sign with the diacritics that follow it."""
    groups: list[_Group] = []
    for ch in word:
        if _char_class(ch) == "mark":
            if groups and groups[-1][0].isalpha():
                groups[-1] = (groups[-1][0], groups[-1][1] + ch)
        else:
            groups.append((ch, ""))
    return groups


def _is_plain(groups: list[_Group], i: int, letters: str) -> bool:
    """Whether ``groups[i]`` exists, has no marks and its letter is one of ``letters``."""
    return 0 <= i < len(groups) and not groups[i][1] and groups[i][0] in letters


def _marked_unit(base: str, marks: str) -> _Unit | None:
    """The unit for a letter with diacritics (ş, ḩ, ā, ...), or None to read it as plain."""
    for mark in marks:
        found = _MARKED.get((base, mark))
        if found is not None:
            return _Unit(found[0], options=found[1])
    return None


def _units(groups: list[_Group]) -> tuple[_Unit, ...]:
    """Read a word's groups into units: digraphs first, then marked letters, then plain ones."""
    units: list[_Unit] = []
    i = 0
    n = len(groups)
    while i < n:
        base, marks = groups[i]
        if not marks and i + 1 < n and not groups[i + 1][1]:
            pair = base + groups[i + 1][0]
            if pair in _DIGRAPHS:
                units.append(_Unit("C", options=_DIGRAPHS[pair]))
                i += 2
                continue
            if pair == "aa":
                # French spellings of Levantine names write ‘ayn as "aa" (Aarsâl = عرسال,
                # Baalbek = بعلبك, Daraa = درعا); a plain long ā is the other reading.
                units.append(_Unit("A"))
                i += 2
                continue
            if pair in _VOWEL_DIGRAPHS:
                units.append(_Unit("L", options=_VOWEL_DIGRAPHS[pair]))
                i += 2
                continue
        unit = _letter_unit(groups, i)
        if unit is not None:
            units.append(unit)
        i += 1
    return tuple(units)


def _letter_unit(groups: list[_Group], i: int) -> _Unit | None:
    """The unit of the single group ``groups[i]``; None for what is not written (s'h apostrophe)."""
    base, marks = groups[i]
    if base in _AYN_CHARS:
        return _Unit("C", options=("ع",))
    if base in _HAMZA_CHARS:
        # An apostrophe between s/k/g/t/d/z and h only says "not a digraph" (as·hab, not ash-ab).
        if _is_plain(groups, i - 1, "skgtdcz") and _is_plain(groups, i + 1, "h"):
            return None
        return _Unit("H", text=base)
    if base in _SPLIT_CHARS:
        return None
    unit = _marked_unit(base, marks)
    if unit is not None:
        return unit
    if base in _SHORT_VOWELS:
        return _Unit("V", text="i" if base == "\u0131" else base)
    options = _CONSONANTS.get(base)
    if options is not None:
        return _Unit("C", options=options)
    return None  # a Latin letter with no Arabic counterpart (ø, ð, ...): skipped


@lru_cache(maxsize=16384)
def _read_word(word: str) -> _Word | None:
    """One word of a name read into units (cached: the same words recur across a gazetteer)."""
    groups = _groups(word)
    units = _units(groups)
    if not units:
        return None
    key = "".join(base for base, _ in groups if base.isalpha() and base.isascii())
    return _Word(key, units)


def _words(name: str) -> list[str] | None:
    """The words of a romanised name (NFKD, lower case), or None if it is not in Latin script."""
    return _split_words(unicodedata.normalize("NFKD", _PARENTHESES.sub(" ", name)).lower())


# ---------------------------------------------------------------------------------------------
# Rendering units as ranked Arabic slots
# ---------------------------------------------------------------------------------------------

_Slot = tuple[str, ...]

_VOWEL_QUALITY = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u"}
_VOWEL_SEAT = {"a": "ا", "e": "ا", "i": "ي", "u": "و", "o": "و"}  # hamza carrier by vowel
_LONG_VOWEL = {"ا": "a", "ي": "i", "و": "u"}


def _is_article(word: _Word, is_last: bool) -> bool:
    """Whether a word is the definite article (Al, Ar, Ash, Aş, El, Ez, ...) before a noun.

    BGN writes the article as a separate word assimilated to the next consonant ("Ar Raqqah",
    "Dayr az Zawr"); Arabic writes ال joined to the noun, whatever the assimilation.
    """
    if is_last or len(word.units) != 2:
        return False
    vowel, consonant = word.units
    return (
        vowel.kind == "V"
        and vowel.text in _ARTICLE_VOWELS
        and consonant.kind == "C"
        and consonant.options[0] in _ARTICLE_LETTERS
    )


def _hamza_seat(units: tuple[_Unit, ...], i: int) -> _Slot:
    """The spelling of a hamza from its neighbouring vowels; dropping it is the last choice.

    Arabic seats a medial hamza on the letter of the stronger neighbouring vowel, i over u over
    a (Bi’r = بئر, Mu’tah = مؤتة, Ra’s = رأس, Tā’if = طائف); before ā it merges into آ
    (Qur’ān = قرآن); at the end it sits on the previous short vowel's letter or alone
    (Karbalā’ = كربلاء). The folded carriers are ا/ي/و.
    """
    if i == 0:
        return ("ا",)
    prev = units[i - 1]
    nxt = units[i + 1] if i + 1 < len(units) else None
    before = prev.text if prev.kind == "V" else ""
    if nxt is None:
        return (_VOWEL_SEAT[before], "") if before else ("ء", "")
    after = nxt.text if nxt.kind == "V" else _LONG_VOWEL.get(nxt.options[0], "") if nxt.kind == "L" else ""
    if after == "a" and nxt.kind == "L":
        return ("",)
    vowels = before + after
    if "i" in vowels or "e" in vowels:
        return ("ي", "")
    if "u" in vowels or "o" in vowels:
        return ("و", "")
    if before == "a" or (after == "a" and prev.kind == "C"):
        return ("ا", "")
    return ("ء", "")


def _hamza_slot(units: tuple[_Unit, ...], i: int) -> _Slot:
    """A hamza sign; an ASCII apostrophe may also be ‘ayn, and mostly is (Ma'arrat = معرة).

    Word-initial ' is ‘ayn ('Ayn = عين); a final one after a or ā is mostly hamza (Karbala' =
    كربلاء), elsewhere ‘ayn comes first.
    """
    seat = _hamza_seat(units, i)
    if units[i].text != _AMBIGUOUS_CHAR:
        return seat
    if i == 0:
        return ("ع",)
    prev = units[i - 1]
    if i == len(units) - 1 and prev.kind == "L" and prev.options[0] == "ا":
        return seat + ("ع",)
    if i == len(units) - 1 and prev.kind == "V" and prev.text == "a":
        return ("اء", "ا", "ع")  # ASCII names lose the macron: Karbala' = كربلاء
    return ("ع",) + seat


def _aa_slot(units: tuple[_Unit, ...], i: int) -> _Slot:
    """French "aa": ‘ayn first, plain alif second; at the end of a word ‘ayn and alif (Daraa)."""
    if i == len(units) - 1 and i > 0:
        return ("عا", "ا", "عه")
    return ("ع", "ا")


def _vowel_slot(units: tuple[_Unit, ...], i: int) -> _Slot:
    """A short vowel: written ا at the start of a word, and at its end as the plain spellings do.

    BGN and DIN have no "o"; in French and English spellings it mostly stands for و (Deir
    ez-Zor = دير الزور), so a medial "o" is written و first.

    A final "a" is mostly taa marbuta (Ḩamā = حماة) or else alif; final i/u/e/o in plain
    spellings stand for long vowels (Ramadi = الرمادي) or for ة (Jableh).
    """
    vowel = units[i].text
    if i == 0:
        return ("ا",)
    nxt = units[i + 1] if i + 1 < len(units) else None
    if nxt is not None and nxt.kind == "L" and _LONG_VOWEL.get(nxt.options[0]) == _VOWEL_QUALITY[vowel]:
        return ("",)  # "oû", "iî": one long vowel written twice
    if i < len(units) - 1 or units[i - 1].kind != "C":
        return ("و", "") if vowel == "o" and units[i - 1].kind == "C" else ("",)
    if vowel == "a":
        return ("ه", "ا")
    if vowel == "e":
        return ("ه",)
    return ("ي",) if vowel == "i" else ("و",)


def _long_slot(units: tuple[_Unit, ...], i: int) -> _Slot:
    """A long vowel; at the start of a word it takes an alif (Īlyā = إيليا), and ī before y or
    ū before w merges with it (Lādhiqīyah = اللاذقية with one ي, as Arabic writes the shadda)."""
    unit = units[i]
    nxt = units[i + 1] if i + 1 < len(units) else None
    if nxt is not None and nxt.kind == "C" and nxt.options[0] == unit.options[0] and i > 0:
        return ("",)
    if i > 0 and units[i - 1].kind == "L" and units[i - 1].options == unit.options:
        return ("",)
    if i == 0 and unit.options[0] != "ا":
        return tuple("ا" + option for option in unit.options)
    return unit.options


def _consonant_slot(units: tuple[_Unit, ...], i: int, in_construct: bool) -> _Slot:
    """A consonant; doubled consonants are written once (Raqqah = رقة, the shadda is dropped).

    In a word in construct before another word, a final "at" is taa marbuta (Qal‘at al Ḩişn =
    قلعة الحصن), which BGN writes as t there.
    """
    unit = units[i]
    if i > 0 and units[i - 1].kind == "C" and units[i - 1].options == unit.options:
        return ("",)
    if (
        in_construct
        and i == len(units) - 1
        and i >= 3
        and unit.options == ("ت",)
        and units[i - 1].kind == "V"
        and units[i - 1].text == "a"
        and units[i - 2].kind == "C"
    ):
        return ("ه", "ت")
    return unit.options


@lru_cache(maxsize=32768)
def _word_slots(text: str, is_last: bool) -> tuple[_Slot, ...]:
    """The ranked Arabic slots of one word: a known city word, or its units one by one.

    Cached by the word's text: the same words recur across a gazetteer.
    """
    word = _read_word(text)
    if word is None:
        return ()
    known = _WORDS.get(word.key)
    if known is not None:
        return (known,)
    slots: list[_Slot] = []
    units = word.units
    for i, unit in enumerate(units):
        if unit.kind == "V":
            slots.append(_vowel_slot(units, i))
        elif unit.kind == "L":
            slots.append(_long_slot(units, i))
        elif unit.kind == "H":
            slots.append(_hamza_slot(units, i))
        elif unit.kind == "A":
            slots.append(_aa_slot(units, i))
        else:
            slots.append(_consonant_slot(units, i, in_construct=not is_last))
    return tuple(slots)


def _name_slots(texts: list[str]) -> list[_Slot]:
    """The slots of a whole name: words joined by spaces, articles and particles joined to the
    word that follows them."""
    slots: list[_Slot] = []
    prefix = ""
    words = [(text, word) for text, word in zip(texts, map(_read_word, texts)) if word is not None]
    for index, (text, word) in enumerate(words):
        is_last = index == len(words) - 1
        if _is_article(word, is_last):
            prefix += "ال"
            continue
        if not is_last and not prefix and word.key in _PROCLITICS:
            prefix = _PROCLITICS[word.key]
            continue
        if slots:
            slots.append((" ",))
        if prefix:
            slots.append((prefix,))
            prefix = ""
        slots.extend(_word_slots(text, is_last))
    return slots


# ---------------------------------------------------------------------------------------------
# Choosing forms
# ---------------------------------------------------------------------------------------------


def _clean(form: str) -> str:
    """The matching key of a generated form: normalised, single spaces, Arabic letters only."""
    text = " ".join(normalize_str(form).split())
    return text if _ARABIC_FORM.fullmatch(text) else ""


def _forms(slots: list[_Slot]) -> list[str]:
    """Up to MAX_FORMS distinct forms: all first choices, then one slot changed at a time.

    Changes are tried by rank (every slot's second choice before any third), then from the
    start of the name.
    """
    primary = [slot[0] for slot in slots]
    changes = sorted((rank, pos) for pos, slot in enumerate(slots) for rank in range(1, len(slot)))
    out: list[str] = []
    for rank, pos in [(0, 0)] + changes:
        choice = primary
        if rank:
            choice = primary.copy()
            choice[pos] = slots[pos][rank]
        form = _clean("".join(choice))
        if form and form not in out:
            out.append(form)
            if len(out) == MAX_FORMS:
                break
    return out


@lru_cache(maxsize=65536)
def _arabic_forms(romanized: str) -> tuple[str, ...]:
    words = _words(romanized)
    if not words:
        return ()
    return tuple(_forms(_name_slots(words)))


def arabic_forms(romanized: str) -> list[str]:
    """Plausible Arabic spellings of a romanised (BGN/PCGN, DIN 31635 or plain) Arabic name.

    Returns at most three distinct forms, most likely first, each already normalised with
    :func:`marsad.text.normalize.normalize_str` and made only of Arabic letters and single
    spaces: ``arabic_forms("Dayr az Zawr") == ["دير الزور"]``. Returns ``[]`` for text that is
    not a Latin-script name (Arabic, CJK, digits) or has nothing to transliterate.
    """
    if not isinstance(romanized, str):
        return []
    return list(_arabic_forms(romanized))
