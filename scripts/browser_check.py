#!/usr/bin/env python3
"""Loads central's dashboard in headless Chromium through the DevTools protocol: logs in with the form, opens the
overview and a site page at phone and desktop widths, fails on any console error or missing element, and saves
screenshots. Usage: browser_check.py URL USER PASSWORD SITE OUTPUT_DIR"""
import json, os, sys, time
from devtools import Browser

url, user, password, site, out = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
browser = Browser()
try:
    browser.load(url + "/login")
    browser.evaluate(f"""document.querySelector('input[name=user]').value={json.dumps(user)};
                 document.querySelector('input[name=password]').value={json.dumps(password)};
                 document.querySelector('form').submit(); true""")
    time.sleep(1.5)
    problems = []
    checks = {"/": ["section.tile", "header", f"#site-{site}"], f"/sites/{site}": ["svg", "#findings", "#lots"], "/compare": ["#compare"]}
    for path, selectors in checks.items():
        browser.load(url + path)
        for selector in selectors:
            if not browser.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                problems.append(f"{path}: missing {selector}")
        name = "overview" if path == "/" else path.strip("/").replace("/", "-")
        browser.shot(os.path.join(out, f"{name}-desktop.png"), 1280, 900, False)
        browser.shot(os.path.join(out, f"{name}-phone.png"), 390, 844, True)
        if browser.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1") and path == "/":
            problems.append(f"{path}: wider than a phone screen")
    problems += [f"console error: {e}" for e in browser.errors]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"browser check: {len(checks)} pages at phone and desktop widths, no console errors; screenshots in {out}")
finally:
    browser.close()
