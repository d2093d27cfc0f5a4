//! negotium-tabular: tidy tables — named, typed columns of equal length —
//! written as CSV (always) and as Apache Parquet (feature `parquet`).
//!
//! Lenses and sweeps build a [`Table`] (pure data, no I/O) and the binary or
//! server decides where it goes. [`Table::write_files`] writes
//! `DIR/STEM.csv` and `DIR/STEM.parquet` through temporary files renamed
//! into place, so a failed write leaves nothing half-written.
//!
//! Types map one to one: [`Column::U64`] → CSV integer / Parquet INT64
//! (refused above `i64::MAX`), [`Column::Uint64`] → CSV integer / Parquet
//! INT64 with the unsigned 64-bit logical type (the whole `u64` range, e.g.
//! seeds), [`Column::F64`] → CSV shortest round-trip decimal / Parquet
//! DOUBLE, [`Column::OptF64`] → the same with missing values (CSV empty
//! cell / Parquet null), [`Column::Bool`] → CSV `true`/`false` / Parquet
//! BOOLEAN, [`Column::Str`] → CSV quoted as needed / Parquet BYTE_ARRAY
//! (UTF-8, dictionary-encoded). Parquet files are one row group,
//! Snappy-compressed; every column is required except `OptF64` ones.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    U64(Vec<u64>),
    /// Unsigned 64-bit values of the whole range (Parquet's UINT_64).
    Uint64(Vec<u64>),
    F64(Vec<f64>),
    /// Doubles that may be missing.
    OptF64(Vec<Option<f64>>),
    Bool(Vec<bool>),
    Str(Vec<String>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::U64(v) | Column::Uint64(v) => v.len(),
            Column::F64(v) => v.len(),
            Column::OptF64(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Str(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn cell(&self, row: usize) -> String {
        match self {
            Column::U64(v) | Column::Uint64(v) => v[row].to_string(),
            Column::F64(v) => v[row].to_string(),
            Column::OptF64(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Column::Bool(v) => v[row].to_string(),
            Column::Str(v) => v[row].clone(),
        }
    }
}

/// Why a table could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("column `{name}` has {got} rows, expected {expected} (as column `{first}`)")]
    Length {
        name: String,
        got: usize,
        expected: usize,
        first: String,
    },
    #[error("column name `{0}` appears twice")]
    Duplicate(String),
    #[error("a table needs at least one column")]
    NoColumns,
    #[error("column `{name}` row {row}: {value} does not fit Parquet's INT64")]
    TooLarge {
        name: String,
        row: usize,
        value: u64,
    },
    #[error("writing {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[cfg(feature = "parquet")]
    #[error("Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Named columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
}

impl Table {
    /// Builds a table, checking that there is a column, that names are
    /// unique and that every column has the same number of rows.
    pub fn new(columns: Vec<(String, Column)>) -> Result<Self, TableError> {
        let Some((first, c0)) = columns.first() else {
            return Err(TableError::NoColumns);
        };
        let expected = c0.len();
        let first = first.clone();
        let mut names: Vec<String> = Vec::with_capacity(columns.len());
        let mut cols = Vec::with_capacity(columns.len());
        for (name, col) in columns {
            if names.contains(&name) {
                return Err(TableError::Duplicate(name));
            }
            if col.len() != expected {
                return Err(TableError::Length {
                    name,
                    got: col.len(),
                    expected,
                    first,
                });
            }
            names.push(name);
            cols.push(col);
        }
        Ok(Table {
            names,
            columns: cols,
        })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }
    pub fn n_rows(&self) -> usize {
        self.columns[0].len()
    }

    /// Writes the table as CSV with a header row (RFC 4180 quoting).
    /// Floats use Rust's shortest round-trip form, so reading them back
    /// gives the same bits.
    pub fn write_csv<W: Write>(&self, w: W) -> Result<(), TableError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(&self.names)?;
        let mut row = Vec::with_capacity(self.columns.len());
        for r in 0..self.n_rows() {
            row.clear();
            row.extend(self.columns.iter().map(|c| c.cell(r)));
            out.write_record(&row)?;
        }
        out.flush().map_err(csv::Error::from)?;
        Ok(())
    }

    /// Writes the table as one Parquet file (one row group, Snappy).
    #[cfg(feature = "parquet")]
    pub fn write_parquet<W: Write + Send>(&self, w: W) -> Result<(), TableError> {
        parquet_out::write(self, w)
    }

    /// Writes `dir/stem.csv` and (with the `parquet` feature)
    /// `dir/stem.parquet`; returns the paths written. Each file is written
    /// to a temporary name in `dir` and renamed into place once complete.
    pub fn write_files(&self, dir: &Path, stem: &str) -> Result<Vec<PathBuf>, TableError> {
        let mut written = Vec::new();
        let csv_path = dir.join(format!("{stem}.csv"));
        atomic_write(&csv_path, |f| self.write_csv(f))?;
        written.push(csv_path);
        #[cfg(feature = "parquet")]
        {
            let pq = dir.join(format!("{stem}.parquet"));
            atomic_write(&pq, |f| self.write_parquet(f))?;
            written.push(pq);
        }
        Ok(written)
    }
}

/// Writes through `path.tmp`, renamed to `path` only on success (and
/// removed on failure).
pub fn atomic_write(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), TableError>,
) -> Result<(), TableError> {
    let io = |source| TableError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut buf = std::io::BufWriter::new(file);
    let result = write(&mut buf).and_then(|()| {
        let f = buf.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)
    });
    match result {
        Ok(()) => std::fs::rename(&tmp, path).map_err(io),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(feature = "parquet")]
