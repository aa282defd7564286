"""How the search reads text and queries: folding, the thesaurus, index keys, query analysis.

The index builder (index.py) and the browser's query reader (search-query.js)
implement the same rules; tests/fixtures/search/analysis.tsv is one table of
cases run against both, so the two cannot drift.  The rules:

fold
    NFKC, lower case, kanji digits as digits, commas between digits dropped,
    katakana as hiragana, small vowels (ぁぃぅぇぉ) as full ones, long vowel
    marks, middle dots and dashes after katakana dropped, イ after an e-row
    kana dropped (コーディネイター = コーディネーター), a few 異体字, and any
    other character (punctuation, spaces) a word break (one space).
normalise
    fold, then every thesaurus spelling (longest first, left to right) as its
    head, so 社協 and 社会福祉協議会 are the same words in stories and queries.
keys
    the character bigrams of normalised text, and each kanji alone; a query
    term matches a story that has its keys.
analyse
    a query becomes facet values (prefecture, municipality kind, population
    band, 重層, status, started-by field), date keys (令和2年度 -> fiscal year
    2020) and content words (particles and inflections removed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from norishiro.format.dates import ERAS, DateError, Period, parse_period
from norishiro.format.thesaurus import ENTRIES, GENERIC_WORDS, LIGHT_SUFFIXES
from norishiro.format.vocab import DIFFICULTIES, FIELDS, PREFECTURES, PROGRAMMES, SIZE_BANDS, STATUSES, Vocabulary, label_head

KANJI_DIGITS = "〇一二三四五六七八九"
ITAIJI = {"髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "澤": "沢", "濱": "浜", "櫻": "桜", "龍": "竜", "檜": "桧", "嶋": "島", "德": "徳", "冨": "富", "國": "国", "關": "関", "廣": "広", "惠": "恵", "榮": "栄", "縣": "県", "會": "会", "學": "学"}
SMALL_VOWELS = {"ぁ": "あ", "ぃ": "い", "ぅ": "う", "ぇ": "え", "ぉ": "お", "ゕ": "か", "ゖ": "け"}
E_ROW = "えけげせぜてでねへべぺめれ"
DASHES = "-‐‑‒–—―−"
PARTICLES = "のがをにでとはへもやかねよ"
# Endings removed from a hiragana word typed in a query (もったいない -> もったい).
HIRAGANA_ENDINGS = ("していない", "している", "していた", "ている", "ていた", "ました", "ません", "だった", "です", "ます", "ない", "った", "って", "る", "た", "て")
HIRAGANA_STOPWORDS = ("これ", "それ", "あれ", "この", "その", "あの", "ここ", "そこ", "どこ", "こと", "もの", "とき", "ため", "よう", "など", "ある", "いる", "する", "なる")

_DIGIT_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9])")
_KATA_DASH = re.compile(rf"(?<=[ァ-ヺ])[{DASHES}]")
_E_I = re.compile(f"([{E_ROW}])い")
_SPACES = re.compile(r" +")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_KANJI = re.compile("[\u3400-\u9fff\uf900-\ufaff々〆]")


def _is_word_char(code: int) -> bool:
    return (
        0x30 <= code <= 0x39
        or 0x61 <= code <= 0x7A
        or 0x3041 <= code <= 0x3096
        or 0x30A1 <= code <= 0x30FA
        or code in (0x3005, 0x3006)
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
    )


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x10000):
        char = chr(code)
        if 0x30A1 <= code <= 0x30F6:
            out = chr(code - 0x60)
        elif code in (0x30FB, 0x30FC):  # ・ ー
            out = ""
        elif not _is_word_char(code):
            out = " "
        else:
            out = char
        out = SMALL_VOWELS.get(out, out)
        out = ITAIJI.get(out, out)
        if out in KANJI_DIGITS and out:
            out = str(KANJI_DIGITS.index(out))
        if out != char:
            table[code] = out
    return table


def fold(text: str) -> str:
    """Fold width, case, kana and notation differences; breaks become one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _KATA_DASH.sub("", _DIGIT_COMMA.sub("", text))
    text = _ASTRAL.sub(" ", text)
    text = _E_I.sub(r"\1", text.translate(_table()))
    return _SPACES.sub(" ", text).strip()


# ---- the thesaurus ----------------------------------------------------------


