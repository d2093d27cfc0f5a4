//! Tables written as CSV and Parquet read back to the same values (Parquet
//! through the parquet crate's own row reader, an independent path).

use negotium_tabular::{Column, Table, TableError};

fn sample() -> Table {
    Table::new(vec![
        ("draw".into(), Column::U64(vec![0, 1, 2])),
        (
            "issue".into(),
            Column::Str(vec![
                "status".into(),
                "a, \"quoted\" one".into(),
                "ünï".into(),
            ]),
        ),
        (
            "forecast".into(),
            Column::F64(vec![0.1 + 0.2, -1e-300, 75.0]),
        ),
    ])
    .unwrap()
}

#[test]
fn csv_round_trips_exactly() {
    let mut buf = Vec::new();
    sample().write_csv(&mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap(), vec!["draw", "issue", "forecast"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][1], "a, \"quoted\" one");
    assert_eq!(rows[0][2].parse::<f64>().unwrap(), 0.1 + 0.2);
    assert_eq!(rows[1][2].parse::<f64>().unwrap(), -1e-300);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_round_trips_exactly() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = std::env::temp_dir().join(format!("negotium-tabular-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let written = sample().write_files(&dir, "t").unwrap();
    assert_eq!(written.len(), 2);
    assert!(!dir.join("t.parquet.tmp").exists());
    let f = std::fs::File::open(dir.join("t.parquet")).unwrap();
    let reader = SerializedFileReader::new(f).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 3);
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let cols: Vec<Vec<Field>> = rows
        .iter()
        .map(|r| r.get_column_iter().map(|(_, f)| f.clone()).collect())
        .collect();
    assert_eq!(cols[1][0], Field::Long(1));
    assert_eq!(cols[1][1], Field::Str("a, \"quoted\" one".into()));
    assert_eq!(cols[2][1], Field::Str("ünï".into()));
    assert_eq!(cols[0][2], Field::Double(0.1 + 0.2));
    assert_eq!(cols[1][2], Field::Double(-1e-300));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The other column kinds: booleans, missing doubles and full-range u64.
#[cfg(feature = "parquet")]
#[test]
fn optional_boolean_and_unsigned_columns_round_trip() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let t = Table::new(vec![
        ("seed".into(), Column::Uint64(vec![u64::MAX, 7])),
        ("agreed".into(), Column::Bool(vec![true, false])),
        ("dist".into(), Column::OptF64(vec![None, Some(0.25)])),
    ])
    .unwrap();
    let mut buf = Vec::new();
    t.write_csv(&mut buf).unwrap();
    assert_eq!(
        String::from_utf8(buf).unwrap(),
        "seed,agreed,dist\n18446744073709551615,true,\n7,false,0.25\n"
    );
    let dir = std::env::temp_dir().join(format!("negotium-tabular-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    t.write_files(&dir, "k").unwrap();
    let reader =
        SerializedFileReader::new(std::fs::File::open(dir.join("k.parquet")).unwrap()).unwrap();
    let rows: Vec<Vec<Field>> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(_, f)| f.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0],
        [Field::ULong(u64::MAX), Field::Bool(true), Field::Null]
    );
    assert_eq!(
        rows[1],
        [Field::ULong(7), Field::Bool(false), Field::Double(0.25)]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_tables_are_refused() {
    assert!(matches!(Table::new(vec![]), Err(TableError::NoColumns)));
    let r = Table::new(vec![
        ("a".into(), Column::U64(vec![1, 2])),
        ("b".into(), Column::F64(vec![1.0])),
    ]);
    assert!(matches!(r, Err(TableError::Length { .. })), "{r:?}");
    let r = Table::new(vec![
        ("a".into(), Column::U64(vec![1])),
        ("a".into(), Column::U64(vec![1])),
    ]);
    assert!(matches!(r, Err(TableError::Duplicate(_))));
}

/// A write that fails leaves no file behind (nor its temporary).
#[test]
fn failed_writes_leave_nothing() {
    let dir = std::env::temp_dir().join(format!("negotium-tabular-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("x.csv");
    let r = negotium_tabular::atomic_write(&path, |_| {
        Err(TableError::Duplicate("simulated failure".into()))
    });
    assert!(r.is_err());
    assert!(!path.exists() && !dir.join("x.csv.tmp").exists());
    // A directory that does not exist: an I/O error naming the path.
    let e = sample().write_files(&dir.join("missing"), "t").unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
