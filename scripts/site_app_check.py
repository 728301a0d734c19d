#!/usr/bin/env python3
"""Uses a site app in headless Chromium at a phone's size, as people at the plant would: an operator signs in
with a PIN, adds a lot, records a failing chill reading against it and sees the lot go on hold; a quality user
closes the finding and releases the lot. Fails on any console error or unexpected page; saves screenshots.
Usage: site_app_check.py URL OPERATOR PIN QUALITY PASSWORD OUTPUT_DIR"""
import base64, json, os, subprocess, sys, tempfile, time, urllib.request
from websockets.sync.client import connect

url, operator, pin, quality, password, out = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
port = 9222 + (os.getpid() + 500) % 1000
profile = tempfile.mkdtemp()
chrome = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}",
                           f"--user-data-dir={profile}", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
            page = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            time.sleep(0.1)
    with connect(page["webSocketDebuggerUrl"], max_size=50_000_000) as ws:
        counter, errors = [0], []

        def call(method, **params):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv())
                if message.get("method") == "Runtime.exceptionThrown":
                    errors.append(message["params"]["exceptionDetails"].get("text"))
                if message.get("method") == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
                    errors.append(str(message["params"]["args"]))
                if message.get("method") == "Log.entryAdded" and message["params"]["entry"]["level"] == "error":
                    errors.append(message["params"]["entry"]["text"])
                if message.get("id") == counter[0]:
                    return message.get("result", {})

        def load(address):
            call("Page.navigate", url=address)
            time.sleep(0.8)

        def evaluate(expression):
            return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

        def fill_and_submit(fields, form_selector="main form", button=None):
            script = "".join(f"document.querySelector({json.dumps(form_selector)}).querySelector('[name={name}]').value={json.dumps(value)};"
                             for name, value in fields.items())
            click = f"document.querySelector({json.dumps(button)}).click();" if button else f"document.querySelector({json.dumps(form_selector)}).submit();"
            evaluate(script + click + "true")
            time.sleep(1.0)

        def text():
            return evaluate("document.body.innerText") or ""

        def shot(name):
            full = evaluate("document.documentElement.scrollHeight")
            call("Emulation.setDeviceMetricsOverride", width=390, height=min(full, 3000), deviceScaleFactor=1, mobile=True)
            data = call("Page.captureScreenshot", format="png")["data"]
            with open(os.path.join(out, name), "wb") as file:
                file.write(base64.b64decode(data))
            call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)

        problems = []

        def expect(condition, what):
            if not condition:
                problems.append(f"{what}: {text()[:400]!r}")

        for domain in ("Page", "Runtime", "Log"):
            call(f"{domain}.enable")
        call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
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
        problems += [f"console error: {e}" for e in errors]
        if problems:
            print("\n".join(problems))
            sys.exit(1)
        print(f"site app check: operator {operator} held lot {lot}, quality {quality} released it, no console errors; screenshots in {out}")
finally:
    chrome.kill()