@cache
def thesaurus_map() -> dict[str, str]:
    """Folded spelling -> folded head, chains resolved (重曹 -> 重層 -> 重層的支援体制整備事業)."""
    raw: dict[str, str] = {}
    for entry in ENTRIES:
        head = fold(entry.head)
        raw.setdefault(head, head)
        for spelling in entry.spellings:
            raw[fold(spelling)] = head
    out = {}
    for spelling, head in raw.items():
        seen = {spelling}
        while raw.get(head, head) != head and head not in seen:
            seen.add(head)
            head = raw[head]
        out[spelling] = head
    return {key: value for key, value in out.items() if len(key) >= 2}


@cache
def _thesaurus_re() -> re.Pattern[str]:
    spellings = sorted(thesaurus_map(), key=lambda s: (-len(s), s))
    return re.compile("|".join(_spelling_re(s) for s in spellings))


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _spelling_re(spelling: str) -> str:
    """A letters-only spelling (gh, csw) is a word of its own, never part of one (github)."""
    if _ASCII_WORD.fullmatch(spelling):
        return rf"(?<![a-z0-9]){re.escape(spelling)}(?![a-z0-9])"
    return re.escape(spelling)


def normalise(text: str) -> str:
    """fold, then each thesaurus spelling as its head (longest match, left to right)."""
    mapping = thesaurus_map()
    return _thesaurus_re().sub(lambda m: mapping[m.group(0)], fold(text))


def _is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char in "々〆"


def keys(normalised: str) -> list[str]:
    """Index keys of normalised text: bigrams within words, and each kanji alone."""
    out: list[str] = []
    for word in normalised.split(" "):
        out.extend(map(str.__add__, word, word[1:]))
        out.extend(_KANJI.findall(word))
    return out


def term_keys(term: str) -> list[str]:
    """The keys a query term needs (in order, no repeats)."""
    found = keys(term) if len(term) == 1 else [k for k in keys(term) if len(k) == 2]
    return list(dict.fromkeys(found))


# ---- dates ------------------------------------------------------------------


