"""The front-matter keys of story format version 1 and 1.1: the one definition.

The checker walks this tree, the JSON Schema and the docs' key table are
generated from it, and the story objects are built from what it normalises.
"""

from __future__ import annotations

from dataclasses import dataclass

from norishiro.format.vocab import DIFFICULTIES, FIELDS, JUSOU, KINDS, PROGRAMMES, STATUSES, TIMELINE_KINDS, Vocabulary

# Value types.  Each has one checker function in norishiro.check.story (check_<type>).
STRING = "string"
INTEGER = "positive_integer"
BOOLEAN = "boolean"
ENUM = "enum"
PREFECTURE = "prefecture"
PERIOD = "period"  # a date-like `when`
DAY = "day"  # YYYY-MM-DD
CODE = "municipality_code"  # 全国地方公共団体コード, read as written
MAPPING = "mapping"
LIST = "list"


# Japanese names of the value types, for messages and the docs' table.
TYPE_LABELS = {
    STRING: "文字列",
    INTEGER: "正の整数",
    BOOLEAN: "true / false",
    ENUM: "決められた値",
    PREFECTURE: "都道府県名",
    PERIOD: "時期（日付・年月・年・年度）",
    DAY: "日付 YYYY-MM-DD",
    CODE: "全国地方公共団体コード（6桁。5桁も可）",
    MAPPING: "項目のまとまり",
    LIST: "リスト",
}


@dataclass(frozen=True)
class Key:
    """One key of the front matter, or (name '[]') the items of a list."""

    name: str
    type: str
    required: bool = False
    label: str = ""  # Japanese name of the key, shown in messages and docs
    help: str = ""  # Japanese one-line guidance for docs and the template
    example: str = ""
    min_len: int | None = None
    max_len: int | None = None
    min_items: int | None = None
    distinct: bool = False  # LIST: min_items counts different values (a repeat counts once)
    vocab: Vocabulary | None = None
    children: tuple[Key, ...] = ()  # for MAPPING
    item: Key | None = None  # for LIST
    public: bool = True  # False for the project's own optional keys

    def child(self, name: str) -> Key | None:
        for key in self.children:
            if key.name == name:
                return key
        return None


def _term_list(
    name: str, label: str, help_text: str, example: str, vocab: Vocabulary, item_label: str,
    min_items: int | None = None, required: bool = False,
) -> Key:
    return Key(
        name, LIST, required, label, help_text, example, min_items=min_items, distinct=min_items is not None,
        item=Key("[]", ENUM, True, item_label, vocab=vocab),
    )


def _field_list(name: str, required: bool, label: str, help_text: str, example: str, min_items: int | None) -> Key:
    return Key(
        name, LIST, required, label, help_text, example, min_items=min_items,
        item=Key("[]", ENUM, True, "分野", vocab=FIELDS),
    )


