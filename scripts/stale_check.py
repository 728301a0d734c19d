#!/usr/bin/env python3
"""After a site's process has stopped: its tile on the overview says it is stale and still shows its worst open
problem in colour and in words (a stale site with a critical breach stays red). Usage: stale_check.py URL USER
PASSWORD SITE OUTPUT_DIR"""
import json, os, sys, time
from devtools import Browser

url, user, password, site, out = sys.argv[1:6]
browser = Browser(port_offset=7)
try:
    browser.load(url + "/login")
    browser.evaluate(f"""document.querySelector('input[name=user]').value={json.dumps(user)};
                 document.querySelector('input[name=password]').value={json.dumps(password)};
                 document.querySelector('form').submit(); true""")
    time.sleep(1.5)
    browser.size(1440, 900, False)
    browser.load(url + "/")
    tile = browser.evaluate(f"(() => {{ const t = document.querySelector('#site-{site}');"
                            " return t && {cls: t.className, word: t.querySelector('.word strong').textContent,"
                            " reason: t.querySelector('.reason').textContent}; })()")
    problems = []
    if not tile:
        problems.append(f"/: no tile for {site}")
    elif "red" not in tile["cls"] or "stale for" not in tile["reason"] or "critical" not in tile["reason"]:
        problems.append(f"/: {site} should be red, stale and say its critical breach: {tile}")
    browser.shot(os.path.join(out, "overview-stale-desktop.png"), 1440, 900, False)
    problems += [f"console error: {e}" for e in browser.errors]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"stale check: {site} is stale, still red, and names its critical breach: {tile['reason']}")
finally:
    browser.close()