mod parquet_out {
    //! Parquet through the column-writer API (no Arrow arrays).

    use std::io::Write;
    use std::sync::Arc;

    use parquet::basic::{Compression, ConvertedType, LogicalType, Repetition, Type as Physical};
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::types::Type;

    use super::{Column, Table, TableError};

    fn schema(t: &Table) -> Result<Type, TableError> {
        let mut fields = Vec::with_capacity(t.columns.len());
        for (name, col) in t.names.iter().zip(&t.columns) {
            let b = match col {
                Column::U64(_) => Type::primitive_type_builder(name, Physical::INT64),
                Column::Uint64(_) => Type::primitive_type_builder(name, Physical::INT64)
                    .with_converted_type(ConvertedType::UINT_64)
                    .with_logical_type(Some(LogicalType::integer(64, false))),
                Column::F64(_) | Column::OptF64(_) => {
                    Type::primitive_type_builder(name, Physical::DOUBLE)
                }
                Column::Bool(_) => Type::primitive_type_builder(name, Physical::BOOLEAN),
                Column::Str(_) => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_converted_type(ConvertedType::UTF8)
                    .with_logical_type(Some(LogicalType::String)),
            };
            let repetition = match col {
                Column::OptF64(_) => Repetition::OPTIONAL,
                _ => Repetition::REQUIRED,
            };
            fields.push(Arc::new(b.with_repetition(repetition).build()?));
        }
        Ok(Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?)
    }

    pub(super) fn write<W: Write + Send>(t: &Table, w: W) -> Result<(), TableError> {
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by("negotium".into())
                .build(),
        );
        let mut writer = SerializedFileWriter::new(w, Arc::new(schema(t)?), props)?;
        let mut rg = writer.next_row_group()?;
        for (name, col) in t.names.iter().zip(&t.columns) {
            let mut cw = rg
                .next_column()?
                .expect("one column writer per schema field");
            match col {
                Column::U64(v) => {
                    let mut vals = Vec::with_capacity(v.len());
                    for (row, &x) in v.iter().enumerate() {
                        vals.push(i64::try_from(x).map_err(|_| TableError::TooLarge {
                            name: name.clone(),
                            row,
                            value: x,
                        })?);
                    }
                    cw.typed::<Int64Type>().write_batch(&vals, None, None)?;
                }
                Column::Uint64(v) => {
                    // The bits as written: readers see them through the
                    // unsigned logical type.
                    let vals: Vec<i64> = v.iter().map(|&x| x as i64).collect();
                    cw.typed::<Int64Type>().write_batch(&vals, None, None)?;
                }
                Column::F64(v) => {
                    cw.typed::<DoubleType>().write_batch(v, None, None)?;
                }
                Column::OptF64(v) => {
                    let vals: Vec<f64> = v.iter().flatten().copied().collect();
                    let defs: Vec<i16> = v.iter().map(|x| x.is_some() as i16).collect();
                    cw.typed::<DoubleType>()
                        .write_batch(&vals, Some(&defs), None)?;
                }
                Column::Bool(v) => {
                    cw.typed::<BoolType>().write_batch(v, None, None)?;
                }
                Column::Str(v) => {
                    let vals: Vec<ByteArray> =
                        v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    cw.typed::<ByteArrayType>().write_batch(&vals, None, None)?;
                }
            }
            cw.close()?;
        }
        rg.close()?;
        writer.close()?;
        Ok(())
    }
}
