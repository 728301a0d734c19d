"""Headless Chromium through the DevTools protocol, for the browser checks: start it, call methods, load
pages, evaluate script, collect console errors, save screenshots."""
import base64, json, os, subprocess, tempfile, time, urllib.request
from websockets.sync.client import connect


class Browser:
    def __init__(self, port_offset=0):
        self.port = 9222 + (os.getpid() + port_offset) % 1000
        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={self.port}",
             f"--user-data-dir={tempfile.mkdtemp()}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.1)
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=50_000_000)
        self.counter, self.errors = 0, []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method, **params):
        self.counter += 1
        self.socket.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                self.errors.append(message["params"]["exceptionDetails"].get("text"))
            if message.get("method") == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
                self.errors.append(str(message["params"]["args"]))
            if message.get("method") == "Log.entryAdded" and message["params"]["entry"]["level"] == "error":
                self.errors.append(message["params"]["entry"]["text"])
            if message.get("id") == self.counter:
                return message.get("result", {})

    def load(self, address, wait=1.0):
        self.call("Page.navigate", url=address)
        time.sleep(wait)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def size(self, width, height, mobile):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def shot(self, path, width, height, mobile):
        """Saves the whole page (up to 4000 px tall) at `width`, then returns to `width` × `height`."""
        self.size(width, height, mobile)
        time.sleep(0.3)
        full = self.evaluate("document.documentElement.scrollHeight")
        self.size(width, min(full, 4000), mobile)
        with open(path, "wb") as file:
            file.write(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        self.size(width, height, mobile)

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.kill()
