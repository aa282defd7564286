"""A varied synthetic collection for the benchmarks (fixed seed).

Copying the 12 samples under new names would flatter every figure that
depends on text: gzip ratios, search index size, n-gram postings.  So each
synthetic story is assembled from pieces: sentences drawn from every sample's
timeline items, failures, burden/reach texts and narrative sections, mixed
across samples and with this module's own phrase tables, under a new
municipality (name, prefecture, kind, population), new dates, vocabulary
values and slug.  Numbers inside sentences are redrawn and the samples'
place names are replaced by the story's own.  Every story it writes checks
clean with `norishiro check --strict` (tests/test_corpus.py).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from norishiro.format.vocab import DIFFICULTIES, FIELDS, JUSOU, PREFECTURES, PROGRAMMES, STATUSES, TIMELINE_KINDS

SAMPLES = Path(__file__).resolve().parent.parent / "stories"
SEED = 20260401
HEADINGS = ("きっかけ", "経過", "うまくいかなかったこと", "いまの形と残る課題", "これから始める自治体へ")

# ---------------------------------------------------------------- phrase tables

_NAME_HEADS = "青赤白黒北南東西上下中大小新古本高長広丸若朝夕春秋"
_NAME_TAILS = (
    "川", "浜", "山", "野", "原", "田", "島", "沢", "崎", "岡", "谷", "森", "坂", "浦", "津", "瀬", "里", "平",
    "台", "林", "松", "宮", "見", "ヶ丘", "の郷", "石", "江", "根", "橋", "水",
)
_ROMAJI_HEADS = ("ao", "aka", "shiro", "kuro", "kita", "minami", "higashi", "nishi", "kami", "shimo", "naka", "oo", "ko", "shin", "furu", "moto", "taka", "naga", "hiro", "maru", "waka", "asa", "yuu", "haru", "aki")
_ROMAJI_TAILS = ("kawa", "hama", "yama", "no", "hara", "ta", "shima", "sawa", "saki", "oka", "tani", "mori", "saka", "ura", "tsu", "se", "sato", "taira", "dai", "bayashi", "matsu", "miya", "mi", "gaoka", "nosato", "ishi", "e", "ne", "hashi", "mizu")
_SLUG_TOPICS = (
    "ibasho", "soudan", "mimamori", "8050", "young-carer", "hikikomori", "kaigi", "renkei", "shakyo", "jusou",
    "kyoiku", "sumai", "shuro", "saihan", "tsudoi", "chiiki", "takikan", "outreach", "sanka", "salon",
)
_SLUG_TAILS = ("start", "paused", "handover", "spread", "network", "table", "map", "team", "desk", "circle")
_KIND_SUFFIX = {"designated_city": "市", "core_city": "市", "city": "市", "ward": "区", "town": "町", "village": "村"}
_POPULATION = {
    "village": (400, 12_000), "town": (2_500, 45_000), "city": (18_000, 190_000), "core_city": (200_000, 620_000),
    "designated_city": (700_000, 3_700_000), "ward": (60_000, 900_000), "prefecture": (550_000, 9_000_000),
    "area": (15_000, 260_000),
}
_KIND_WEIGHTS = {"city": 40, "town": 28, "village": 9, "core_city": 8, "designated_city": 4, "ward": 3, "prefecture": 4, "area": 4}

_ACTORS = (
    "地域包括支援センター", "社協のコミュニティソーシャルワーカー", "保健センターの保健師", "基幹相談支援センター",
    "生活困窮の相談員", "スクールソーシャルワーカー", "民生委員・児童委員", "こども家庭センター", "福祉総合相談課",
    "地区社協", "NPO法人の相談員", "障がい福祉課", "教育委員会", "住民の有志", "商工会", "居住支援法人",
)
_MEETINGS = (
    "支援会議", "地域ケア会議", "自立支援協議会の相談部会", "要保護児童対策地域協議会", "多機関協働の事例検討会",
    "生活支援体制整備事業の協議体", "地区の寄り合い", "庁内連携会議", "重層的支援会議", "ケース会議",
)
_ACTIONS = (
    "月1回の定例の場をつくった", "記録の様式を一つにそろえた", "初回の面談を二人で行うようにした",
    "相談の受け先を一覧にして配った", "会議の日程を既存の会議の直後に寄せた", "住民向けの説明会を開いた",
    "事例を匿名にして振り返る時間を設けた", "担当の引き継ぎ表をつくった", "地区ごとの地図にまとめた",
    "役割分担を文書にした", "出向く先の集落を順に回った", "予算の按分の考え方を整理した",
)
_OUTCOMES = (
    "相談がたらい回しになることが減った", "同じ話を何度もさせることがなくなった", "参加者が少しずつ増えた",
    "担当が替わっても動きが止まらなくなった", "住民の気づきが早く届くようになった", "会議が報告だけで終わらなくなった",
    "困りごとを抱えた世帯に早く会えるようになった", "かえって調整の手間が増えた", "まだ手応えは小さい",
)
_TITLE_SHAPES = (
    "{actor}と{actor2}がつないだ{topic}", "{meeting}から始まった{topic}", "{topic}――{outcome}まで",
    "{actor}が動いた{topic}の{years}年", "{meeting}を使わずに進めた{topic}", "{topic}と{meeting}のあいだで",
)
_TOPICS = (
    "ひきこもりの家族の集い", "ヤングケアラーの相談", "8050の世帯への訪問", "居場所づくり", "住まいの相談",
    "就労体験の受け入れ", "出所した人の地域での暮らし", "子ども食堂と見守り", "多機関協働の会議", "分野を超えた相談窓口",
    "集落の見守りの地図", "学校と福祉の連携", "ごみ屋敷の世帯への支援", "外国にルーツのある家族の相談",
)
_TAGS = (
    "居場所", "ひきこもり", "8050", "ヤングケアラー", "小規模自治体", "兼務", "引き継ぎ", "民生委員", "子ども食堂",
    "見守り", "多機関協働", "参加支援", "地域づくり", "休止", "再開", "住まい", "就労", "不登校", "社会的孤立",
)
_DEPARTMENTS = ("福祉総合相談課", "福祉課", "健康福祉課", "地域福祉課", "保健福祉課", "住民福祉課", "社会福祉協議会", "地域共生推進課")


# Words of one kind that can stand in for each other inside a sample sentence.
_SWAPS = (
    ("地域包括支援センター", "基幹相談支援センター", "保健センター", "こども家庭センター", "福祉事務所", "相談支援事業所"),
    ("保健師", "社会福祉士", "相談員", "生活支援コーディネーター", "精神保健福祉士", "ケアマネジャー"),
    ("民生委員", "自治会長", "地区社協の役員", "住民の有志", "老人クラブの役員"),
    ("社協", "NPO法人", "地区社協", "商工会", "居住支援法人"),
    ("月1回", "月2回", "隔月", "年4回", "週1回", "年6回"),
    ("高齢", "障がい", "子ども", "困窮", "教育", "住まい", "就労"),
)
_SWAP_INDEX = {word: group for group in _SWAPS for word in group}
_SWAP_PATTERN = re.compile("|".join(sorted(_SWAP_INDEX, key=len, reverse=True)))


@dataclass
class _Pools:
    """Sentences from the samples, by where they came from."""

    timeline: dict[str, list[str]]  # by timeline kind ('' for none)
    all_timeline: list[str]
    fail_what: list[str]
    fail_why: list[str]
    fail_next: list[str]
    workload: list[str]
    funding: list[str]
    reach_now: list[str]
    reach_not_yet: list[str]
    before: list[str]
    through: list[str]
    body: dict[str, list[str]]  # by heading
    names: list[str]  # the samples' place names, replaced in every sentence


_SENTENCE = re.compile(r"[^。]+。?")
# Counts that can be redrawn without changing what a sentence means (not ages, not dates).
_NUMBER = re.compile(r"(?<![0-9０-９])[0-9]{1,3}(?=回|時間|か所|世帯|件|か月|日間)")


def _sentences(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    return [s.strip() for s in _SENTENCE.findall(text.replace("\n", "")) if len(s.strip()) > 4]


def _load_pools(samples: Path) -> _Pools:
    pools = _Pools({}, [], [], [], [], [], [], [], [], [], [], {h: [] for h in HEADINGS}, [])
    files = sorted(samples.glob("*.md"))
    if not files:
        raise SystemExit(f"見本の物語が {samples} にありません")
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, front_text, body = text.split("---\n", 2)
        front = yaml.safe_load(front_text)
        pools.names.append(front["municipality"]["name"])
        for item in front.get("timeline", []):
            pools.timeline.setdefault(item.get("kind", ""), []).extend(_sentences(item.get("what")))
            pools.all_timeline.extend(_sentences(item.get("what")))
        for item in front.get("failures", []):
            pools.fail_what.extend(_sentences(item.get("what")))
            pools.fail_why.extend(_sentences(item.get("why")))
            pools.fail_next.extend(_sentences(item.get("next")))
        burden, reach = front.get("burden") or {}, front.get("reach") or {}
        pools.workload.extend(_sentences(burden.get("workload")))
        pools.funding.extend(_sentences(burden.get("funding")))
        pools.reach_now.extend(_sentences(reach.get("now")))
        pools.reach_not_yet.extend(_sentences(reach.get("not_yet")))
        pools.before.extend(_sentences(front.get("before")))
        through = (front.get("started_by") or {}).get("through")
        if through:
            pools.through.append(through)
        for section in re.split(r"^## ", body, flags=re.M)[1:]:
            heading, _, paragraph_text = section.partition("\n")
            if heading.strip() in pools.body:
                pools.body[heading.strip()].extend(_sentences(paragraph_text))
    return pools


class _Writer:
    def __init__(self, pools: _Pools, rng: random.Random) -> None:
        self.pools = pools
        self.rng = rng
        self.place = ""
        self.name_pattern = re.compile("|".join(sorted(map(re.escape, pools.names), key=len, reverse=True)))

    def fix(self, sentence: str) -> str:
        """The sentence with this story's place name, some words swapped and counts redrawn."""
        sentence = self.name_pattern.sub(self.place, sentence)
        sentence = _SWAP_PATTERN.sub(lambda m: self.rng.choice(_SWAP_INDEX[m.group(0)]) if self.rng.random() < 0.5 else m.group(0), sentence)
        return _NUMBER.sub(lambda m: str(self.rng.randint(max(1, 10 ** (len(m.group(0)) - 1)), 10 ** len(m.group(0)) - 1)), sentence)

    def own_sentence(self) -> str:
        r = self.rng
        shape = r.randrange(4)
        if shape == 0:
            return f"{r.choice(_ACTORS)}と{r.choice(_ACTORS)}が、{r.choice(_MEETINGS)}で{r.choice(_ACTIONS)}。"
        if shape == 1:
            return f"{r.choice(_ACTIONS)}ことで、{r.choice(_OUTCOMES)}。"
        if shape == 2:
            return f"{r.choice(_MEETINGS)}に{r.choice(_ACTORS)}が加わり、{r.choice(_OUTCOMES)}。"
        return f"{r.choice(_ACTORS)}が中心になって{r.choice(_ACTIONS)}が、{r.choice(_OUTCOMES)}。"

    def text(self, pool: list[str], low: int, high: int, own: float = 0.3, limit: int | None = None) -> str:
        out = ""
        for _ in range(self.rng.randint(low, high)):
            sentence = self.own_sentence() if self.rng.random() < own or not pool else self.fix(self.rng.choice(pool))
            if limit is not None and out and len(out) + len(sentence) > limit:
                break
            out += sentence
        return out[:limit] if limit else out


