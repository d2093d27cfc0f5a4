//! The analyze HTML page (maud): its structure as a snapshot (sections,
//! headings, charts and their marks), the verdict first, self-contained,
//! escaped, every chart with labelled axes, and every term the page names
//! defined in its glossary.

use negotium_analysis::analyze::{self, AnalyzeParams};
use negotium_report::glossary::{used_in, TERMS};
use negotium_report::report_html::{render, visible_text};
use negotium_scenario::{load_str, Format, Loaded};

const KOSOVO: &str = include_str!("../../../scenarios/kosovo-status.toml");

fn page(l: &Loaded) -> String {
    render(
        &analyze::run(l, &AnalyzeParams::default()).unwrap(),
        "negotium test",
    )
}

fn kosovo() -> &'static str {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| page(&negotium_scenario::resolve("kosovo-status").unwrap()))
}

/// The page's outline: section ids, headings, charts (class and how many
/// marks of each kind), tables (rows), the glossary's terms.
fn outline(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let name = tag.split([' ', '/']).next().unwrap_or("");
        let attr = |a: &str| {
            tag.find(&format!("{a}=\"")).map(|k| {
                let v = &tag[k + a.len() + 2..];
                v[..v.find('"').unwrap()].to_string()
            })
        };
        let text_until = |close: &str| {
            let body = &rest[end + 1..];
            visible_text(&body[..body.find(close).unwrap()])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        match name {
            "section" => out.push_str(&format!("section #{}\n", attr("id").unwrap())),
            "h2" | "h3" => {
                out.push_str(&format!("  {name} {}\n", text_until(&format!("</{name}>"))))
            }
            "svg" => {
                let body = &rest[end..rest.find("</svg>").unwrap()];
                out.push_str(&format!(
                    "  svg {} — {} circles, {} rects, {} texts\n",
                    attr("class").unwrap(),
                    body.matches("<circle").count(),
                    body.matches("<rect").count(),
                    body.matches("<text").count()
                ));
            }
            "table" => {
                let body = &rest[end..rest.find("</table>").unwrap()];
                out.push_str(&format!("  table — {} rows\n", body.matches("<tr").count()));
            }
            "dt" => out.push_str(&format!("  dt {}\n", text_until("</dt>"))),
            _ => {}
        }
    }
    out
}

#[test]
fn kosovo_outline() {
    let html = kosovo();
    let o = outline(html);
    // The verdict comes first, the glossary last.
    assert!(o.starts_with("section #verdict\n"), "{o}");
    let sections: Vec<&str> = o.lines().filter(|l| l.starts_with("section")).collect();
    assert_eq!(sections.last(), Some(&"section #glossary"));
    insta::assert_snapshot!(o);
}

#[test]
fn self_contained_and_escaped() {
    let html = kosovo();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(!html.contains(" src=") && !html.contains("<link"));
    // A hostile title is shown as text, never as markup.
    let src = KOSOVO.replace(
        "title = \"Kosovo final status talks\"",
        "title = \"Kosovo <script>alert(1)</script> & co\"",
    );
    let l = load_str(&src, "k.toml", Format::Toml).unwrap();
    let html = page(&l);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("Kosovo &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
}

#[test]
fn verdict_findings_are_numbered_and_name_their_lens() {
    let l = negotium_scenario::resolve("kosovo-status").unwrap();
    let r = analyze::run(&l, &AnalyzeParams::default()).unwrap();
    let html = render(&r, "t");
    let verdict =
        &html[html.find("id=\"verdict\"").unwrap()..html.find("id=\"forecast\"").unwrap()];
    let items = verdict.matches("<li>").count();
    assert_eq!(items, r.verdict.findings().count());
    // Each list starts at its first finding's number, so the numbers run on.
    for l in &r.verdict.lenses {
        let first = l.findings[0].number;
        assert!(
            verdict.contains(&format!("<ol class=\"findings\" start=\"{first}\">")),
            "{first}"
        );
    }
    assert!(verdict.contains("<span class=\"disagree\">"));
    assert!(verdict.contains("<span class=\"agree\">"));
    assert!(verdict.contains("2007-03-26"));
}

#[test]
fn charts_have_axis_titles_with_units() {
    let html = kosovo();
    let svgs = |h: &'static str| -> Vec<&'static str> {
        h.split("<svg")
            .skip(1)
            .map(|s| &s[..s.find("</svg>").unwrap()])
            .collect()
    };
    // The compact sections: every text before each section's folded detail.
    let compact: String = html
        .split("<details class=\"detail\">")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("</details>").map_or("", |x| x.1)
            }
        })
        .collect();
    let compact: &'static str = Box::leak(compact.into_boxed_str());
    assert_eq!(
        svgs(compact).len(),
        6 + 6 + 1 + 1 + 1,
        "six issues, their replays, the Council, the frontier, the events per year"
    );
    let charts = svgs(html);
    for c in &charts {
        // The moves from the status quo are a graph, without axes.
        if c.contains("class=\"chart moves\"") {
            continue;
        }
        let text = visible_text(c);
        assert!(
            ["scale points", "0–1", "events per year", "year"]
                .iter()
                .any(|u| text.contains(u)),
            "a chart without a unit on its axis: {text}"
        );
    }
    // Direct labels: each dot plot names its models beside their rows.
    let dot = charts.iter().find(|c| c.contains("dot-plot")).unwrap();
    for m in [
        "median",
        "compromise",
        "nash",
        "eum",
        "smp",
        "recorded outcome",
    ] {
        assert!(dot.contains(&format!(">{m}</text>")), "{m}");
    }
}

#[test]
fn every_term_the_page_names_is_in_its_glossary() {
    let html = kosovo();
    let (body, glossary) = html.split_at(html.find("id=\"glossary\"").unwrap());
    let text = visible_text(body);
    let used = used_in(&text);
    assert!(used.len() >= 15, "{}", used.len());
    for t in used {
        assert!(
            glossary.contains(&format!("id=\"term-{}\"", t.key)),
            "`{}` is named on the page but not in its glossary",
            t.term
        );
    }
    // Every hover title is a glossary definition, and that term is listed.
    for chunk in body.split("<abbr title=\"").skip(1) {
        let def = &chunk[..chunk.find('"').unwrap()];
        let t = TERMS
            .iter()
            .find(|t| maud::html! { (t.definition) }.into_string() == def)
            .unwrap_or_else(|| panic!("hover text is no glossary definition: {def}"));
        assert!(
            glossary.contains(&format!("id=\"term-{}\"", t.key)),
            "{}",
            t.key
        );
    }
}
