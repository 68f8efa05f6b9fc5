"""The dashboards as a person sees them, in headless Chromium (Debian's, driven by
Playwright): every shown figure read back from the page, every text element's box
against its chart and card, the page's width, and screenshots to look at.

The values are parsed from what the page shows, independently of how the product
formats them, so a wrong label, rate or date fails here even if the HTML attributes
agree."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, sync_playwright

SHOWN_JS = """() => [...document.querySelectorAll('[data-figure][data-row]')].map(e => ({
  figure: e.dataset.figure, row: +e.dataset.row, column: e.dataset.column,
  kind: e.dataset.kind, text: e.innerText.trim(),
  json: e.closest('.card').querySelector('.export a:last-child').href}))"""

CLIPPED_JS = """() => {
  const out = []; const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1
    && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let checked = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const host = n.parentElement; if (host.closest('script,style')) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    checked++;
    const boxes = [host.closest('svg'), host.closest('.card,.tile,header,nav')].filter(Boolean);
    for (const r of rects) for (const b of boxes) {
      const box = b.getBoundingClientRect();
      if (!inside(r, box)) out.push({text: n.textContent.trim().slice(0, 60),
        in: b.tagName + '.' + (b.getAttribute('class') || ''),
        text_box: [r.left, r.top, r.right, r.bottom].map(Math.round),
        container: [box.left, box.top, box.right, box.bottom].map(Math.round)});
    }
  }
  return {checked, clipped: out};
}"""

CHARTS_JS = """() => [...document.querySelectorAll('.card')].map(c => ({
  id: c.id, svgs: c.querySelectorAll('.chart svg').length,
  labelled: [...c.querySelectorAll('.chart svg')]
    .every(s => (s.getAttribute('aria-label') || '').length > 20),
  table: !!c.querySelector('table'), tiles: c.querySelectorAll('.tile').length,
  alt: (c.querySelector('.alt') || {}).innerText || ''}))"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian chromium is needed (make browser installs it)"
    return found


@dataclass
class Look:
    """What one page showed at one width."""

    width: int
    url: str
    scroll_width: int
    shown: list[dict[str, Any]]
    checked_texts: int
    clipped: list[dict[str, Any]]
    charts: list[dict[str, Any]]
    as_of: tuple[str, str]
    screenshot: Path
    figures: dict[str, Any] = field(default_factory=dict)


def look(browser: Browser, url: str, width: int, tz: str, shot: Path) -> Look:
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id=tz)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_url("**tz=*", timeout=30_000)
        page.wait_for_load_state("load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        clip = page.evaluate(CLIPPED_JS)
        as_of = page.locator('time[data-figure="as_of"]')
        found = Look(
            width=width,
            url=page.url,
            scroll_width=int(page.evaluate("document.documentElement.scrollWidth")),
            shown=page.evaluate(SHOWN_JS),
            checked_texts=clip["checked"],
            clipped=clip["clipped"],
            charts=page.evaluate(CHARTS_JS),
            as_of=(str(as_of.get_attribute("datetime")), as_of.inner_text().strip()),
            screenshot=shot,
        )
        found.figures = {
            u: page.request.get(u).json() for u in sorted({s["json"] for s in found.shown})
        }
        return found
    finally:
        context.close()


def looks(url: str, name: str, out: Path, zones: dict[int, str]) -> list[Look]:
    """The page at each width (in the time zone given for it), screenshots under `out`."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            return [
                look(browser, url, width, tz, out / f"{name}-{width}px.png")
                for width, tz in zones.items()
            ]
        finally:
            browser.close()


def read(text: str, kind: str) -> Any:
    """A shown value as the JSON would hold it (None for a dash)."""
    if text == "—":
        return None
    if kind == "rate":
        assert text.endswith("%"), text
        return float(text[:-1]) / 100
    if kind == "date":
        return datetime.strptime(text, "%d %b %Y").date()
    if kind == "count":
        return int(text.replace(",", ""))
    if kind == "number":
        return float(text.replace(",", ""))
    if text in ("yes", "no"):
        return text == "yes"
    return text


def agrees(text: str, kind: str, value: Any) -> bool:
    """Whether what the page shows is the JSON's value, to the precision shown."""
    shown = read(text, kind)
    if value is None or shown is None:
        return value is None and shown is None
    if kind == "rate":
        return bool(abs(shown - float(value)) <= 0.005 + 1e-9)
    if kind == "date":
        return bool(shown == date.fromisoformat(str(value)[:10]))
    if kind == "number":
        return bool(abs(shown - float(value)) <= 0.005 + 1e-9)
    return bool(shown == value) or str(shown) == str(value)


def disagreements(seen: Look) -> list[str]:
    """Every shown figure whose text is not its JSON value (the figure's JSON link)."""
    wrong = []
    for s in seen.shown:
        table = seen.figures[s["json"]]
        value = table["rows"][s["row"]][s["column"]]
        if not agrees(s["text"], s["kind"], value):
            wrong.append(f"{s['figure']}[{s['row']}].{s['column']}: {s['text']!r} vs {value!r}")
    return wrong


def local_time(iso: str, tz: str) -> str:
    """An instant as a person in `tz` reads it on the page (day month year, hh:mm)."""
    local = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz))
    return f"{local.day} {local:%b %Y, %H:%M}"
