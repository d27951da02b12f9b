"""Drives headless Chromium through chromedriver's WebDriver HTTP API (no selenium) against the Flotilla web
console, served through `kubectl proxy` so the browser's requests carry the admin's identity.

Usage: console_browser.py CONSOLE_URL DRIVER_URL SHOTS_DIR. CONSOLE_URL is the proxy's root. Prints a line per
check and `N passed, N failed`; exits non-zero when a check fails. The WebDriver session, and with it the
browser, is ended even when a check fails.
"""
import base64
import json
import sys
import time
import urllib.request

console, driver, shots = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
passed = failed = 0
GROUP = "/apis/placement.kubernetes-fleet.io/v1beta1"
RUN = GROUP + "/clusterstagedupdateruns/example-run"


def ok(what):
    global passed
    passed += 1
    print("ok:", what)


def fail(what):
    global failed
    failed += 1
    print("FAILED:", what, file=sys.stderr)


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def api(path):
    """What the API says, read through the same proxy the browser uses."""
    return http("GET", console + path)


class Browser:
    def __init__(self):
        capabilities = {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"]}}
        self.session = http("POST", driver + "/session", {"capabilities": {"alwaysMatch": capabilities}})["value"]["sessionId"]

    def call(self, method, path, body=None):
        return http(method, f"{driver}/session/{self.session}{path}", body)["value"]

    def go(self, url):
        self.call("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, css):
        element = self.call("POST", "/element", {"using": "css selector", "value": css})
        self.call("POST", f"/element/{next(iter(element.values()))}/click", {})

    def shot(self, name):
        with open(f"{shots}/{name}", "wb") as out:
            out.write(base64.b64decode(self.call("GET", "/screenshot")))
        print("saved", f"{shots}/{name}")

    def quit(self):
        http("DELETE", f"{driver}/session/{self.session}")


def until(what, check, seconds=60):
    """Polls `check` (a function returning a true value when done) and counts one check."""
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        try:
            last = check()
            if last:
                ok(what)
                return last
        except Exception as error:  # noqa: BLE001 - a page mid-redraw; try again until the deadline
            last = error
        time.sleep(0.25)
    fail(f"{what} (last: {last!r})")
    return None


BARS = """
return [...document.querySelectorAll('#timeline svg rect[data-start]')].map(r => ({
  kind: r.getAttribute('class'), label: r.querySelector('title').textContent.split(': ')[0],
  start: r.dataset.start, end: r.dataset.end, state: r.dataset.state}));
"""


def when(conditions, type_):
    return next((c["lastTransitionTime"] for c in conditions or [] if c["type"] == type_ and c["status"] == "True"), None)


def expected_bars(run):
    """The bars the run's recorded status times call for: a stage from its start to end, a cluster from Started to
    Succeeded, a wait to WaitTimeElapsed, an approval from its request to its approval (running ones are open)."""
    bars = []
    for stage in run["status"]["stagesStatus"]:
        if stage.get("startTime"):
            bars.append(("stage", stage["stageName"], stage["startTime"], stage.get("endTime")))
        for cluster in stage.get("clusters", []):
            started = when(cluster.get("conditions"), "Started")
            if started:
                bars.append(("cluster", cluster["clusterName"], started, when(cluster.get("conditions"), "Succeeded")))
        for task in stage.get("afterStageTaskStatus") or []:
            if task["type"] == "Approval" and when(task.get("conditions"), "ApprovalRequestCreated"):
                bars.append(("approval", "after", when(task["conditions"], "ApprovalRequestCreated"),
                             when(task["conditions"], "ApprovalRequestApproved")))
            if task["type"] == "TimedWait" and when(task.get("conditions"), "WaitTimeElapsed"):
                bars.append(("wait", "after", None, when(task["conditions"], "WaitTimeElapsed")))
    return bars


def bars_match(browser, path=RUN):
    """Whether every bar the status calls for is drawn with those times; an unfinished step is drawn to now."""
    run = api(path)
    drawn = browser.js(BARS)
    for kind, label, start, end in expected_bars(run):
        matches = [b for b in drawn if b["kind"] == kind and (kind in ("wait", "approval") or b["label"] == label)]
        if not any((start is None or b["start"] == start) and (end is None or b["end"] == end) for b in matches):
            return None
    stages = sum(1 for s in run["status"]["stagesStatus"] if s.get("startTime"))
    return len(drawn) if sum(1 for b in drawn if b["kind"] == "stage") >= stages else None


browser = Browser()
try:
    browser.go(console + "/ui/#/runs")
    until("the runs page lists example-run",
          lambda: "example-run" in browser.js("return document.querySelector('#runs')?.textContent || ''"))

    browser.go(console + "/ui/#/run/csur/-/example-run")
    until("the run waits for the canary approval and offers Approve",
          lambda: browser.js("return document.querySelector('button.approve')?.dataset.request") == "example-run-canary", 120)
    until("the timeline's bars carry the run's recorded times while it waits", lambda: bars_match(browser))
    until("the wait is drawn as a passed gate and the approval as an open one",
          lambda: browser.js("return document.querySelectorAll('#timeline path.gate').length") == 2
          and browser.js("return document.querySelector('#timeline rect.approval').getAttribute('stroke-dasharray')") == "4 3")
    browser.shot("console-run-waiting.png")

    browser.click("button.approve")
    until("the run finishes after Approve, followed through the watch",
          lambda: "example-run: Succeeded" in browser.js("return document.querySelector('#timeline svg text').textContent"), 90)
    approval = api(GROUP + "/clusterapprovalrequests/example-run-canary")
    approved = [c for c in approval["status"]["conditions"] if c["type"] == "Approved"]
    if approved and approved[0]["status"] == "True" and approved[0]["message"] == "approved in the Flotilla console":
        ok("the console's Approve set the request's Approved condition")
    else:
        fail(f"the request's Approved condition: {approved}")
    until("the timeline's bars carry the finished run's recorded times", lambda: bars_match(browser))
    until("the timeline names who approved",
          lambda: "example-run-canary: approved by " in browser.js("return document.querySelector('#timeline svg').textContent"))
    browser.shot("console-run.png")

    until("a finished run offers the replay slider", lambda: browser.js("return !!document.getElementById('replay-slider')"))
    lines = api("/flotilla/v1/audit?run=example-run")["lines"]
    # The staging stage's wait: the first step at which the run waits.
    middle = next(i for i, line in enumerate(lines) if line["action"] == "StageWaiting")
    browser.js("const s = document.getElementById('replay-slider'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", middle)
    until(f"the replay draws the run as of seq {lines[middle]['seq']}, during the wait",
          lambda: browser.js("return document.getElementById('replay-slider').dataset.shown") == str(lines[middle]["seq"])
          and browser.js("return document.querySelector('#timeline rect.wait')?.dataset.state") == "Waiting"
          and "example-run: Waiting" in browser.js("return document.querySelector('#timeline svg text').textContent"))
    # The fleet as it stood then: only the staging cluster held the run's snapshot.
    until("the replayed fleet shows only member2 on snapshot 1, available",
          lambda: browser.js("return [...document.querySelectorAll('#replay-members tr')].slice(1).map(r => r.innerText.replace(/\\s+/g, ' ').trim())")
          == ["member1 - Unknown", "member2 1 True", "member3 - Unknown"])
    browser.shot("console-replay.png")
    requested = next(i for i, line in enumerate(lines) if line["action"] == "ApprovalRequested")
    browser.js("const s = document.getElementById('replay-slider'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", requested)
    until("replayed to the approval request, the approvals read as they were then, with nothing to click",
          lambda: browser.js("return document.getElementById('replay-slider').dataset.shown") == str(lines[requested]["seq"])
          and "waiting for approval" in browser.js("return document.getElementById('approvals').innerText")
          and browser.js("return document.querySelectorAll('#approvals button').length") == 0
          and browser.js("return document.getElementById('live').innerText").startswith(f"as of seq {lines[requested]['seq']}"))

    browser.go(console + "/ui/#/fleet")
    until("the fleet page shows three members with their labels",
          lambda: browser.js("return document.querySelectorAll('#members tr').length") == 4
          and "environment=canary" in browser.js("return document.getElementById('members').textContent"))

    browser.go(console + "/ui/#/placement/crp/-/example-placement")
    until("the placement page lists both snapshots", lambda: browser.js("return document.querySelectorAll('#snapshots tr').length") == 3)
    browser.click("#diff-show")
    until("the diff between snapshots 0 and 1 shows the edit",
          lambda: "-  key: value1\n+  key: value2" in browser.js("return document.getElementById('diff').textContent"))
    browser.shot("console-placement.png")

    team = GROUP + "/namespaces/team-a/stagedupdateruns/team-run"
    browser.go(console + "/ui/#/runs")
    until("the runs page lists the namespaced run too",
          lambda: "team-run" in browser.js("return document.querySelector('#runs')?.textContent || ''"))
    browser.go(console + "/ui/#/run/sur/team-a/team-run")
    until("the namespaced run is drawn once it has finished",
          lambda: "StagedUpdateRun team-a/team-run: Succeeded" in browser.js("return document.querySelector('#timeline svg text').textContent"), 90)
    until("its bars carry its recorded times", lambda: bars_match(browser, team))
finally:
    browser.quit()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