def _months(start: date, end: date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _fiscal(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def period_keys(period: Period) -> dict[str, bool]:
    """Keys of every calendar year, fiscal year and month a period touches,
    each True when the period lies wholly inside it (ranked above a mere overlap)."""
    out = {f"@y{year}": period.start.year == period.end.year for year in range(period.start.year, period.end.year + 1)}
    fiscal = range(_fiscal(period.start), _fiscal(period.end) + 1)
    out.update({f"@f{year}": len(fiscal) == 1 for year in fiscal})
    if (period.end - period.start).days <= 750:
        months = list(_months(period.start, period.end))
        out.update({f"@m{year}{month:02d}": len(months) == 1 for year, month in months})
    return out


def date_key(period: Period) -> str:
    """The one key a date in a query asks for."""
    if period.precision == "fiscal_year":
        return f"@f{period.year}"
    if period.precision == "year":
        return f"@y{period.year}"
    return f"@m{period.year}{period.start.month:02d}"


_ERA_INITIALS = "".join(f"{name}|" for name in ERAS) + "r|h|s"
DATE_RE = re.compile(rf"(?<![a-z])(?:(?:{_ERA_INITIALS})\s*(?:[0-9]{{1,2}}|元)|[0-9]{{4}})\s*年\s*(?:度|[0-9]{{1,2}}\s*月)?")


# ---- facet words ------------------------------------------------------------

# 〜を使った (a programme the initiative used) and 〜に届いている / 届いていない
# (a kind of difficulty it reaches or not yet): the word before is a facet
# value only with these verbs; alone it is a word to search for, since
# `programmes` and `reach.groups_*` are optional keys.
USED_RE = re.compile(r"(?:を|で)?(?:使った|使っている|使う|活用した|活用している|活かした|生かした|通じた|通して|通した)")
REACH_RE = re.compile(r"(?:の(?:人|方|家族|世帯|子ども|子|若者))?(?:に|へ)(?:まだ)?(?:届いている|届いた|届く|届いていない|届かない|届けている|届けた)")
STARTED_RE = re.compile(r"(?:が|から|の)?(?:始めた|はじめた|始まった|はじまった|始めている|立ち上げた|始めの|主導の|主導した|発の)")
# 人口5万人以上, or 5万人以上 without 人口 (but not 3人以上).
POPULATION_RE = re.compile(r"(人口\s*)?([0-9]+(?:\.[0-9]+)?)\s*(万)?\s*人?\s*(以上|超え|超|より多い|未満|以下|より少ない|まで)")
# (jusou id, pattern), tried in order on the folded query.
_JUSOU_OBJECT = r"重層(?:的支援体制整備事業|的支援|事業)?\s*(?:を|の|は)?\s*"
JUSOU_RES = (
    ("not_using", re.compile(_JUSOU_OBJECT + r"(?:未実施|実施していない|実施してない|活用していない|使っていない|やっていない|なし)")),
    ("preparing", re.compile(rf"(?:{_JUSOU_OBJECT})?移行準備(?:事業)?中?|{_JUSOU_OBJECT}準備中")),
    ("using", re.compile(_JUSOU_OBJECT + r"(?:実施|活用)(?:している|中|済み|済)?")),
)
# Municipality kinds named by a word of their own in the query.
KIND_WORDS = {
    "市": ("city", "core_city", "designated_city"),
    "町": ("town",),
    "村": ("village",),
    "特別区": ("ward",),
    "区": ("ward",),
    "政令市": ("designated_city",),
    "政令指定都市": ("designated_city",),
    "指定都市": ("designated_city",),
    "中核市": ("core_city",),
    "一般市": ("city",),
    "圏域": ("area",),
    "広域": ("area",),
}
_STATUS_EXCLUDED = {"実施中", "取組中"}  # also 重層 words, or ordinary words


def status_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for term in STATUSES.terms:
        for spelling in (term.label, *term.variants):
            if spelling not in _STATUS_EXCLUDED:
                out[fold(spelling)] = term.id
    return out


def prefecture_words() -> dict[str, str]:
    """Folded full and short prefecture names -> romaji id."""
    out: dict[str, str] = {}
    for pref in PREFECTURES:
        out[fold(pref.name)] = pref.romaji
        out[fold(pref.short)] = pref.romaji
    return out


@cache
def field_words() -> dict[str, str]:
    """Folded labels and variants of the fields vocabulary -> field id (for 「〜が始めた」)."""
    out: dict[str, str] = {}
    for term in FIELDS.terms:
        for spelling in (term.id, term.label, *term.variants):
            out.setdefault(fold(spelling), term.id)
    return out


def _vocabulary_words(vocabulary: Vocabulary, other: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for term in vocabulary.terms:
        if term.id == other:
            continue
        for spelling in (term.label, label_head(term.label), *term.variants):
            out.setdefault(fold(spelling), term.id)
    return out


@cache
def programme_words() -> dict[str, str]:
    """Folded labels and variants of the programme vocabulary -> id (for 「〜を使った」)."""
    return _vocabulary_words(PROGRAMMES, "other_programme")


@cache
def difficulty_words() -> dict[str, str]:
    """Folded labels and variants of the difficulty vocabulary -> id (for 「〜に届いている」)."""
    return _vocabulary_words(DIFFICULTIES, "other_difficulty")


def population_bands(number: float, relation: str) -> list[str]:
    """Size band ids overlapping 人口 <number> <relation> (以上, 未満, ...)."""
    lower_bounds = [0, *(band.upper for band in SIZE_BANDS[:-1])]
    bands = []
    for lower, band in zip(lower_bounds, SIZE_BANDS, strict=True):
        upper = band.upper if band.upper is not None else float("inf")
        if relation in ("以上", "超え", "超", "より多い"):
            if upper > number:
                bands.append(band.id)
        elif lower < number:
            bands.append(band.id)
    return bands


# ---- query analysis -----------------------------------------------------------


@dataclass
class Analysis:
    """What a query asks for."""

    words: list[str] = field(default_factory=list)  # content words as typed (NFKC)
    terms: list[str] = field(default_factory=list)  # the same, normalised
    facets: dict[str, list[str]] = field(default_factory=dict)  # facet key -> value ids
    dates: list[str] = field(default_factory=list)  # date keys
    date_labels: list[str] = field(default_factory=list)  # 令和2年度（2020年度）


def _add_facet(analysis: Analysis, key: str, values: Iterable[str]) -> None:
    current = analysis.facets.setdefault(key, [])
    current.extend(v for v in values if v not in current)


def _char_class(char: str) -> str:
    """'h' hiragana, 'c' content (kanji, katakana, letters, digits), ' ' a break."""
    code = ord(char)
    if 0x3041 <= code <= 0x3096:
        return "h"
    if char in "ー・" or _is_word_char(code):
        return "c"
    return " "


@cache
def _protected() -> tuple[dict[str, int], int]:
    """Kana-folded thesaurus spellings the tokeniser keeps whole (取り組み, ひきこもり)."""
    words: dict[str, int] = {}
    for entry in ENTRIES:
        for spelling in (entry.head, *entry.spellings):
            key = _kana(unicodedata.normalize("NFKC", spelling).lower())
            words[key] = 1
    return words, max(len(word) for word in words)


def _kana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in text)


def _runs(text: str) -> list[tuple[str, str]]:
    """Split into runs of (class, text): 'p' protected word, 'c', 'h'; breaks dropped."""
    words, longest = _protected()
    kana = _kana(text)
    runs: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        for length in range(min(longest, len(text) - i), 1, -1):
            if kana[i : i + length] in words:
                runs.append(("p", text[i : i + length]))
                i += length
                break
        else:
            kind = _char_class(text[i])
            if text[i] == "ー" and runs and runs[-1][0] == "h":
                kind = "h"  # あうとりーち
            if kind != " ":
                if runs and runs[-1][0] == kind:
                    runs[-1] = (kind, runs[-1][1] + text[i])
                else:
                    runs.append((kind, text[i]))
            else:
                runs.append((" ", " "))
            i += 1
    return runs


def _strip_ending(word: str) -> str:
    for ending in HIRAGANA_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word


def _hiragana_word(run: str, after_word: bool) -> str | None:
    """The content of a hiragana run, or None when it is particles and endings."""
    if after_word:
        if run[0] not in PARTICLES:
            return None  # okurigana and inflection of the word before
        run = run[1:]
    while run and run[-1] in PARTICLES and len(run) > 2:
        run = run[:-1]
    run = _strip_ending(run)
    if len(run) < (3 if after_word else 2) or run in HIRAGANA_STOPWORDS:
        return None
    return run


def split_words(text: str) -> list[str]:
    """Content words of a phrase: particles, okurigana tails and inflections removed."""
    runs = _runs(text)
    words: list[str] = []
    current = ""
    for i, (kind, value) in enumerate(runs):
        if kind in ("c", "p"):
            current += value
            continue
        if kind == " ":
            if current:
                words.append(current)
            current = ""
            continue
        follows = bool(current)
        nxt = runs[i + 1][0] if i + 1 < len(runs) else " "
        if follows and len(value) == 1 and value not in PARTICLES and nxt in ("c", "p"):
            current += value  # okurigana inside a compound: 話し合, 落ち着
            continue
        if not follows and value[-1] not in PARTICLES and nxt in ("c", "p"):
            current = value  # kana at the head of a compound: ごちゃまぜ市, おたがいさま会議
            continue
        if follows and len(current) == 1 and _is_kanji(current) and value[0] not in PARTICLES:
            current += value[0]  # one kanji and its okurigana: 暮ら, 止ま
        if current:
            words.append(current)
        current = ""
        word = _hiragana_word(value, after_word=follows)
        if word:
            words.append(word)
    if current:
        words.append(current)
    return words


FIELD_SUFFIXES = ("分野", "部門", "関係", "の側", "側")


def _field_key(word: str) -> str:
    """Folded word naming a field, without a trailing 分野 (障がい分野 -> 障がい)."""
    key = fold(word)
    if key in field_words():
        return key
    for suffix in FIELD_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in field_words():
            return key[: -len(suffix)]
    return key


def _facet_verb(analysis: Analysis, text: str, pattern: re.Pattern[str], key: str, words: dict[str, str]) -> str:
    """Each vocabulary word followed by the facet's verb becomes the facet; the
    words and the verb leave the text (the verb alone stays: 使った is a word)."""
    while True:
        for match in pattern.finditer(text):
            head = text[: match.start()]
            before = split_words(head)
            if before and fold(before[-1]) in words:
                _add_facet(analysis, key, [words[fold(before[-1])]])
                text = head[: head.rfind(before[-1])] + " " + text[match.end() :]
                break
        else:
            return text


def _era_period(text: str) -> Period | None:
    try:
        return parse_period(re.sub(r"\s+", "", text).replace("r", "令和").replace("h", "平成").replace("s", "昭和"))
    except DateError:
        return None


def analyse(query: str) -> Analysis:
    """Read a query as staff type it (see the module docstring)."""
    analysis = Analysis()
    text = unicodedata.normalize("NFKC", query or "").lower().replace("\u3000", " ")
    text = _DIGIT_COMMA.sub("", _KATA_DASH.sub("ー", text))  # コーディネ-タ-, 8,000

    def cut(_: re.Match[str]) -> str:
        return " "

    for jusou, pattern in JUSOU_RES:
        if pattern.search(text):
            _add_facet(analysis, "jusou", [jusou])
            text = pattern.sub(cut, text)
    def population(match: re.Match[str]) -> str:
        if not (match.group(1) or match.group(3)):
            return match.group(0)
        number = float(match.group(2)) * (10_000 if match.group(3) else 1)
        _add_facet(analysis, "size", population_bands(number, match.group(4)))
        return " "

    text = POPULATION_RE.sub(population, text)
    fields, programmes = field_words(), programme_words()
    for match in list(STARTED_RE.finditer(text)):
        head = text[: match.start()]
        before = split_words(head)
        found = _field_key(before[-1]) if before else ""
        if found in fields or found in programmes:
            _add_facet(analysis, "started" if found in fields else "prog", [fields.get(found) or programmes[found]])
            text = head[: head.rfind(before[-1])] + " " + text[match.end() :]
            break
    text = STARTED_RE.sub(cut, text)  # 〜に始まった: the verb says nothing to search for
    text = _facet_verb(analysis, text, USED_RE, "prog", programmes)
    text = _facet_verb(analysis, text, REACH_RE, "diff", difficulty_words())
    for match in DATE_RE.finditer(text):
        period = _era_period(match.group(0))
        if period is not None:
            analysis.dates.append(date_key(period))
            analysis.date_labels.append(period.label())
    text = DATE_RE.sub(lambda m: " " if _era_period(m.group(0)) else m.group(0), text)
    prefs, statuses = prefecture_words(), status_words()
    full_names = sorted((fold(p.name) for p in PREFECTURES), key=len, reverse=True)
    remaining: list[str] = []
    for word in split_words(text):
        key = fold(word)
        if key in prefs:
            _add_facet(analysis, "pref", [prefs[key]])
        elif word in KIND_WORDS:
            _add_facet(analysis, "kind", KIND_WORDS[word])
        elif key in statuses:
            _add_facet(analysis, "status", [statuses[key]])
        else:
            prefix = next((name for name in full_names if key.startswith(name) and len(key) > len(name)), None)
            if prefix is not None:
                _add_facet(analysis, "pref", [prefs[prefix]])
                word = word[len(prefix):]
            remaining.append(word)
    generic = {normalise(w) for w in GENERIC_WORDS}
    # A word with no keys (a lone digit: the 一 of その一) can be found in no story: it is no term.
    terms = [(w, t) for w in remaining if term_keys(t := normalise(w))]
    if any(t not in generic for _, t in terms) or analysis.facets or analysis.dates:
        terms = [(w, t) for w, t in terms if t not in generic]
    seen: set[str] = set()
    for word, term in terms:
        if term not in seen:
            seen.add(term)
            analysis.words.append(word)
            analysis.terms.append(term)
    return analysis


def _day_number(day: date | None) -> int | None:
    return None if day is None else day.year * 10_000 + day.month * 100 + day.day


def thesaurus_groups() -> list[list[str]]:
    """Every spelling (as written in the thesaurus) grouped by the head it reads as."""
    mapping = thesaurus_map()
    groups: dict[str, list[str]] = {}
    for entry in ENTRIES:
        head = mapping.get(fold(entry.head), fold(entry.head))
        group = groups.setdefault(head, [])
        group.extend(s for s in (entry.head, *entry.spellings) if s not in group)
    return list(groups.values())


def lexicon() -> dict[str, object]:
    """The tables the browser's query reader needs, generated from format/."""
    return {
        "thesaurus": thesaurus_map(),
        "protected": sorted(_protected()[0]),
        "generic": sorted({normalise(w) for w in GENERIC_WORDS}),
        "suffixes": sorted({fold(w) for w in LIGHT_SUFFIXES}, key=lambda w: (-len(w), w)),  # a total order: the same bytes in every build
        "particles": PARTICLES,
        "endings": list(HIRAGANA_ENDINGS),
        "stopwords": list(HIRAGANA_STOPWORDS),
        "itaiji": ITAIJI,
        "prefectures": prefecture_words(),
        "prefectureNames": sorted((fold(p.name) for p in PREFECTURES), key=len, reverse=True),
        "kinds": {word: list(ids) for word, ids in KIND_WORDS.items()},
        "statuses": status_words(),
        "fields": field_words(),
        "fieldSuffixes": list(FIELD_SUFFIXES),
        "programmes": programme_words(),
        "difficulties": difficulty_words(),
        "bands": [[band.id, band.upper] for band in SIZE_BANDS],
        "eras": {name: [era.first_year, era.last_year, _day_number(era.starts), _day_number(era.ends)] for name, era in ERAS.items()},
        "groups": thesaurus_groups(),
    }