def _check_digit(five: str) -> str:
    s = sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), five, strict=True))
    return str((11 - s % 11) % 10)


_ROLES = (
    "保健師（1人）", "保健師（2人）", "社会福祉士（1人）", "社協の地区担当（2人）", "生活支援コーディネーター（1人）",
    "相談支援専門員（2人）", "福祉係の職員（3人）", "統括支援員（1人）", "地域包括支援センターの職員（2人）",
)
_EFFECTS = (
    "同じ家族の話を会議の前後で続けてできるようになった。",
    "会議を同じ日にまとめ、移動と日程調整が一回で済む。",
    "担当が休むと、いくつもの会議が一度に止まる。",
    "気になった世帯を、その月のうちに次の会議へ出せる。",
    "準備と記録がその人に集まり、月に数時間ずつ増えた。",
)


def _version_1_1(front: dict[str, object], municipality: dict[str, object], prefecture_jis: str, kind: str, rng: random.Random) -> None:
    """Format 1.1 keys, drawn from their own generator so the version 1 draws stay as they were."""
    programme_ids = [t.id for t in PROGRAMMES.terms]
    difficulty_ids = [t.id for t in DIFFICULTIES.terms]
    if kind != "area" and rng.random() < 0.6:
        middle = "000" if kind == "prefecture" else f"{rng.randint(100, 999)}"
        five = prefecture_jis + middle
        municipality["code"] = five + _check_digit(five)
    if rng.random() < 0.6:
        front["programmes"] = rng.sample(programme_ids, rng.randint(1, 4))
    if rng.random() < 0.5:
        overlaps = []
        for _ in range(rng.randint(1, 2)):
            item: dict[str, object] = {"who": rng.choice(_ROLES), "combines": rng.sample(programme_ids, rng.randint(2, 3))}
            if rng.random() < 0.8:
                item["effect"] = rng.choice(_EFFECTS)
            overlaps.append(item)
        front["overlaps"] = overlaps
    if rng.random() < 0.6:
        reached = rng.sample(difficulty_ids, rng.randint(2, 5))
        cut = rng.randint(1, len(reached) - 1)
        reach = front.setdefault("reach", {})
        assert isinstance(reach, dict)
        reach["groups_now"], reach["groups_not_yet"] = reached[:cut], reached[cut:]