FRONT_MATTER = Key(
    "",
    MAPPING,
    True,
    "フロントマター",
    children=(
        Key("title", STRING, True, "タイトル", "取り組みの名前。80字まで", "教育と福祉の連携会議が市全体の仕組みになるまで", min_len=1, max_len=80),
        Key("summary", STRING, True, "要約", "一覧と検索に出る1〜3文。300字まで", "一人の子どもの事例から始まった会議が…", min_len=1, max_len=300),
        Key(
            "municipality", MAPPING, True, "自治体", "取り組んでいる自治体",
            children=(
                Key("name", STRING, True, "自治体名", "匿名の名前（A町など）でもよい", "架空市", min_len=1, max_len=80),
                Key("prefecture", PREFECTURE, True, "都道府県", "47都道府県のいずれか。「三重」のように都道府県を省いてもよい", "三重県"),
                Key("kind", ENUM, True, "自治体の種類", "政令指定都市・中核市・市・特別区・町・村・都道府県・圏域", "city", vocab=KINDS),
                Key("population", INTEGER, False, "人口", "住民の数（整数）。規模別の一覧に使います", "52000"),
                Key(
                    "code", CODE, False, "自治体コード",
                    "全国地方公共団体コード（6桁、5桁も可）。都道府県の後方支援の一覧に使います。圏域と匿名の自治体は書きません", '"242012"',
                ),
            ),
        ),
        Key("jusou", ENUM, True, "重層的支援体制整備事業", "実施（using）・移行準備（preparing）・未実施（not_using）", "using", vocab=JUSOU),
        Key(
            "started_by", MAPPING, True, "始めた分野", "取り組みを始めた分野と、その場",
            children=(
                Key("field", ENUM, True, "始めた分野", "分野の一覧から一つ", "education", vocab=FIELDS),
                Key("through", STRING, False, "始まった場", "始まった会議・団体・事業", "自立支援協議会", max_len=200),
            ),
        ),
        _field_list("fields", True, "関わった分野", "関わったすべての分野（始めた分野は自動で加わります）", "[education, child, jusou]", 1),
        Key("before", STRING, False, "始める前からあったもの", "始めたときにすでにあった会議・関係・人（スタートライン）", "月1回のケース会議"),
        _field_list("carried_by", False, "いま担っている分野", "いま主に取り組みを担っている分野", "[residents, shakyo]", None),
        _term_list(
            "programmes", "使った事業・会議", "取り組みが使った、またはそこから育った事業・センター・会議（事業・会議の一覧から）",
            "[jiritsu_kyogikai, chiiki_care_kaigi]", PROGRAMMES, "事業・会議",
        ),
        Key(
            "overlaps", LIST, False, "のりしろ", "一つの役割や小さなチームが、いくつもの事業をいっしょに回していること。1件以上",
            min_items=1,
            item=Key(
                "[]", MAPPING, True, "のりしろの項目",
                children=(
                    Key("who", STRING, True, "役割", "役割や人数（例: 保健師（1人））。個人名は書かない", "保健師（1人）", min_len=1, max_len=80),
                    _term_list(
                        "combines", "いっしょに回している事業", "その役割がいっしょに回している、2つ以上の異なる事業・会議（programmes に書かなくても使った事業に数えます）",
                        "[chiiki_care_kaigi, yotaikyo]", PROGRAMMES, "事業・会議", min_items=2, required=True,
                    ),
                    Key("effect", STRING, False, "それでできたこと", "いっしょに回したことでできたこと、かかった負担", "会議の前後で同じ家族の話ができるようになった"),
                ),
            ),
        ),
        Key("status", ENUM, True, "状況", "進行中（ongoing）・定着（established）・休止中（paused）・終了（ended）", "ongoing", vocab=STATUSES),
        Key(
            "timeline", LIST, True, "経過", "古い順に2件以上。各項目に when と what", min_items=2,
            item=Key(
                "[]", MAPPING, True, "経過の項目",
                children=(
                    Key("when", PERIOD, True, "時期", "2021、2021-06、2021年度、令和3年6月 など", "2021年度"),
                    Key("what", STRING, True, "できごと", "何があったか", "一人の生徒の事例で学校と福祉が初めて同席した", min_len=1),
                    Key("kind", ENUM, False, "種類", "始まり・転機・つまずき・担当交代・異動・休止・再開・広がり", "turn", vocab=TIMELINE_KINDS),
                ),
            ),
        ),
        Key(
            "failures", LIST, True, "うまくいかなかったこと", "1件以上。各項目に what（why・next・when は任意）", min_items=1,
            item=Key(
                "[]", MAPPING, True, "うまくいかなかったことの項目",
                children=(
                    Key("what", STRING, True, "うまくいかなかったこと", "何がうまくいかなかったか、やめたか", "先進地の会議体をそのまま作った", min_len=1),
                    Key("why", STRING, False, "理由", "書き手から見た理由", "参加者が自分の会議だと思えなかった"),
                    Key("next", STRING, False, "次に変えたこと", "何を変えたか、何を学んだか", "既存の会議に議題を一つ足す形にした"),
                    Key("when", PERIOD, False, "時期", "経過の上に置く時期", "2022年度"),
                ),
            ),
        ),
        Key(
            "burden", MAPPING, False, "負担と財源", "連携で増えた調整の仕事と、その費用のまかない方",
            children=(
                Key("workload", STRING, False, "増えた仕事", "連携で増えた調整の仕事", "会議の準備に月10時間"),
                Key("funding", STRING, False, "財源", "その費用をどうまかなっているか", "重層的支援体制整備事業の交付金"),
            ),
        ),
        Key(
            "reach", MAPPING, False, "届いている人・まだ届いていない人", "いま届いている人と、まだ届いていない人",
            children=(
                Key("now", STRING, False, "いま届いている人", "", "不登校の子どもと家族"),
                Key("not_yet", STRING, False, "まだ届いていない人", "", "18歳以上のひきこもりの人"),
                _term_list("groups_now", "いま届いている困りごと", "いま届いている人を、困りごとの一覧から", "[school_absence, young_carer]", DIFFICULTIES, "困りごと"),
                _term_list("groups_not_yet", "まだ届いていない困りごと", "まだ届いていない人を、困りごとの一覧から", "[hikikomori, eighty_fifty]", DIFFICULTIES, "困りごと"),
            ),
        ),
        Key("contributor", STRING, False, "書いた人", "組織名か役職（個人名は書かない）", "架空市 福祉総合相談課", max_len=200),
        Key("updated", DAY, True, "更新日", "最後に内容を確かめた日（YYYY-MM-DD）", "2025-04-01"),
        Key(
            "tags", LIST, False, "タグ", "自由なキーワード", "[ヤングケアラー, 8050]",
            item=Key("[]", STRING, True, "タグ", min_len=1, max_len=40),
        ),
        Key("sample", BOOLEAN, False, "記入例", "架空の記入例なら true（ページに「架空の記入例」と出ます）", "true", public=False),
    ),
)


def walk(key: Key = FRONT_MATTER, path: str = "") -> list[tuple[str, Key]]:
    """Every key with its dotted path ('timeline[].when'), parents first."""
    out: list[tuple[str, Key]] = []
    for child in key.children:
        child_path = f"{path}.{child.name}" if path else child.name
        out.append((child_path, child))
        if child.type == MAPPING:
            out.extend(walk(child, child_path))
        elif child.item is not None and child.item.type == MAPPING:
            out.extend(walk(child.item, f"{child_path}[]"))
    return out


# Every key by its dotted path, and its Japanese name, e.g. 'burden.funding' -> 財源.
KEYS: dict[str, Key] = dict(walk())
LABELS: dict[str, str] = {path: key.label for path, key in KEYS.items()}
