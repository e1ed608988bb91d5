"""Render the README screenshots from the current code: ``python screenshots/make.py``.

Every scene of ``tests/scenes.py`` (the same ones the snapshot tests use) runs
against the local test server with the clock frozen, and is saved with Textual's own
screenshot support as ``screenshots/<scene>.svg``, then converted to ``<scene>.png`` with
``rsvg-convert`` (Debian: ``librsvg2-bin``, plus a monospace font such as
``fonts-dejavu-core``) or, failing that, ``cairosvg`` if it is installed.

    python screenshots/make.py                 # all scenes; stale files are removed
    python screenshots/make.py record help     # just these
    python screenshots/make.py --list          # scene names and captions
    python screenshots/make.py --no-png        # SVG only

Running it again rewrites the files from the current code (same code, same bytes).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run from a clone without installing; the scenes are test code, in tests/ (not the wheel).
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

from scenes import SCENES, Scene, Stage, frozen_clock, make_server, play  # noqa: E402


async def render(scene: Scene, stage: Stage) -> str:
    """The SVG of ``scene``, taken with ``App.export_screenshot`` the way the snapshot tests
    take theirs (toasts shown, segments simplified, the app's title as it starts), so the
    two can be compared."""
    app = stage.app_for(scene)
    title = app.title
    async with app.run_test(size=scene.size, notifications=True) as pilot:
        await play(scene, stage, pilot)
        svg = app.export_screenshot(title=title, simplify=True)
    return svg


def to_png(svg: Path, png: Path) -> str:
    """Convert with rsvg-convert (or cairosvg); returns the tool used.

    Rich's SVG keeps runs of spaces as ``&#160;`` at the start of ``<text>`` elements;
    librsvg drops those unless told to preserve white space, so the converter gets a copy
    with ``xml:space="preserve"`` on the root (the SVG file itself stays as exported).
    """
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    with tempfile.NamedTemporaryFile("w", suffix=".svg", encoding="utf-8") as copy:
        copy.write(text)
        copy.flush()
        if shutil.which("rsvg-convert"):
            command = ["rsvg-convert", "--format=png", "-o", str(png), copy.name]
            subprocess.run(command, check=True)
            return "rsvg-convert"
        try:
            import cairosvg
        except ImportError:
            raise SystemExit(
                "no SVG converter: apt-get install librsvg2-bin fonts-dejavu-core "
                "(or pip install cairosvg), or pass --no-png"
            ) from None
        cairosvg.svg2png(url=copy.name, write_to=str(png))
        return "cairosvg"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the README screenshots.")
    parser.add_argument("names", nargs="*", help="scenes to render (default: all)")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory")
    parser.add_argument("--no-png", action="store_true", help="write SVG files only")
    parser.add_argument("--list", action="store_true", help="list the scenes and exit")
    args = parser.parse_args(argv)
    if args.list:
        for scene in SCENES:
            print(f"{scene.name:<18} {scene.size[0]}x{scene.size[1]}  {scene.caption}")
        return 0
    unknown = sorted(set(args.names) - set(SCENES.names()))
    if unknown:
        parser.error(f"unknown scene(s): {', '.join(unknown)} (see --list)")
    chosen = [scene for scene in SCENES if not args.names or scene.name in args.names]
    args.out.mkdir(parents=True, exist_ok=True)
    with frozen_clock(), make_server() as server, tempfile.TemporaryDirectory() as tmp:
        for scene in chosen:
            stage = Stage(server, Path(tmp) / scene.name)
            svg_path = args.out / f"{scene.name}.svg"
            svg_path.write_text(asyncio.run(render(scene, stage)), encoding="utf-8")
            note = ""
            if not args.no_png:
                note = f" + png ({to_png(svg_path, svg_path.with_suffix('.png'))})"
            print(f"{svg_path}{note}")
    if not args.names:  # a full run: drop pictures of scenes that no longer exist
        keep = {scene.name for scene in SCENES}
        for old in [*args.out.glob("*.svg"), *args.out.glob("*.png")]:
            if old.stem not in keep:
                old.unlink()
                print(f"removed {old.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
