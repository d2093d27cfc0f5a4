//! The DEU III CSV reader on small files written for these tests in the DEU
//! III layout (no real DEU data is used).

use negotium_scenario::deu::{read_path, read_str, Date, DeuError, Unscored};

const HEADER: &str =
    "prnr;isnr;prname;proc;intro;finact;pcom;pep;pde;pfr;pnl;scom;sep;sde;sfr;snl;rp;out";

fn file(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

#[test]
fn reads_positions_saliences_reference_and_outcome() {
    let text = file(&[
        "1999/0001;1;Working time;COD;03-02-99;12-06-00;100;80;0;50;20;90;60;70;40;50;0;60",
        "1999/0001;2;Working time;COD;03-02-99;12-06-00;;999;10;;30;80;50;60;;;;35",
    ]);
    let f = read_str(&text, "t.csv").unwrap();
    assert_eq!(f.actors, ["com", "ep", "de", "fr", "nl"]);
    assert_eq!(f.issues.len(), 2);
    let a = &f.issues[0];
    assert_eq!(a.line, 2);
    assert_eq!(a.id, "1999/0001/1");
    assert_eq!(a.proposal.as_deref(), Some("1999/0001"));
    assert_eq!(a.procedure.as_deref(), Some("COD"));
    assert_eq!(
        a.adopted,
        Some(Date {
            year: 2000,
            month: 6,
            day: 12
        })
    );
    assert_eq!(a.introduced.unwrap().year, 1999);
    assert_eq!(a.stances.len(), 5);
    assert_eq!(a.stances[3].actor, "fr");
    assert_eq!(a.stances[3].position, 50.0);
    assert_eq!(a.stances[3].salience, 40.0);
    assert_eq!(a.reference, Some(0.0));
    assert_eq!(a.outcome, Some(60.0));
    assert!(a.is_scored());
    // Row 2: com has no position, ep's 999 is missing, fr has no position,
    // nl has no salience: only de takes part; rp blank.
    let b = &f.issues[1];
    assert_eq!(b.line, 3);
    let who: Vec<&str> = b.stances.iter().map(|s| s.actor.as_str()).collect();
    assert_eq!(who, ["de"]);
    assert_eq!(b.reference, None);
    assert_eq!(b.outcome, Some(35.0));
    assert_eq!(b.unscored, Some(Unscored::TooFewActors { actors: 1 }));
    assert_eq!(f.scored().count(), 1);
}

#[test]
fn missing_outcome_and_out_of_range_values_are_missing_not_errors() {
    let text = file(&[
        "2;1;X;CNS;;;10;20;30;40;50;50;50;50;50;50;20;",
        "2;2;X;CNS;;;10;20;30;40;50;50;50;50;50;50;20;999",
        "2;3;X;CNS;;;10;20;-5;101;50,5;50;50;50;50;50;20;12,5",
    ]);
    let f = read_str(&text, "t.csv").unwrap();
    assert_eq!(f.issues[0].unscored, Some(Unscored::NoOutcome));
    assert_eq!(f.issues[1].unscored, Some(Unscored::NoOutcome));
    let c = &f.issues[2];
    assert_eq!(c.outcome, Some(12.5), "decimal comma");
    let who: Vec<(&str, f64)> = c
        .stances
        .iter()
        .map(|s| (s.actor.as_str(), s.position))
        .collect();
    assert_eq!(who, [("com", 10.0), ("ep", 20.0), ("nl", 50.5)]);
    assert!(c.is_scored(), "three actors are enough");
    assert_eq!(c.adopted, None);
    assert_eq!(c.id, "2/3");
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_located() {
    let text = file(&[
        "3;1;X;COD;;;10;20;30;40;50;50;50;50;50;50;20;30",
        "3;2;X;COD;;;10;20;30;40;50;50;50;50;50;50;20",
    ]);
    let e = read_str(&text, "bad.csv").unwrap_err();
    match &e {
        DeuError::Row {
            file,
            line,
            message,
        } => {
            assert_eq!(file, "bad.csv");
            assert_eq!(*line, 3);
            assert!(message.contains("expected 18 fields"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().starts_with("bad.csv:3: "), "{e}");
}

#[test]
fn text_in_a_number_column_names_line_column_and_value() {
    let text = file(&[
        "3;1;X;COD;;;10;20;30;40;50;50;50;50;50;50;20;30",
        "3;2;X;COD;;;10;20;thirty;40;50;50;50;50;50;50;20;30",
    ]);
    let e = read_str(&text, "bad.csv").unwrap_err().to_string();
    assert_eq!(
        e,
        "bad.csv:3: column `pde`: expected a number, a blank, or an out-of-range missing code \
         such as 999, got `thirty`"
    );
    let text = file(&["3;1;X;COD;;31-02-2001;10;20;30;40;50;50;50;50;50;50;20;30"]);
    let e = read_str(&text, "d.csv").unwrap_err().to_string();
    assert!(
        e.starts_with("d.csv:2: column `finact`: expected a date"),
        "{e}"
    );
}

#[test]
fn header_problems_are_reported() {
    let e = read_str("prnr;pde;sde;rp\n1;2;3;4\n", "h.csv")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "h.csv: header: no `out` (outcome) column");
    let e = read_str("prnr;proc;rp;out\n1;COD;3;4\n", "h.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no actor"), "{e}");
    let e = read_str("pde;sde;pde;out\n1;2;3;4\n", "h.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("`pde` appears twice"), "{e}");
}

#[test]
fn dates_in_the_accepted_forms() {
    let d = |s| Date::parse(s);
    assert_eq!(
        d("01-05-04").map(|x| x.to_string()).as_deref(),
        Some("2004-05-01")
    );
    assert_eq!(
        d("31-12-98").map(|x| x.to_string()).as_deref(),
        Some("1998-12-31")
    );
    assert_eq!(
        d("29/02/2008").map(|x| x.to_string()).as_deref(),
        Some("2008-02-29")
    );
    assert_eq!(
        d("2019-03-07").map(|x| x.to_string()).as_deref(),
        Some("2019-03-07")
    );
    assert_eq!(d("29-02-2007"), None);
    assert_eq!(d("2019-3"), None);
    assert_eq!(d("aa-bb-cc"), None);
}

#[test]
fn files_are_read_from_disk_with_a_bom_and_blank_lines_skipped() {
    let dir = std::env::temp_dir().join(format!("negotium-deu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("deu.csv");
    let mut text = String::from("\u{feff}");
    text.push_str(&file(&["4;1;X;COD;;;10;20;30;40;50;50;50;50;50;50;20;30"]));
    text.push_str(";;;;;;;;;;;;;;;;;\n");
    std::fs::write(&path, text).unwrap();
    let f = read_path(&path).unwrap();
    assert_eq!(f.issues.len(), 1);
    assert_eq!(f.actors[0], "com");
    let e = read_path(&dir.join("absent.csv")).unwrap_err().to_string();
    assert!(e.starts_with("cannot read "), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
