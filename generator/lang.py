"""The language of a local-script name, as a BCP 47 tag for its ``lang`` attribute.

A record may state the tag (``name_local_lang``); otherwise it is derived from the name's script
and the record's country. Screen readers choose a voice by ``lang``, and browsers choose a font by
it: Han characters are drawn differently for Japanese and for Chinese, so the country matters.
A name whose language cannot be told this way is a validation error that asks for the tag.
"""
from __future__ import annotations

import unicodedata

# Unicode character names begin with the script's name for these scripts.
_SCRIPT_PREFIXES = (
    ("DEVANAGARI", "Deva"), ("BENGALI", "Beng"), ("GURMUKHI", "Guru"), ("GUJARATI", "Gujr"), ("ORIYA", "Orya"),
    ("TAMIL", "Taml"), ("TELUGU", "Telu"), ("KANNADA", "Knda"), ("MALAYALAM", "Mlym"), ("SINHALA", "Sinh"),
    ("THAI", "Thai"), ("LAO", "Laoo"), ("KHMER", "Khmr"), ("MYANMAR", "Mymr"), ("TIBETAN", "Tibt"),
    ("HANGUL", "Hang"), ("HIRAGANA", "Hira"), ("KATAKANA", "Kana"), ("CJK", "Hani"), ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"), ("GEORGIAN", "Geor"), ("ARMENIAN", "Armn"), ("CYRILLIC", "Cyrl"), ("MONGOLIAN", "Mong"), ("THAANA", "Thaa"),
    ("LATIN", "Latn"),
)

# Script -> language wherever one language is meant, whatever the country.
_BY_SCRIPT = {
    "Beng": "bn", "Guru": "pa", "Gujr": "gu", "Orya": "or", "Taml": "ta", "Telu": "te", "Knda": "kn",
    "Mlym": "ml", "Sinh": "si", "Thai": "th", "Laoo": "lo", "Khmr": "km", "Mymr": "my", "Hang": "ko",
    "Hira": "ja", "Kana": "ja", "Thaa": "dv", "Geor": "ka", "Armn": "hy", "Hebr": "he", "Mong": "mn",
}

# (script, country) -> language where the script alone does not tell.
_BY_SCRIPT_AND_COUNTRY = {
    ("Deva", "IN"): "hi", ("Deva", "NP"): "ne",
    ("Hani", "CN"): "zh-Hans", ("Hani", "SG"): "zh-Hans", ("Hani", "TW"): "zh-Hant", ("Hani", "HK"): "zh-Hant",
    ("Hani", "MO"): "zh-Hant", ("Hani", "JP"): "ja", ("Hani", "KR"): "ko",
    ("Arab", "PK"): "ur", ("Arab", "IR"): "fa", ("Arab", "SA"): "ar", ("Arab", "AE"): "ar", ("Arab", "QA"): "ar",
    ("Arab", "KW"): "ar", ("Arab", "BH"): "ar", ("Arab", "OM"): "ar", ("Arab", "JO"): "ar", ("Arab", "IQ"): "ar",
    ("Arab", "SY"): "ar", ("Arab", "LB"): "ar", ("Arab", "YE"): "ar",
    ("Tibt", "CN"): "bo", ("Tibt", "BT"): "dz",
    ("Cyrl", "MN"): "mn", ("Cyrl", "KZ"): "kk", ("Cyrl", "KG"): "ky", ("Cyrl", "TJ"): "tg", ("Cyrl", "RU"): "ru",
    ("Latn", "VN"): "vi", ("Latn", "ID"): "id", ("Latn", "MY"): "ms", ("Latn", "PH"): "fil", ("Latn", "TR"): "tr",
    ("Latn", "UZ"): "uz", ("Latn", "TM"): "tk", ("Latn", "AZ"): "az",
}


def scripts_of(text: str) -> frozenset[str]:
    """The scripts of the letters in ``text`` (ISO 15924 codes; digits, spaces and punctuation ignored)."""
    found = set()
    for ch in text:
        if not unicodedata.category(ch).startswith("L") and not unicodedata.category(ch).startswith("M"):
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                found.add(code)
                break
    return frozenset(found)


def derive_lang(text: str, country: str | None) -> str | None:
    """The BCP 47 tag of a local name from its script and country, or None when that cannot tell."""
    scripts = scripts_of(text)
    if scripts & {"Hira", "Kana"}:
        return "ja"  # kana mark Japanese even beside kanji
    if "Hang" in scripts:
        return "ko"
    if len(scripts) != 1:
        return None
    script = next(iter(scripts))
    return _BY_SCRIPT.get(script) or _BY_SCRIPT_AND_COUNTRY.get((script, country or ""))


LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
"""The BCP 47 tags a record may state: language, optional script, optional region (e.g. 'zh-Hant-TW')."""
