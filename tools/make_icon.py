"""Draw the application icon: an open book in calm blue with a gold check mark.

Writes ``resources/icons/sotheodoi.png`` (256 px) and ``sotheodoi.ico`` (16…256 px).
Run: ``python tools/make_icon.py`` (needs Pillow, a development dependency only).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
BLUE = (29, 78, 137, 255)
BLUE_LIGHT = (224, 235, 247, 255)
PAGE = (255, 255, 255, 255)
LINE = (160, 182, 210, 255)
GOLD = (218, 165, 32, 255)
SCALE = 4  # draw large, scale down: smooth edges without anti-aliasing primitives


def draw(size: int = 256) -> Image.Image:
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def px(v: float) -> int:
        return round(v * s)

    # Rounded blue tile.
    d.rounded_rectangle([px(0.03), px(0.03), px(0.97), px(0.97)], radius=px(0.18), fill=BLUE)
    # Open book: two pages meeting at the spine.
    left = [(px(0.14), px(0.30)), (px(0.49), px(0.36)), (px(0.49), px(0.82)), (px(0.14), px(0.76))]
    right = [(px(0.51), px(0.36)), (px(0.86), px(0.30)), (px(0.86), px(0.76)), (px(0.51), px(0.82))]
    shadow = [
        (px(0.12), px(0.33)),
        (px(0.50), px(0.39)),
        (px(0.88), px(0.33)),
        (px(0.88), px(0.80)),
        (px(0.50), px(0.86)),
        (px(0.12), px(0.80)),
    ]
    d.polygon(shadow, fill=BLUE_LIGHT)
    d.polygon(left, fill=PAGE)
    d.polygon(right, fill=PAGE)
    # Text lines on the left page.
    for i in range(4):
        y0 = 0.44 + i * 0.08
        d.line([(px(0.20), px(y0)), (px(0.43), px(y0 + 0.04))], fill=LINE, width=px(0.018))
    # Gold check mark over the right page.
    check = [(px(0.57), px(0.56)), (px(0.66), px(0.66)), (px(0.84), px(0.40))]
    d.line(check, fill=GOLD, width=px(0.075), joint="curve")
    for x, y in (check[0], check[2]):
        r = px(0.0375)
        d.ellipse([x - r, y - r, x + r, y + r], fill=GOLD)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(OUT / "sotheodoi.png")
    sizes = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    big.save(OUT / "sotheodoi.ico", sizes=sizes)
    print(f"Wrote {OUT / 'sotheodoi.png'} and {OUT / 'sotheodoi.ico'}")


if __name__ == "__main__":
    main()
