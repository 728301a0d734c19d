#!/usr/bin/env python3
"""Uses a site app in headless Chromium at a phone's size, as people at the plant would: an operator signs in
with a PIN, adds a lot, records a failing chill reading against it and sees the lot go on hold; a quality user
closes the finding and releases the lot. Fails on any console error or unexpected page; saves screenshots.
Usage: site_app_check.py URL OPERATOR PIN QUALITY PASSWORD OUTPUT_DIR"""
import json, os, sys, time
from devtools import Browser

url, operator, pin, quality, password, out = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
browser = Browser(port_offset=500)
try:
    load, evaluate = browser.load, browser.evaluate

    def fill_and_submit(fields, form_selector="main form", button=None):
        script = "".join(f"document.querySelector({json.dumps(form_selector)}).querySelector('[name={name}]').value={json.dumps(value)};"
                         for name, value in fields.items())
        click = f"document.querySelector({json.dumps(button)}).click();" if button else f"document.querySelector({json.dumps(form_selector)}).submit();"
        evaluate(script + click + "true")
        time.sleep(1.0)

    def text():
        return evaluate("document.body.innerText") or ""

    def shot(name):
        browser.shot(os.path.join(out, name), 390, 844, True)

    problems = []

    def expect(condition, what):
        if not condition:
            problems.append(f"{what}: {text()[:400]!r}")

    browser.size(390, 844, True)
    load(url + "/login")
    shot("site-app-login-phone.png")
    fill_and_submit({"staff": operator, "secret": pin})
    expect("walk-in" in text().lower() or "Walk-in" in text(), "the operator's stations")
    expect(not evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"), "wider than a phone")
    shot("site-app-stations-phone.png")
    lot = f"BC-{os.getpid()}"
    load(url + "/lots")
    fill_and_submit({"id": lot, "quantity": "10"}, form_selector="form[action='/lots']")
    expect(f"Lot {lot} is added." in text(), "adding a lot")
    load(url + "/checks/record?check=food_processing.ccp.chill&work_centre=walk-in-chiller")
    fill_and_submit({"lot": lot, "value": "9"})
    expect(f"Lot {lot} is on hold." in text(), "the verdict of a failing chill reading")
    shot("site-app-verdict-phone.png")
    evaluate("document.querySelector('form[action=\"/logout\"]').submit(); true")
    time.sleep(1.0)
    fill_and_submit({"staff": quality, "secret": password})
    load(url + "/findings")
    closed = evaluate(f"""(function () {{
        var cards = Array.from(document.querySelectorAll('main .card'));
        var card = cards.find(function (c) {{ return c.tagName === 'DIV' && c.innerText.indexOf({json.dumps(lot)}) >= 0; }});
        if (!card) return false;
        var form = card.nextElementSibling;
        form.querySelector('[name=resolution]').value = 'Moved to the second chiller and probed';
        form.submit();
        return true;
    }})()""")
    time.sleep(1.0)
    expect(closed and "is closed" in text(), "closing the finding")
    load(url + "/lots")
    evaluate(f"document.querySelector('form[action=\"/lots/{lot}/decide\"] button[value=released]').click(); true")
    time.sleep(1.0)
    expect(f"Lot {lot} is released." in text(), "quality releasing the lot")
    shot("site-app-lots-phone.png")
    problems += [f"console error: {e}" for e in browser.errors]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"site app check: operator {operator} held lot {lot}, quality {quality} released it, no console errors; screenshots in {out}")
finally:
    browser.close()
