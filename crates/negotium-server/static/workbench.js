// The workbench's one script (served as /static/workbench.js; the CSP allows
// no inline script). Three helpers, each active only where its markup is:
// - the scenario editor: load a file into the text area; click a problem
//   to select its line;
// - the live what-if panel: sliders send overrides to /api/preview
//   (debounced, stale requests aborted) with each lens's parameters as set
//   in its form on the page, and show every key number against
//   the baseline without reloading the page; "Store as runs" posts the same
//   overrides to /api/runs.
// All text goes into the page through textContent (never innerHTML).
"use strict";

(function () {
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fmt(x) {
    if (typeof x !== "number" || !isFinite(x)) return "—";
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(3);
    return (Math.round(x * 1e4) / 1e4).toString();
  }

  // ---- The scenario editor -------------------------------------------
  function editor() {
    const src = document.getElementById("source");
    if (!src) return;
    const file = document.getElementById("file");
    if (file) {
      file.addEventListener("change", function () {
        const f = file.files && file.files[0];
        if (!f) return;
        f.text().then(function (t) {
          src.value = t;
          const ext = (f.name.split(".").pop() || "").toLowerCase();
          const sel = document.querySelector("#scenario-form select[name=format]");
          if (sel && ["toml", "json", "csv"].includes(ext)) sel.value = ext;
        });
      });
    }
    document.querySelectorAll("li.diag").forEach(function (li) {
      li.addEventListener("click", function () {
        const line = parseInt(li.dataset.line || "0", 10);
        if (!line) return;
        // Select the whole line the problem is on.
        const lines = src.value.split("\n");
        let at = 0;
        for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
        const end = at + (lines[line - 1] || "").length;
        src.focus();
        src.setSelectionRange(at, end);
      });
    });
  }

  // ---- The live what-if panel ------------------------------------------
  function whatif() {
    const panel = document.getElementById("whatif");
    if (!panel) return;
    const scenario = panel.dataset.scenario;
    const sliders = Array.from(panel.querySelectorAll("input[type=range]"));
    const results = document.getElementById("whatif-results");
    const status = document.getElementById("whatif-status");
    const baseline = {}; // lens -> {params, numbers}: the unchanged scenario's key numbers
    let timer = null;
    let seq = 0;
    let inflight = null;

    function lenses() {
      return Array.from(panel.querySelectorAll("#whatif-lenses input:checked")).map((c) => c.value);
    }

    // A lens's parameters as set in its form on this page (typed as the
    // form's inputs are), so the what-if reruns it as the user would run it.
    function formParams(lens) {
      const form = document.querySelector("#lens-" + lens + " form");
      const p = {};
      if (!form) return p;
      const many = {};
      for (const e of form.elements) {
        if (!e.name || !e.name.startsWith("p_")) continue;
        const k = e.name.slice(2);
        if (e.type === "checkbox") {
          if (e.hasAttribute("value")) {
            many[k] = many[k] || [];
            if (e.checked) many[k].push(e.value);
          } else {
            p[k] = e.checked;
          }
        } else if (e.value.trim() !== "") {
          p[k] = e.type === "number" ? Number(e.value) : e.value.trim();
        }
      }
      for (const [k, v] of Object.entries(many)) if (v.length) p[k] = v;
      return p;
    }

    function overrides() {
      const o = { capability: {}, stances: [] };
      const stances = {};
      for (const s of sliders) {
        // Unmoved sliders send nothing (the baseline value stays exact).
        if (s.value === s.dataset.init) continue;
        const v = parseFloat(s.value);
        if (s.dataset.kind === "capability") {
          o.capability[s.dataset.actor] = v;
        } else {
          const k = s.dataset.actor + "\u0000" + s.dataset.issue;
          if (!stances[k]) {
            stances[k] = { actor: s.dataset.actor, issue: s.dataset.issue };
            o.stances.push(stances[k]);
          }
          stances[k][s.dataset.kind] = v;
        }
      }
      return o;
    }

    function changed(o) {
      return Object.keys(o.capability).length + o.stances.length;
    }

    async function post(url, body, signal) {
      const r = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: signal,
        credentials: "same-origin",
      });
      const v = await r.json().catch(() => ({}));
      if (!r.ok) {
        const e = v.error || {};
        throw new Error((e.location ? e.location + ": " : "") + (e.message || "HTTP " + r.status));
      }
      return v;
    }

    function render(byLens) {
      results.replaceChildren();
      for (const [lens, now] of byLens) {
        const base = (baseline[lens] && baseline[lens].numbers) || {};
        const sec = el("div", { class: "whatif-lens", "data-lens": lens });
        sec.append(el("h3", {}, lens));
        if (now.error) {
          sec.append(el("p", { class: "error" }, now.error));
          results.append(sec);
          continue;
        }
        const keys = Array.from(new Set(Object.keys(base).concat(Object.keys(now.key_numbers))));
        keys.sort();
        const t = el("table", { class: "whatif-table" });
        const head = el("tr");
        for (const h of ["key", "baseline", "what-if", "change"]) head.append(el("th", {}, h));
        const thead = el("thead");
        thead.append(head);
        t.append(thead);
        const body = el("tbody");
        for (const k of keys) {
          const b = base[k];
          const n = now.key_numbers[k];
          const d = typeof b === "number" && typeof n === "number" ? n - b : null;
          const tr = el("tr", { "data-key": k });
          if (d !== null && Math.abs(d) > 1e-9) tr.className = "changed";
          tr.append(el("td", {}, k));
          tr.append(el("td", { class: "num base" }, fmt(b)));
          tr.append(el("td", { class: "num now", "data-value": n === undefined ? "" : String(n) }, fmt(n)));
          const dc = el("td", { class: "num delta" }, d === null ? "—" : (d > 0 ? "+" : "") + fmt(d));
          if (d !== null && d > 1e-9) dc.classList.add("up");
          if (d !== null && d < -1e-9) dc.classList.add("down");
          tr.append(dc);
          body.append(tr);
        }
        t.append(body);
        sec.append(t);
        results.append(sec);
      }
    }

    async function rerun() {
      const my = ++seq;
      if (inflight) inflight.abort();
      inflight = new AbortController();
      const signal = inflight.signal;
      const o = overrides();
      const ls = lenses();
      panel.dataset.state = "busy";
      status.textContent = "running " + ls.join(", ") + "…";
      const t0 = performance.now();
      try {
        const out = [];
        for (const lens of ls) {
          try {
            const params = formParams(lens);
            const key = JSON.stringify(params);
            if (!baseline[lens] || baseline[lens].params !== key) {
              const b = await post("/api/preview", { lens: lens, scenario: scenario, params: params }, signal);
              baseline[lens] = { params: key, numbers: b.key_numbers };
            }
            const r = await post(
              "/api/preview",
              { lens: lens, scenario: scenario, params: params, overrides: o },
              signal
            );
            out.push([lens, r]);
          } catch (e) {
            if (e.name === "AbortError") throw e;
            out.push([lens, { error: e.message }]);
          }
        }
        if (my !== seq) return;
        render(out);
        const ms = Math.round(performance.now() - t0);
        status.textContent = changed(o) + " change(s) · rerun in " + ms + " ms";
        panel.dataset.state = "ready";
        panel.dataset.runs = String(parseInt(panel.dataset.runs || "0", 10) + 1);
      } catch (e) {
        if (e.name === "AbortError" || my !== seq) return;
        status.textContent = "error: " + e.message;
        panel.dataset.state = "error";
      }
    }

    function schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(rerun, 250);
    }

    for (const s of sliders) {
      s.dataset.init = s.value;
      const out = s.closest("tr") && s.closest("td").nextElementSibling.querySelector("output");
      s.addEventListener("input", function () {
        if (out) out.textContent = fmt(parseFloat(s.value));
        schedule();
      });
    }
    panel.querySelectorAll("#whatif-lenses input").forEach((c) => c.addEventListener("change", schedule));
    document.getElementById("whatif-reset").addEventListener("click", function () {
      for (const s of sliders) {
        s.value = s.dataset.init;
        s.dispatchEvent(new Event("input"));
      }
    });
    document.getElementById("whatif-store").addEventListener("click", async function () {
      const o = overrides();
      const links = [];
      status.textContent = "storing…";
      try {
        for (const lens of lenses()) {
          const r = await post("/api/runs", { lens: lens, scenario: scenario, params: formParams(lens), overrides: o });
          links.push(r.id);
        }
        status.replaceChildren(document.createTextNode("stored as run(s) "));
        links.forEach(function (id, i) {
          if (i) status.append(", ");
          status.append(el("a", { href: "/runs/" + id }, "#" + id));
        });
      } catch (e) {
        status.textContent = "error: " + e.message;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    editor();
    whatif();
  });
})();