def _periods(rng: random.Random, count: int) -> tuple[list[str], tuple[int, int]]:
    """`count` date-like values, oldest first, and the last month drawn.

    Each value is written in a form whose period contains a month drawn in
    increasing order, so consecutive periods always overlap or follow.
    """
    year, month, day = rng.randint(2013, 2022), rng.randint(1, 12), 1
    values = []
    for index in range(count):
        if index:
            previous = (year, month)
            month += rng.randint(0, 14)
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            if year > 2025:
                year, month = 2025, 12
            if (year, month) != previous:
                day = 1
        day = rng.randint(day, 28)  # a day in the same month never goes back
        values.append(_written(rng, year, month, day))
    return values, (year, month)


def _written(rng: random.Random, year: int, month: int, day: int) -> str:
    fiscal = year if month >= 4 else year - 1
    shape = rng.randrange(8)
    if shape == 0:
        return f"{year}-{month:02d}"
    if shape == 1:
        return f"{year}年{month}月"
    if shape == 2:
        return f"{fiscal}年度"
    if shape == 3:
        return str(year)
    if shape == 4 and fiscal >= 2019:
        return f"令和{'元' if fiscal == 2019 else fiscal - 2018}年度"
    if shape == 4 and fiscal <= 2018:
        return f"平成{fiscal - 1988}年度"
    if shape == 5 and (year, month) >= (2019, 5):
        return f"令和{'元' if year == 2019 else year - 2018}年{month}月"
    if shape == 5 and year <= 2018:
        return f"平成{year - 1988}年{month}月"
    return f"{year}-{month:02d}-{day:02d}"


