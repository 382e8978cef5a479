"""A TrueType CJK font for the PDF writer, made once from the system's Noto CJK collection and cached.

Why not the .ttc itself: Noto CJK has CFF outlines, and fpdf2 embeds CFF CID fonts with an encoding CMap
that pdfminer (pdfplumber, our PDF reader) cannot decode, so the text layer reads as empty. A TrueType
(glyf) subset embeds as CIDFontType2 with Identity-H, which every reader decodes. The subset holds every
CJK character of the gazetteer and of the generator's and catalog's sources: a fixed set per code version,
so the PDFs stay the same bytes for a seed.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
SC_INDEX = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)


class FontMissing(RuntimeError):
    """No CJK font on this machine: PDFs cannot be written (Debian: apt-get install fonts-noto-cjk)."""


def _source() -> Path:
    for c in (os.environ.get("NIANBAO_CJK_FONT"), *CANDIDATES):
        if c and Path(c).is_file():
            return Path(c)
    raise FontMissing("no Noto CJK font found (apt-get install fonts-noto-cjk, or set NIANBAO_CJK_FONT)")


def charset() -> str:
    """Every character the generator can print: ASCII, CJK punctuation and the sources' CJK characters."""
    texts = [resources.files("nianbao").joinpath("data/divisions.csv").read_text(encoding="utf-8")]
    for pkg, names in (("nianbao.synth", None), ("nianbao.tables", ("catalog.py", "stats_e0.py"))):
        root = resources.files(pkg)
        texts += [
            f.read_text(encoding="utf-8")
            for f in root.iterdir()
            if f.name.endswith(".py") and (names is None or f.name in names)
        ]
    chars = {ch for t in texts for ch in t if ord(ch) > 0x7E}
    chars |= {chr(i) for i in range(0x20, 0x7F)}
    return "".join(sorted(chars))


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The cached TrueType subset (built on first use: a few seconds)."""
    src = _source()
    chars = charset()
    digest = hashlib.sha256((str(src) + chars).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nianbao" / f"cjk-{digest}.ttf"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        _build(src, chars, tmp)
        tmp.replace(cache)
    return cache


def _build(src: Path, chars: str, out: Path) -> None:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(src), fontNumber=SC_INDEX, lazy=True)
    sub = subset.Subsetter(subset.Options(notdef_outline=True, name_IDs=["*"], layout_features=[]))
    sub.populate(text=chars)
    sub.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG", "GPOS", "GSUB"):
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(out))
