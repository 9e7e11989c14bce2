"""Build the fonts the PDF report draws Arabic and Thai with: Noto Sans Arabic and Noto
Sans Thai, regular and bold, each with the punctuation, digits and quotation marks of
Noto Sans added, so a word such as “نص” or "ภาษา," is shaped in one font.

reportlab shapes a word (the text between two spaces) with the font of its first letter;
with the punctuation in a font of its own, a quoted Arabic word was shaped with the Latin
font and printed as empty boxes. The sources are Debian's fonts-noto-core package
(`apt-get download fonts-noto-core` and `dpkg-deb -x`, or an installed copy); the
results go to resources/fonts/ under the SIL Open Font License, like their sources.

    pip install fonttools
    python tools/make_script_fonts.py [NOTO_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

NOTO = Path("/usr/share/fonts/truetype/noto")
OUT = Path(__file__).resolve().parents[1] / "resources" / "fonts"
SCRIPTS = ("Arabic", "Thai")
WEIGHTS = ("Regular", "Bold")
# what text in any script sits next to: ASCII punctuation and digits, Latin-1 signs,
# dashes, quotation marks, the ellipsis, the euro sign
NEUTRAL = [(0x20, 0x7E), (0xA0, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7), (0x2010, 0x2027),
           (0x2030, 0x205E), (0x20AC, 0x20AC)]


def punctuation(source: Path, out: Path, leave_out: set[int]) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    keep = [c for lo, hi in NEUTRAL for c in range(lo, hi + 1) if c not in leave_out]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(out)


def build(noto: Path, script: str, weight: str, work: Path) -> TTFont:
    main = noto / f"NotoSans{script}-{weight}.ttf"
    extra = work / f"neutral-{weight}.ttf"
    punctuation(noto / f"NotoSans-{weight}.ttf", extra, set(TTFont(main).getBestCmap()))
    font = Merger().merge([str(main), str(extra)])
    family = f"VOC {script}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (4,):
            record.string = f"{family} {weight}"
        elif record.nameID in (6,):
            record.string = f"VOC{script}-{weight}"
    return font


def main(argv: list[str]) -> int:
    noto = Path(argv[1]) if len(argv) > 1 else NOTO
    with tempfile.TemporaryDirectory() as work:
        for script in SCRIPTS:
            for weight in WEIGHTS:
                out = OUT / f"Voc{script}-{weight}.ttf"
                build(noto, script, weight, Path(work)).save(out)
                print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