def _story(index: int, w: _Writer) -> tuple[str, str]:
    r, p = w.rng, w.pools
    kind = r.choices(list(_KIND_WEIGHTS), weights=list(_KIND_WEIGHTS.values()))[0]
    prefecture = PREFECTURES[12] if kind == "ward" else r.choice(PREFECTURES)
    head, tail = r.randrange(len(_NAME_HEADS)), r.randrange(len(_NAME_TAILS))
    stem = _NAME_HEADS[head] + _NAME_TAILS[tail]
    if kind == "prefecture":
        name = prefecture.name
    elif kind == "area":
        name = f"架空{stem}圏域"
    else:
        name = f"架空{stem}{_KIND_SUFFIX[kind]}"
    w.place = name
    slug = f"{_ROMAJI_HEADS[head % len(_ROMAJI_HEADS)]}{_ROMAJI_TAILS[tail]}-{r.choice(_SLUG_TOPICS)}-{r.choice(_SLUG_TAILS)}-{index:05d}"

    field_ids = [t.id for t in FIELDS.terms]
    started = r.choice(field_ids)
    fields = [started, *r.sample([f for f in field_ids if f != started], r.randint(0, 6))]
    kinds = [t.id for t in TIMELINE_KINDS.terms]
    count = r.randint(2, 9)
    whens, (last_year, last_month) = _periods(r, count)
    timeline = []
    for position, when in enumerate(whens):
        item: dict[str, object] = {"when": when}
        item_kind = "start" if position == 0 else r.choice([*kinds, "", ""])
        pool = p.timeline.get(item_kind, []) if r.random() < 0.4 else []
        item["what"] = w.text(pool or p.all_timeline, 1, 3, own=0.35)
        if item_kind:
            item["kind"] = item_kind
        timeline.append(item)
    failures = []
    for _ in range(r.randint(1, 4)):
        failure: dict[str, object] = {"what": w.text(p.fail_what, 1, 2, own=0.2)}
        if r.random() < 0.85:
            failure["why"] = w.text(p.fail_why, 1, 2, own=0.1)
        if r.random() < 0.8:
            failure["next"] = w.text(p.fail_next, 1, 2, own=0.3)
        if r.random() < 0.7:
            failure["when"] = r.choice(whens)
        failures.append(failure)

    low, high = _POPULATION[kind]
    municipality: dict[str, object] = {"name": name, "prefecture": prefecture.name, "kind": kind}
    if r.random() < 0.9:
        municipality["population"] = int(round(r.uniform(low ** 0.5, high ** 0.5) ** 2, -2))
    topic = r.choice(_TOPICS)
    title = r.choice(_TITLE_SHAPES).format(
        actor=r.choice(_ACTORS), actor2=r.choice(_ACTORS), meeting=r.choice(_MEETINGS), topic=topic,
        outcome=r.choice(_OUTCOMES), years=r.randint(2, 9),
    )[:80]
    front: dict[str, object] = {
        "title": title,
        "summary": w.text(p.body["きっかけ"] + p.body["経過"], 2, 3, own=0.3, limit=300),
        "sample": True,
        "municipality": municipality,
        "jusou": r.choice([t.id for t in JUSOU.terms]),
        "started_by": {"field": started, **({"through": r.choice(p.through + list(_MEETINGS))} if r.random() < 0.8 else {})},
        "fields": fields,
    }
    if r.random() < 0.8:
        front["before"] = w.text(p.before, 1, 3, own=0.2)
    if r.random() < 0.7:
        front["carried_by"] = r.sample(fields, r.randint(1, min(3, len(fields))))
    front["status"] = r.choice([t.id for t in STATUSES.terms])
    front["timeline"] = timeline
    front["failures"] = failures
    if r.random() < 0.85:
        front["burden"] = {"workload": w.text(p.workload, 1, 3, own=0.2), "funding": w.text(p.funding, 1, 2, own=0.1)}
    if r.random() < 0.85:
        front["reach"] = {"now": w.text(p.reach_now, 1, 2, own=0.1), "not_yet": w.text(p.reach_not_yet, 1, 2, own=0.1)}
    front["contributor"] = f"{name} {r.choice(_DEPARTMENTS)}（記入例）"
    up_year, up_month = last_year + 1 + (last_month + r.randint(1, 10) - 1) // 12, (last_month + r.randint(1, 10) - 1) % 12 + 1
    # Never after 2026-10: a later `updated` is after today on some day the benchmark runs (W105 under --strict).
    up_year, up_month = min((up_year, up_month), (2026, 10))
    front["updated"] = f"{up_year}-{up_month:02d}-{r.randint(1, 28):02d}"
    if r.random() < 0.9:
        front["tags"] = r.sample(_TAGS, r.randint(1, 5))
    _version_1_1(front, municipality, prefecture.jis, kind, random.Random(f"{slug}-1.1"))

    body = []
    for heading in HEADINGS:
        paragraphs = [w.text(p.body[heading], 2, 5, own=0.25) for _ in range(r.randint(1, 3 if heading == "経過" else 2))]
        body.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    dumped = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return slug, f"---\n{dumped}---\n\n" + "\n\n".join(body) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block mappings, and lists of plain values on one line, as the samples are written."""


def _represent_list(dumper: yaml.SafeDumper, data: list[object]) -> yaml.Node:
    flow = all(not isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def make_corpus(n: int, dest: Path, samples: Path = SAMPLES, seed: int = SEED) -> list[Path]:
    """Write n varied synthetic stories into dest; the same n and seed give the same files."""
    pools = _load_pools(samples)
    writer = _Writer(pools, random.Random(seed))
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(n):
        slug, text = _story(index, writer)
        path = dest / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
