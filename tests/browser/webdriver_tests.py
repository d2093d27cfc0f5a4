#!/usr/bin/env python3
"""Workbench browser tests over the W3C WebDriver protocol (stdlib only).

Each test drives headless Chromium through chromedriver against a running
`negotium serve` and checks what a user sees. Prints 'N passed, M failed'.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--window-size=1280,2000"]


class WebDriver:
    def __init__(self, url, chrome, profile):
        self.url = url
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chrome,
                                   "args": FLAGS + ["--user-data-dir=" + profile]}}}}
        self.sid = self._req("POST", "/session", caps)["sessionId"]

    def _req(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            v = json.loads(e.read() or b"{}").get("value", {})
            raise WebDriverError(v.get("error", str(e.code)), v.get("message", ""))

    def s(self, method, path, body=None):
        return self._req(method, "/session/" + self.sid + path, body)

    def get(self, url):
        self.s("POST", "/url", {"url": url})

    def run(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(el.values())[0]

    def click(self, css):
        self.s("POST", "/element/" + self.find(css) + "/click", {})

    def current_url(self):
        return self.s("GET", "/url")

    def wait_for(self, script, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            v = self.run(script)
            if v:
                return v
            time.sleep(0.2)
        raise AssertionError("timed out waiting for: " + script)

    def screenshot(self, path):
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def alert_text(self):
        try:
            return self.s("GET", "/alert/text")
        except WebDriverError as e:
            if e.error == "no such alert":
                return None
            raise

    def quit(self):
        try:
            self._req("DELETE", "/session/" + self.sid)
        except Exception:
            pass


class WebDriverError(Exception):
    def __init__(self, error, message):
        super().__init__(error + ": " + message)
        self.error = error


def test_kosovo_forecast_chart(d, base, out):
    d.get(base + "/")
    d.click('a[href="/scenarios/kosovo-status"]')
    d.wait_for("return document.querySelector('#run-forecast') !== null")
    # Run every model (the form's defaults) through the HTML form.
    d.click("#run-forecast")
    d.wait_for("return /\\/runs\\/\\d+$/.test(location.pathname)")
    info = d.run("""
      const traj = [...document.querySelectorAll('svg.chart.trajectory')];
      const first = traj[0];
      return {
        title: document.title,
        trajectories: traj.map(t => t.getAttribute('aria-label').split(' ')[0]),
        dotplots: document.querySelectorAll('svg.chart.dot-plot').length,
        series: first ? [...first.querySelectorAll('g.series')].map(g => g.dataset.name) : [],
        reference: document.querySelectorAll('svg.chart.dot-plot g.series[data-name="recorded outcome"]').length,
        csv: !!document.querySelector('a[href$=".csv"]'),
      };""")
    d.screenshot(out + "/forecast-run.png")
    assert info["title"].startswith("Run #"), info
    assert "eum" in info["trajectories"] and "smp" in info["trajectories"], info
    assert info["dotplots"] == 6, info  # one model comparison per issue
    assert "median" in info["series"], info
    for actor in ("SRB", "KOS", "USA", "RUS"):
        assert actor in info["series"], (actor, info["series"])
    assert info["reference"] >= 1, "recorded outcome not marked"
    assert info["csv"], "no CSV download link"


def test_invalid_scenario_shows_location(d, base, out):
    d.get(base + "/scenarios/new")
    bad = ('[scenario]\nid = "bad"\ntitle = "Bad"\n\n[[actor]]\nid = "A"\n'
           'name = "A"\ncapability = "lots"\n')
    d.run("document.getElementById('source').value = arguments[0];", bad)
    d.click('button[value="save"]')
    d.wait_for("return document.querySelector('li.diag') !== null")
    text = d.run("return document.querySelector('li.diag').textContent")
    d.screenshot(out + "/invalid-scenario.png")
    assert "line 8, column 14" in text, text
    assert "scenario.toml:8:14" in text, text
    # Clicking the problem selects its line in the editor.
    d.click("li.diag")
    sel = d.run("const t = document.getElementById('source');"
                "return t.value.substring(t.selectionStart, t.selectionEnd);")
    assert sel == 'capability = "lots"', sel


def test_script_in_name_is_text(d, base, out):
    evil = "<script>window.__xss = 1; alert(1)</script>"
    src = ('[scenario]\nid = "evil"\ntitle = "%s"\n\n[[issue]]\nid = "i"\nname = "I"\n'
           'min = 0.0\nmax = 1.0\n\n[[actor]]\nid = "A"\nname = "%s"\ncapability = 1.0\n'
           '[[actor]]\nid = "B"\nname = "B"\ncapability = 1.0\n'
           '[[stance]]\nactor = "A"\nissue = "i"\nposition = 0.1\nsalience = 0.5\n'
           '[[stance]]\nactor = "B"\nissue = "i"\nposition = 0.9\nsalience = 0.5\n') % (evil, evil)
    d.get(base + "/scenarios/new")
    d.run("document.getElementById('source').value = arguments[0];"
          "document.querySelector('input[name=name]').value = arguments[1];", src, evil)
    d.click('button[value="save"]')
    d.wait_for("return /\\/scenarios\\/\\d+$/.test(location.pathname)")
    assert d.alert_text() is None, "an alert fired"
    res = d.run("""return {
        title: document.title,
        h1: document.querySelector('h1').textContent,
        xss: typeof window.__xss,
        actorCell: [...document.querySelectorAll('table.actors td')].some(td => td.textContent === arguments[0]),
        scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__xss')).length,
    };""", evil)
    d.screenshot(out + "/escaped-name.png")
    assert res["title"] == evil and res["h1"] == evil, res
    assert res["xss"] == "undefined" and res["scripts"] == 0, res
    assert res["actorCell"], res
    # The home page lists it as text too.
    d.get(base + "/")
    assert d.alert_text() is None
    assert d.run("return typeof window.__xss") == "undefined"
    assert d.run("return document.body.textContent.includes(arguments[0])", evil)


def test_scenario_verdict_and_replay_chart(d, base, out):
    d.get(base + "/scenarios/kosovo-status")
    d.wait_for("return document.querySelector('#run-replay') !== null")
    v = d.run("""
      const s = document.querySelector('section#verdict');
      return s ? {
        heading: s.querySelector('h2').textContent,
        findings: s.querySelectorAll('ol.findings li').length,
        beforeActors: !!(s.compareDocumentPosition(document.querySelector('#run')) & Node.DOCUMENT_POSITION_FOLLOWING),
      } : null;""")
    d.screenshot(out + "/scenario-verdict.png")
    assert v is not None, "no verdict on the scenario page"
    assert v["heading"] == "Verdict", v
    assert v["findings"] >= 5, v
    assert v["beforeActors"], "the verdict is not above the lens forms"
    d.click("#run-replay")
    d.wait_for("return /\\/runs\\/\\d+$/.test(location.pathname)")
    info = d.run("""
      const charts = [...document.querySelectorAll('#result svg.chart.replay-chart')];
      return {
        charts: charts.length,
        series: charts[0] ? [...charts[0].querySelectorAll('g.series')].map(g => g.dataset.name) : [],
        labels: charts[0] ? [...charts[0].querySelectorAll('text.direct')].map(t => t.textContent) : [],
        width: charts[0] ? charts[0].getBoundingClientRect().width : 0,
        changes: document.querySelectorAll('table.replay-changes tbody tr').length,
      };""")
    d.screenshot(out + "/replay-run.png")
    assert info["charts"] == 6, info  # one per issue
    for m in ("median", "compromise", "nash", "eum", "smp"):
        assert m in info["series"], (m, info)
        assert any(t.startswith(m + " ") for t in info["labels"]), (m, info)
    assert info["width"] > 300, info
    assert info["changes"] >= 10, info


def test_compare_two_runs(d, base, out):
    d.get(base + "/scenarios/kosovo-status")
    d.run("document.querySelectorAll('#lens-forecast input[name=p_model]')"
          ".forEach(c => c.checked = ['median', 'eum'].includes(c.value));")
    d.click("#run-forecast")
    d.wait_for("return /\\/runs\\/\\d+$/.test(location.pathname)")
    d.get(base + "/runs")
    d.run("document.querySelectorAll('input[name=a]')[0].checked = true;"
          "document.querySelectorAll('input[name=b]')[1].checked = true;")
    d.click('#compare-ab')
    d.wait_for("return location.pathname === '/compare'")
    rows = d.run("return [...document.querySelectorAll('table.diff tbody tr')].map(r => r.cells[0].textContent)")
    charts = d.run("return document.querySelectorAll('.compare svg.chart').length")
    d.screenshot(out + "/compare.png")
    assert "status.median.forecast" in rows, rows
    assert charts >= 2, charts


def test_whatif_slider_moves_forecast(d, base, out):
    d.get(base + "/scenarios/kosovo-status")
    d.wait_for("return document.querySelector('#whatif input[type=range]') !== null")
    d.run("window.__sameDocument = 1;"
          "document.querySelectorAll('#whatif details').forEach(x => x.open = true);")
    sel = '#whatif input[data-kind=position][data-actor=USA][data-issue=status]'
    base_value = float(d.run("return document.querySelector(arguments[0]).value", sel))
    # Drag by keyboard: Home puts the slider at the scale's minimum.
    el = d.find(sel)
    d.s("POST", "/element/" + el + "/value", {"text": "\ue011"})
    d.wait_for("return document.getElementById('whatif').dataset.state === 'ready'", 60)
    res = d.run("""return {
        same: window.__sameDocument === 1,
        value: parseFloat(document.querySelector(arguments[0]).value),
        shown: document.querySelector(arguments[0]).closest('tr').querySelector('output').textContent,
        rows: [...document.querySelectorAll('#whatif-results tr[data-key^="status."][data-key$=".forecast"]')]
          .map(r => ({key: r.dataset.key, base: r.cells[1].textContent, now: r.cells[2].textContent,
                      delta: r.cells[3].textContent, changed: r.classList.contains('changed')})),
        status: document.getElementById('whatif-status').textContent,
    };""", sel)
    d.screenshot(out + "/whatif.png")
    assert res["same"], "the page reloaded"
    assert res["value"] < base_value, (base_value, res)
    assert res["shown"] == "0", res
    assert res["rows"], res
    moved = [r for r in res["rows"] if r["changed"]]
    assert moved, res
    for r in moved:
        assert r["base"] != r["now"] and r["delta"] not in ("—", "0"), r
    assert "1 change(s)" in res["status"], res
    # The vote lens reruns too, with the proposal set in its form.
    d.run("const f = document.querySelector('#lens-vote form');"
          "f.querySelector('[name=p_issue]').value = 'status';"
          "f.querySelector('[name=p_proposal]').value = '50';"
          "const c = document.querySelector('#whatif-lenses input[value=vote]');"
          "c.checked = true; c.dispatchEvent(new Event('change'));")
    d.wait_for("return document.getElementById('whatif').dataset.runs === '2'"
               " && document.getElementById('whatif').dataset.state === 'ready'", 60)
    vote = d.run("""const s = document.querySelector('#whatif-results [data-lens=vote]');
        return s && {error: !!s.querySelector('.error'),
                     keys: [...s.querySelectorAll('tr[data-key]')].map(r => r.dataset.key)};""")
    assert vote and not vote["error"] and "passes" in vote["keys"], vote
    # Reset brings every forecast back to the baseline.
    d.click("#whatif-reset")
    d.wait_for("return document.getElementById('whatif').dataset.runs === '3'"
               " && document.getElementById('whatif').dataset.state === 'ready'", 60)
    changed = d.run("return document.querySelectorAll('#whatif-results tr.changed').length")
    assert changed == 0, changed


def test_cross_site_form_post_refused(d, base, out):
    # A saved scenario.
    d.get(base + "/scenarios/new")
    d.run("document.querySelector('input[name=name]').value = 'victim';")
    d.click('button[value="save"]')
    d.wait_for("return /\\/scenarios\\/\\d+$/.test(location.pathname)")
    sid = d.run("return location.pathname.split('/').pop()")
    before = d.run("return fetch('/api/scenarios/' + arguments[0]).then(r => r.json())", sid)
    # Another site's page posts a form to the workbench.
    import os
    evil = os.path.abspath(out + "/evil.html")
    with open(evil, "w") as f:
        f.write('<form id="f" method="post" action="%s/scenarios/%s">'
                '<input name="name" value="pwned"><input name="format" value="toml">'
                '<input name="action" value="save"><textarea name="source">[scenario]\nid="p"\ntitle="PWNED"</textarea>'
                '<button id="go">go</button></form>' % (base, sid))
    d.get("file://" + evil)
    d.click("#go")
    d.wait_for("return document.readyState === 'complete' && location.protocol === 'http:'")
    text = d.run("return document.body.textContent")
    d.screenshot(out + "/cross-site-refused.png")
    assert "refused" in text, text
    d.get(base + "/scenarios/" + sid)
    after = d.run("return fetch('/api/scenarios/' + arguments[0]).then(r => r.json())", sid)
    assert after["source"] == before["source"] and after["name"] == "victim", after


def test_static_report(d, report, out):
    d.get("file://" + report)
    info = d.run("""return {
        scripts: document.scripts.length,
        charts: [...document.querySelectorAll('svg.chart')].map(s => s.classList[1]),
        sections: [...document.querySelectorAll('main > section')].map(s => s.id),
        models: document.querySelectorAll('svg.dot-plot g.series[data-name="median"]').length,
        external: [...document.querySelectorAll('[src],link[href]')].length,
        details: document.querySelectorAll('details.detail').length,
    };""")
    d.screenshot(out + "/report.png")
    assert info["scripts"] == 0 and info["external"] == 0, info
    assert info["sections"][:2] == ["verdict", "forecast"], info
    assert info["sections"][-1] == "glossary", info
    assert info["charts"].count("dot-plot") == 6, info
    assert "timeline" in info["charts"] and "trace" in info["charts"], info
    assert info["models"] == 6 and info["details"] >= 5, info
    # `negotium report` sweeps the declared ranges by default: one fan chart
    # per issue in the Uncertainty section.
    assert "uncertainty" in info["sections"], info
    assert info["charts"].count("fan-chart") == 6, info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--chrome", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--report", required=True)
    a = ap.parse_args()
    tests = [test_kosovo_forecast_chart, test_invalid_scenario_shows_location,
             test_script_in_name_is_text, test_scenario_verdict_and_replay_chart,
             test_compare_two_runs,
             test_whatif_slider_moves_forecast, test_cross_site_form_post_refused,
             test_static_report]
    d = WebDriver(a.driver, a.chrome, a.profile)
    passed = failed = 0
    try:
        for t in tests:
            try:
                if t is test_static_report:
                    t(d, a.report, a.out)
                else:
                    t(d, a.base, a.out)
                print("test %s ... ok" % t.__name__)
                passed += 1
            except Exception as e:  # report and go on
                print("test %s ... FAILED: %r" % (t.__name__, e))
                failed += 1
    finally:
        d.quit()
    print("browser: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
