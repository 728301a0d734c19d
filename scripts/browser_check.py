#!/usr/bin/env python3
"""Loads central's dashboard in headless Chromium through the DevTools protocol as a regional manager would: logs in
with the form; checks the ranked overview at 1440 px (no site below the fold), drills down from a tile to its
records, reads a 30-day chart with its axes and the Gantt chart's now line, measures every badge's contrast (WCAG AA,
4.5:1) and takes the overview under a red-green colour-blindness simulation; fails on any console error or missing
element, and saves screenshots. Usage: browser_check.py URL USER PASSWORD SITE OUTPUT_DIR"""
import json, os, sys, time
from devtools import Browser

url, user, password, site, out = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
browser = Browser()

# The contrast of every badge on the page, from the colours the browser computed (WCAG 2 relative luminance).
CONTRASTS = """(() => {
  const lum = c => { const v = c.match(/[0-9.]+/g).slice(0, 3).map(x => x / 255)
    .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  return [...document.querySelectorAll('.badge')].map(b => { const s = getComputedStyle(b);
    const [x, y] = [lum(s.color), lum(s.backgroundColor)];
    return [b.textContent, (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)]; });
})()"""


def missing(selector):
    return not browser.evaluate(f"!!document.querySelector({json.dumps(selector)})")


try:
    browser.load(url + "/login")
    browser.evaluate(f"""document.querySelector('input[name=user]').value={json.dumps(user)};
                 document.querySelector('input[name=password]').value={json.dumps(password)};
                 document.querySelector('form').submit(); true""")
    time.sleep(1.5)
    problems = []
    checks = {
        "/": ["section.tile", "header", f"#site-{site}", "#filters select[name=module]"],
        f"/sites/{site}": ["svg", "#findings", "#lots", "#gantt svg line.now", "#gantt-window"],
        "/compare": ["#compare"],
        "/config": ["#limits", "#picker", "textarea[name=document]"],
        "/materials": ["form[action='/recall'] input[name=supplier_lot]"],
        "/maintenance": ["h1", "table"],
        "/quality": ["h1", "table"],
        "/people": ["h1", "table"],
        "/costs": ["h1", "table", "form[action='/costs/rates'] textarea[name=rates]"],
        "/quotes": ["h1", "form[action='/quotes'] input[name=product]"],
        "/extensions": ["h1", "form#publish-extension input[type=file]", "textarea[name=module]"],
    }
    for path, selectors in checks.items():
        browser.load(url + path)
        problems += [f"{path}: missing {selector}" for selector in selectors if missing(selector)]
        for badge, ratio in browser.evaluate(CONTRASTS) or []:
            if ratio < 4.5:
                problems.append(f"{path}: the badge '{badge}' has contrast {ratio:.2f}:1, under WCAG AA's 4.5:1")
        name = "overview" if path == "/" else path.strip("/").replace("/", "-")
        browser.shot(os.path.join(out, f"{name}-desktop.png"), 1280, 900, False)
        browser.shot(os.path.join(out, f"{name}-phone.png"), 390, 844, True)
        if path == "/" and browser.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
            problems.append(f"{path}: wider than a phone screen")
        if path.startswith("/sites/"):
            # On a phone the Gantt chart scrolls sideways at its own width, its text still legible.
            if not browser.evaluate("(() => { const g = document.querySelector('#gantt');"
                                    " return g && g.scrollWidth > g.clientWidth; })()"):
                problems.append(f"{path}: the Gantt chart does not scroll sideways on a phone")

    # The ranked overview on a 1440 px screen: every site above the fold, each tile with a status word.
    browser.size(1440, 900, False)
    browser.load(url + "/")
    below = browser.evaluate("[...document.querySelectorAll('section.tile')]"
                             ".filter(t => t.getBoundingClientRect().top >= window.innerHeight).map(t => t.id)")
    if below:
        problems.append(f"/ at 1440 px: {', '.join(below)} below the fold")
    wordless = browser.evaluate("[...document.querySelectorAll('section.tile')]"
                                ".filter(t => !(t.querySelector('.word strong')||{}).textContent).map(t => t.id)")
    if wordless:
        problems.append(f"/: tiles without a status word: {', '.join(wordless)}")
    # Status never by colour alone: the overview under a red-green colour-blindness simulation.
    browser.call("Emulation.setEmulatedVisionDeficiency", type="deuteranopia")
    browser.shot(os.path.join(out, "overview-deuteranopia-desktop.png"), 1440, 900, False)
    browser.call("Emulation.setEmulatedVisionDeficiency", type="none")

    # Drill-down: the tile's open-findings number opens the records behind it, sortable and as CSV.
    link = browser.evaluate(f"(document.querySelector('#site-{site} a[href$=\"/findings\"]')||{{}}).href")
    if not link:
        problems.append(f"/: the {site} tile has no link to its open findings")
    else:
        browser.load(link)
        if missing("table") or missing("a[href*='format=csv']"):
            problems.append(f"{link}: no table of findings or no CSV link")
        browser.shot(os.path.join(out, "drilldown-findings-desktop.png"), 1280, 900, False)

    # A 30-day trend with its axes: dates along the bottom, values with units up the side.
    browser.load(url + f"/sites/{site}?days=30")
    axes = browser.evaluate("(() => { const s = document.querySelector('svg.trend'); if (!s) return null;"
                            " const t = [...s.querySelectorAll('text')].map(e => e.textContent);"
                            " return {count: t.length, percent: t.some(x => x.includes('%')),"
                            " dated: t.some(x => /\\d/.test(x) && /[A-Za-z]/.test(x))}; })()")
    if not axes or axes["count"] < 6 or not axes["percent"] or not axes["dated"]:
        problems.append(f"/sites/{site}?days=30: the trend chart lacks its axes ({axes})")
    if browser.evaluate("(document.querySelector('select[name=days] option[selected]')||{}).value") != "30":
        problems.append(f"/sites/{site}?days=30: the period picker does not show 30 days")
    browser.shot(os.path.join(out, f"sites-{site}-30-days-desktop.png"), 1280, 900, False)

    problems += [f"console error: {e}" for e in browser.errors]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"browser check: {len(checks)} pages at phone and desktop widths, the ranked overview at 1440 px, "
          f"drill-down, a 30-day chart, the Gantt's now line, badge contrast and a colour-blind view; "
          f"no console errors; screenshots in {out}")
finally:
    browser.close()
