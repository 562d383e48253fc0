"""Korean surnames across scripts: the crosswalk that makes Piao, Park, Bak and 박 one surname.

Every surname is keyed by its South Korean Hangul reading (initial-sound law applied), so
朴 / Piao / Park / Bak / 박 share the key "박" and 李 / Li / Lee / Yi / Ri / 리 share "이".
The key is deliberately a reading, not a character: a registrar who hears "Jeong" cannot
know whether it was 鄭 or 丁, so both must fall in the same block.

The population shares are rough figures for Koreans in China and Korea; the matcher uses
them as u-probabilities so that agreeing on "Kim" is worth far less than agreeing on "Yeon".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hanja.table import hanja_table

from identity.engine.phonetic import korean_key, normalize_latin
from identity.engine.readings import normalize_syllable


@dataclass(frozen=True, slots=True)
class Surname:
    """One surname reading: its Hanzi, Hangul readings, pinyin and Latin spellings."""

    key: str  # South Korean Hangul reading, e.g. "이"
    hanzi: tuple[str, ...]  # traditional and simplified characters
    north_hangul: str  # reading without the initial-sound law, e.g. "리"
    pinyin: tuple[str, ...]
    latin: tuple[str, ...]  # RR, McCune-Reischauer and informal spellings
    share: float  # rough share of the population


# key, hanzi, north hangul, pinyin, latin spellings, share
_SURNAME_ROWS: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("김", "金", "김", "jin", "kim gim kym ghim kimm", 0.215),
    ("이", "李", "리", "li", "lee yi i ri rhee rhie ree ree lie", 0.147),
    ("박", "朴", "박", "piao", "park bak pak bahk", 0.084),
    ("최", "崔", "최", "cui", "choi choe chwe choy chey tsui", 0.047),
    ("정", "鄭郑丁程", "정", "zheng ding cheng", "jeong jung chung cheong chong jong", 0.048),
    ("강", "姜康", "강", "jiang kang", "kang gang", 0.024),
    ("조", "趙赵曺曹", "조", "zhao cao", "cho jo joe", 0.029),
    ("윤", "尹", "윤", "yin", "yoon yun", 0.020),
    ("장", "張张蔣蒋", "장", "zhang jiang", "jang chang jhang", 0.021),
    # 林 is 림 in the North, 任 stays 임: "Rim" and 림 are 林 alone (NORTH_KEYS)
    ("림", "林", "림", "lin", "lim im rim leem", 0.013),
    ("임", "任", "임", "ren", "im yim lim", 0.004),
    ("한", "韓韩", "한", "han", "han hahn", 0.015),
    ("오", "吳吴", "오", "wu", "oh o", 0.015),
    ("서", "徐", "서", "xu", "seo suh so sŏ", 0.015),
    ("신", "申辛", "신", "shen xin", "shin sin", 0.016),
    ("권", "權权", "권", "quan", "kwon gwon kwŏn", 0.014),
    ("황", "黃黄", "황", "huang", "hwang whang", 0.014),
    ("안", "安", "안", "an", "an ahn", 0.014),
    ("송", "宋", "송", "song", "song soung", 0.013),
    # 柳 and 劉 are 류 in the North, 兪 俞 庾 stay 유: "Ryu" and 류 are 柳 or 劉 alone
    ("류", "柳劉刘", "류", "liu", "yu yoo ryu ryoo lyu", 0.013),
    ("유", "兪俞庾", "유", "yu", "yu yoo you", 0.005),
    ("전", "全田錢钱", "전", "quan tian qian", "jeon chun jun chon chŏn", 0.013),
    ("홍", "洪", "홍", "hong", "hong", 0.011),
    ("고", "高", "고", "gao", "ko go koh", 0.009),
    ("문", "文", "문", "wen", "moon mun", 0.009),
    ("양", "梁楊杨", "량", "liang yang", "yang ryang", 0.010),
    ("손", "孫孙", "손", "sun", "son sohn", 0.009),
    ("배", "裵裴", "배", "pei", "bae pae bai", 0.008),
    ("백", "白", "백", "bai", "baek paek paik back", 0.008),
    ("허", "許许", "허", "xu", "heo hur huh hŏ", 0.006),
    ("남", "南", "남", "nan", "nam", 0.005),
    ("심", "沈", "심", "shen", "sim shim", 0.005),
    ("노", "盧卢魯鲁", "로", "lu", "no noh roh ro rho", 0.005),
    ("하", "河", "하", "he", "ha", 0.004),
    ("곽", "郭", "곽", "guo", "kwak gwak", 0.004),
    ("성", "成", "성", "cheng", "sung seong sŏng", 0.004),
    ("차", "車车", "차", "che", "cha ch'a", 0.004),
    ("주", "朱周", "주", "zhu zhou", "ju joo chu", 0.005),
    ("우", "禹", "우", "yu", "woo u", 0.004),
    ("구", "具丘邱區区仇", "구", "ju qiu ou", "koo gu ku", 0.004),
    ("민", "閔闵", "민", "min", "min", 0.003),
    ("진", "陳陈秦晉晋", "진", "chen qin jin", "jin chin", 0.004),
    ("나", "羅罗", "라", "luo", "na ra rha", 0.004),
    ("지", "池", "지", "chi", "ji chi", 0.003),
    ("엄", "嚴严", "엄", "yan", "eom um uhm ŏm", 0.003),
    ("채", "蔡", "채", "cai", "chae", 0.003),
    ("원", "元", "원", "yuan", "won weon", 0.003),
    ("천", "千", "천", "qian", "cheon chun ch'ŏn", 0.002),
    ("방", "方房", "방", "fang", "bang pang", 0.003),
    ("공", "孔", "공", "kong", "kong gong", 0.002),
    ("현", "玄", "현", "xuan", "hyun hyeon hyŏn", 0.002),
    ("함", "咸", "함", "xian", "ham", 0.002),
    ("변", "卞邊边", "변", "bian", "byun byeon pyon pyŏn", 0.002),
    ("염", "廉", "렴", "lian", "yeom yum ryom ryŏm", 0.001),
    # 吕 is 려 in the North, 余 stays 여: "Ryo", "Lyu" and 려 are 吕 alone (NORTH_KEYS)
    ("려", "呂吕", "려", "lü lv lu", "yeo yuh ryo ryŏ lyu", 0.001),
    ("여", "余", "여", "yu", "yeo yuh yo", 0.0005),
    ("추", "秋", "추", "qiu", "choo chu", 0.001),
    ("도", "都陶", "도", "du tao", "do to doh", 0.001),
    ("석", "石", "석", "shi", "seok suk sŏk", 0.001),
    ("선", "宣單单", "선", "xuan shan", "sun seon sŏn", 0.001),
    ("설", "薛", "설", "xue", "seol sul sŏl", 0.001),
    ("마", "馬马", "마", "ma", "ma", 0.001),
    ("길", "吉", "길", "ji", "gil kil", 0.001),
    ("연", "延", "연", "yan", "yeon yon yŏn yun", 0.001),
    ("위", "魏韋韦", "위", "wei", "wi wee", 0.001),
    ("표", "表", "표", "biao", "pyo", 0.001),
    ("명", "明", "명", "ming", "myung myeong myŏng", 0.001),
    ("기", "奇", "기", "qi", "ki gi", 0.001),
    ("반", "潘", "반", "pan", "ban pan", 0.001),
    ("왕", "王汪", "왕", "wang", "wang", 0.001),
    ("금", "琴", "금", "qin", "keum geum kŭm", 0.001),
    ("옥", "玉", "옥", "yu", "ok", 0.001),
    ("육", "陸陆", "륙", "lu", "yuk ryuk", 0.001),
    ("인", "印", "인", "yin", "in", 0.001),
    ("맹", "孟", "맹", "meng", "maeng", 0.001),
    ("탁", "卓", "탁", "zhuo", "tak", 0.001),
    ("국", "鞠", "국", "ju", "kook guk kuk", 0.001),
    ("어", "魚鱼", "어", "yu", "eo ŏ", 0.0005),
    ("은", "殷", "은", "yin", "eun ŭn", 0.0005),
    ("용", "龍龙", "룡", "long", "yong ryong", 0.0005),
    ("해", "解", "해", "xie", "hae", 0.0003),
    ("증", "曾", "증", "zeng", "jeung chŭng", 0.0003),
    ("황보", "皇甫", "황보", "huangfu", "hwangbo", 0.0003),
    ("남궁", "南宮南宫", "남궁", "nangong", "namgung namkung", 0.0003),
    ("제갈", "諸葛诸葛", "제갈", "zhuge", "jegal chegal", 0.0002),
    ("선우", "鮮于鲜于", "선우", "xianyu", "seonu sunwoo sŏnu", 0.0002),
    ("독고", "獨孤独孤", "독고", "dugu", "dokgo tokko", 0.0002),
)

# Mandarin readings a surname takes that differ from the character's everyday reading.
SURNAME_PINYIN_OVERRIDES: dict[str, str] = {
    "朴": "piao", "单": "shan", "單": "shan", "区": "ou", "區": "ou", "仇": "qiu",
    "解": "xie", "曾": "zeng", "查": "zha", "盖": "ge", "蓋": "ge", "乐": "yue",
    "樂": "yue", "覃": "qin", "缪": "miao", "繆": "miao", "沈": "shen", "长孙": "zhangsun",
    "尉迟": "yuchi", "万俟": "moqi", "重": "chong", "种": "chong", "員": "yun", "员": "yun",
    "秘": "bi", "冼": "xian", "宿": "su", "翟": "zhai", "祭": "zhai", "瞿": "qu", "薄": "bo",
    "任": "ren", "华": "hua", "華": "hua", "纪": "ji", "紀": "ji", "句": "gou", "召": "shao",
    "能": "nai", "相": "xiang", "藏": "zang", "折": "she", "车": "che", "車": "che",
    "都": "du", "贲": "ben", "繁": "po", "隗": "wei", "卜": "bu", "那": "na",
}  # fmt: skip

# Korean readings of surname characters that the generic Hanja table reads otherwise.
SURNAME_HANGUL_OVERRIDES: dict[str, str] = {
    "金": "김", "單": "선", "单": "선", "車": "차", "车": "차", "解": "해", "區": "구",
    "区": "구", "仇": "구", "樂": "악", "乐": "악", "曾": "증", "沈": "심", "葛": "갈",
}  # fmt: skip

SURNAMES: tuple[Surname, ...] = tuple(
    Surname(
        key=key,
        # compound surnames (皇甫) take as many characters as their Hangul key has syllables
        hanzi=tuple(hanzi_chars[i : i + len(key)] for i in range(0, len(hanzi_chars), len(key))),
        north_hangul=north,
        pinyin=tuple(pinyin.split()),
        latin=tuple(latin.split()),
        share=share,
    )
    for key, hanzi_chars, north, pinyin, latin, share in _SURNAME_ROWS
)

# Share assumed for a surname reading that is not in the table.
UNLISTED_SURNAME_SHARE = 0.0005


_BY_KEY: dict[str, Surname] = {surname.key: surname for surname in SURNAMES}
_KEY_BY_HANZI: dict[str, str] = {
    unit: surname.key for surname in SURNAMES for unit in surname.hanzi
}
_KEYS_BY_LATIN: dict[str, set[str]] = {}
for _surname in SURNAMES:
    for _spelling in (*_surname.pinyin, *_surname.latin):
        _KEYS_BY_LATIN.setdefault(normalize_latin(_spelling), set()).add(_surname.key)
_KEYS_BY_PHONETIC: dict[str, set[str]] = {}
for _surname in SURNAMES:
    for _spelling in _surname.latin:
        _KEYS_BY_PHONETIC.setdefault(korean_key(_spelling), set()).add(_surname.key)


def split_hanzi_surname(full_name: str) -> tuple[str, str]:
    """Split a Hanzi full name into (surname, given name), recognising compound surnames."""
    if len(full_name) >= 3 and full_name[:2] in _KEY_BY_HANZI:
        return full_name[:2], full_name[2:]
    return full_name[:1], full_name[1:]


_COMPOUND_HANGUL = {form for s in SURNAMES if len(s.key) == 2 for form in (s.key, s.north_hangul)}


def split_hangul_surname(full_name: str) -> tuple[str, str]:
    """Split a Hangul full name into (surname, given name): 안재수, 황보인."""
    if len(full_name) >= 3 and full_name[:2] in _COMPOUND_HANGUL:
        return full_name[:2], full_name[2:]
    return full_name[:1], full_name[1:]


def hanzi_surname_hangul(hanzi: str) -> tuple[str, str]:
    """Korean readings of a Hanzi surname: (without initial-sound law, with it)."""
    if hanzi in _KEY_BY_HANZI:
        surname = _BY_KEY[_KEY_BY_HANZI[hanzi]]
        return surname.north_hangul, apply_initial_sound_law(surname.north_hangul)
    raw = "".join(SURNAME_HANGUL_OVERRIDES.get(ch) or hanja_table.get(ch, ch) for ch in hanzi)
    return raw, apply_initial_sound_law(raw)


def apply_initial_sound_law(hangul: str) -> str:
    """South Korean spelling of a name part: 리 -> 이, 림 -> 임, 녀 -> 여 at its start only."""
    if not hangul:
        return hangul
    return normalize_syllable(hangul[0]) + hangul[1:]


def surname_keys_from_hanzi(hanzi: str) -> frozenset[str]:
    """Crosswalk keys of a Hanzi surname (one key: its row's, else its South reading)."""
    if not hanzi:
        return frozenset()
    if hanzi in _KEY_BY_HANZI:
        return frozenset({_KEY_BY_HANZI[hanzi]})
    return frozenset({hanzi_surname_hangul(hanzi)[1]})


def surname_keys_from_hangul(hangul: str) -> frozenset[str]:
    """Crosswalk keys of a Hangul surname: 리 and 이 both give 이. A Northern spelling that
    tells two surnames apart (류 is 柳 or 劉, never 兪) gives that one's key; the Southern
    spelling (유) gives every surname it may be."""
    if not hangul:
        return frozenset()
    if hangul in NORTH_KEYS:
        return NORTH_KEYS[hangul]
    south = apply_initial_sound_law(hangul)
    return _KEYS_BY_SOUTH.get(south, frozenset({south}))


@lru_cache(maxsize=65536)
def surname_keys_from_latin(latin: str) -> frozenset[str]:
    """Crosswalk keys of a romanised surname; ambiguous spellings give several keys.

    "Jin" may be pinyin for 金 (김) or a Korean spelling of 陳 (진), so it yields both.
    A spelling that is not in the table is matched through its phonetic key, and an
    unknown surname (e.g. "Smith") gets a key of its own, prefixed with "~".
    """
    normalized = normalize_latin(latin)
    if not normalized:
        return frozenset()
    if normalized in _KEYS_BY_LATIN:
        return frozenset(_KEYS_BY_LATIN[normalized])
    phonetic = korean_key(normalized)
    if phonetic in _KEYS_BY_PHONETIC:
        return frozenset(_KEYS_BY_PHONETIC[phonetic])
    return frozenset({"~" + phonetic})


def surname_spelling_rank(latin: str) -> int:
    """2: a listed spelling of a surname (Kim, Piao), 1: sounds like one, 0: neither."""
    normalized = normalize_latin(latin)
    if normalized in _KEYS_BY_LATIN:
        return 2
    return 1 if korean_key(normalized) in _KEYS_BY_PHONETIC else 0


def surname_share(key: str) -> float:
    """Rough share of the population that carries this surname key."""
    surname = _BY_KEY.get(key)
    return surname.share if surname else UNLISTED_SURNAME_SHARE


@lru_cache(maxsize=65536)
def surname_pinyin(hanzi: str) -> str:
    """Mandarin reading of a Hanzi surname, using surname readings (朴 is piao, not pu)."""
    from pypinyin import lazy_pinyin

    if hanzi in SURNAME_PINYIN_OVERRIDES:
        return SURNAME_PINYIN_OVERRIDES[hanzi]
    return "".join(SURNAME_PINYIN_OVERRIDES.get(ch) or lazy_pinyin(ch)[0] for ch in hanzi)


def surname_by_key(key: str) -> Surname | None:
    """The table row of a crosswalk key, if the surname is listed."""
    return _BY_KEY.get(key)


# Northern spellings whose surnames the Southern spelling merges: 류 (柳 劉) / 유 (兪),
# 림 (林) / 임 (任)
NORTH_KEYS: dict[str, frozenset[str]] = {
    surname.north_hangul: frozenset({surname.key})
    for surname in SURNAMES
    if surname.north_hangul == surname.key
    and apply_initial_sound_law(surname.key) != surname.key
    and apply_initial_sound_law(surname.key) in _BY_KEY
}
_KEYS_BY_SOUTH: dict[str, frozenset[str]] = {}
for _surname in SURNAMES:
    _south = apply_initial_sound_law(_surname.north_hangul)
    _KEYS_BY_SOUTH[_south] = _KEYS_BY_SOUTH.get(_south, frozenset()) | {_surname.key}


# Korean forms of a character that write the same surname as its Chinese form
_KOREAN_VARIANTS = {"曺": "曹", "裵": "裴", "兪": "俞", "邱": "丘"}


@lru_cache(maxsize=65536)
def surname_identity(hanzi: str) -> str:
    """One form per Hanzi surname: traditional and simplified (鄭 郑) and Korean variants
    (曺 曹) are one surname; 柳 and 劉, both liu and 류, are two."""
    import zhconv

    simplified = zhconv.convert(hanzi, "zh-cn")
    return "".join(_KOREAN_VARIANTS.get(ch, ch) for ch in simplified)


@lru_cache(maxsize=4096)
def surnames_read_as(key: str) -> int:
    """How many different surnames a crosswalk key stands for: 정 is 鄭, 丁 or 程, 류 is 柳
    or 劉, 김 is 金 alone."""
    surname = _BY_KEY.get(key)
    if surname is None:
        return 1
    return len({surname_identity(hanzi) for hanzi in surname.hanzi})


def surname_may_be_another(keys: tuple[str, ...] | frozenset[str], family_hanzi: str) -> bool:
    """A surname written without Hanzi whose spelling stands for more than one surname:
    "Cheng" (成 or 程), 정 (鄭, 丁 or 程), "Yuh" (呂 or 余). With Hanzi it is the one written."""
    if family_hanzi:
        return False
    return len(keys) > 1 or any(surnames_read_as(key) > 1 for key in keys)


@lru_cache(maxsize=65536)
def spelling_names_another_hanzi(latin: str, hanzi: str) -> bool:
    """A romanised surname that is the Mandarin spelling of another surname of the Hanzi's
    reading, and no spelling of the Hanzi itself: "Ding" (丁) beside 鄭 (zheng; Korean
    jeong, chung...), "Jiang" (姜) beside 康 (kang). The key 정 joins them because a
    registrar hearing Jeong cannot tell 鄭 from 丁, but pinyin is written from the
    character: a Chinese registration spelling Ding had 丁. A Korean spelling (Kang for 姜
    or 康, Yu for 柳) stays ambiguous."""
    normalized = normalize_latin(latin)
    key = _KEY_BY_HANZI.get(hanzi)
    if key is None or normalized not in _KEYS_BY_LATIN:
        return False
    surname = _BY_KEY[key]
    if normalized in {normalize_latin(spelling) for spelling in surname.latin}:
        return False
    pinyin = {normalize_latin(spelling) for spelling in surname.pinyin}
    return normalized in pinyin and normalized != normalize_latin(surname_pinyin(hanzi))
