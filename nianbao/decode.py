"""Bytes → str by a strict ladder, never `errors="ignore"`.

Detectors mislabel Chinese (GB18030 as GB2312, GBK as Big5), and a wrong guess can silently give garbage, so
the order is fixed: BOM → strict UTF-8 → declared charset (any GB name → gb18030) → strict GB18030 →
strict Big5 → UTF-16 without BOM → a detector last. Each result records which rung decided it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_NAMES = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}
MAX_REPLACEMENT_RATIO = 0.01  # above this share of U+FFFD a text is not trusted
# Control chars other than \t \n \f \r, and private-use code points: what a wrong codec leaves behind.
_IMPLAUSIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")
# Frequent characters of report prose in both scripts: Big5 bytes often also decode as (wrong) GB18030 text,
# and the decode that yields more of these is the right one.
_COMMON = re.compile(  # a character class: counted by the regex engine, not char by char in Python
    "["
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去"
    "把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但"
    "质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题程展五果料象员位入常文总次品式活设"
    "及管特件长求基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必先回则任取据处"
    "理府研信息申请工作报告区县市省局办依复议诉讼费收"
    "這們個國來時會說對發開過關門學為體無長現實動種麼義與當從應還後經資報請務區縣辦復議訴訟費開義"
    "]"
)


class DecodeError(ValueError):
    """The bytes are none of the encodings we accept; `reason` is a quarantine reason code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    rule: str  # bom / utf-8 / declared / gb18030 / big5 / utf-16 / detector
    replacement_count: int


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared_charset(raw: bytes) -> str | None:
    m = _DECLARED.search(raw[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    if name in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is NUL."""
    if len(raw) < 4 or len(raw) % 2 or 0 not in raw:  # (no NUL at all: neither half has any)
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """Reject decodes that are mostly control chars or private-use code points (a wrong codec's tell)."""
    if not text or not _IMPLAUSIBLE.search(text):  # most texts hold none: one scan, no list
        return True
    return len(_IMPLAUSIBLE.findall(text)) / len(text) < 0.01


def decode_bytes(raw: bytes) -> Decoded:
    """Decode by the ladder; raise DecodeError(`empty_file` | `undecodable` | `replacement_chars`)."""
    if not raw.strip():
        raise DecodeError("empty_file", "the file is empty or holds only whitespace")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = _strict(raw, codec)
            if text is not None:
                return _checked(Decoded(text, codec, "bom", text.count("\ufffd")))
    if (utf16 := _looks_utf16(raw)) and (text := _strict(raw, utf16)) is not None:
        return _checked(Decoded(text, utf16, "utf-16", text.count("\ufffd")))
    if (text := _strict(raw, "utf-8")) is not None and _plausible(text):
        return _checked(Decoded(text, "utf-8", "utf-8", text.count("\ufffd")), plausible=True)
    declared = _declared_charset(raw)
    if declared and declared != "utf-8" and (text := _strict(raw, declared)) is not None and _plausible(text):
        return _checked(Decoded(text, declared, "declared", text.count("\ufffd")), plausible=True)
    candidates = [
        (codec, text)
        for codec in ("gb18030", "big5")
        if (text := _strict(raw, codec)) is not None and _plausible(text)
    ]
    if candidates:  # (a single candidate needs no count)
        codec, text = candidates[0] if len(candidates) == 1 else max(candidates, key=_common_count)
        return _checked(Decoded(text, codec, codec, text.count("\ufffd")), plausible=True)
    return _detector(raw)


def _common_count(candidate: tuple[str, str]) -> int:
    return len(_COMMON.findall(candidate[1]))


def _detector(raw: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise DecodeError("undecodable", "no accepted encoding decodes these bytes")
    codec = codecs.lookup(best.encoding).name
    text = raw.decode(codec, errors="replace")
    return _checked(Decoded(text, codec, "detector", text.count("\ufffd")))


def _checked(d: Decoded, plausible: bool = False) -> Decoded:
    """`d`, unless it holds too many replacement characters or (unless `plausible`: already seen to be
    plausible) implausible ones."""
    if d.text and d.replacement_count / len(d.text) > MAX_REPLACEMENT_RATIO:
        raise DecodeError(
            "replacement_chars",
            f"{d.replacement_count} replacement characters in {len(d.text)} decoded as {d.encoding}",
        )
    if not plausible and not _plausible(d.text):
        raise DecodeError("undecodable", f"decoding as {d.encoding} gives control or private-use characters")
    return d
