#!/usr/bin/env python3
"""Loads central's dashboard in headless Chromium through the DevTools protocol: logs in with the form, opens the
overview and a site page at phone and desktop widths, fails on any console error or missing element, and saves
screenshots. Usage: browser_check.py URL USER PASSWORD SITE OUTPUT_DIR"""
import base64, json, os, subprocess, sys, tempfile, time, urllib.request
from websockets.sync.client import connect

url, user, password, site, out = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
port = 9222 + os.getpid() % 1000
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
            time.sleep(1.0)

        def evaluate(expression):
            return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

        def shot(name, width, height, mobile):
            call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
            time.sleep(0.3)
            full = evaluate("document.documentElement.scrollHeight")
            call("Emulation.setDeviceMetricsOverride", width=width, height=min(full, 4000), deviceScaleFactor=1, mobile=mobile)
            data = call("Page.captureScreenshot", format="png")["data"]
            with open(os.path.join(out, name), "wb") as file:
                file.write(base64.b64decode(data))

        for domain in ("Page", "Runtime", "Log"):
            call(f"{domain}.enable")
        load(url + "/login")
        evaluate(f"""document.querySelector('input[name=user]').value={json.dumps(user)};
                     document.querySelector('input[name=password]').value={json.dumps(password)};
                     document.querySelector('form').submit(); true""")
        time.sleep(1.5)
        problems = []
        checks = {"/": ["section.tile", "header", f"#site-{site}"], f"/sites/{site}": ["svg", "#findings", "#lots"], "/compare": ["#compare"]}
        for path, selectors in checks.items():
            load(url + path)
            for selector in selectors:
                if not evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                    problems.append(f"{path}: missing {selector}")
            name = "overview" if path == "/" else path.strip("/").replace("/", "-")
            shot(f"{name}-desktop.png", 1280, 900, False)
            shot(f"{name}-phone.png", 390, 844, True)
            if evaluate("document.documentElement.scrollWidth > window.innerWidth + 1") and path == "/":
                problems.append(f"{path}: wider than a phone screen")
        problems += [f"console error: {e}" for e in errors]
        if problems:
            print("\n".join(problems))
            sys.exit(1)
        print(f"browser check: {len(checks)} pages at phone and desktop widths, no console errors; screenshots in {out}")
finally:
    chrome.kill()
