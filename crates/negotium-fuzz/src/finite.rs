//! Finds the first non-finite number (NaN, ±inf) in any serialisable value,
//! with its path (`issues[0].models[3].rounds[2].mean`). A serde serializer
//! that produces nothing: it only walks. serde_json cannot do this — it
//! writes NaN as `null`, indistinguishable from a missing value.

use serde::ser::{self, Serialize};
use std::fmt;

/// The path of the first non-finite number in `value`, if any.
pub fn first_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut w = Walker {
        path: Vec::new(),
        entry: Vec::new(),
    };
    match value.serialize(&mut w) {
        Err(Stop::Found(p)) => Some(p),
        _ => None,
    }
}

#[derive(Debug)]
enum Stop {
    Found(String),
    Other(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Found(p) | Stop::Other(p) => f.write_str(p),
        }
    }
}
impl std::error::Error for Stop {}
impl ser::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Other(msg.to_string())
    }
}

struct Walker {
    path: Vec<String>,
    /// Index of the next element in each open sequence or map.
    entry: Vec<usize>,
}

impl Walker {
    fn float(&self, x: f64) -> Result<(), Stop> {
        if x.is_finite() {
            Ok(())
        } else {
            Err(Stop::Found(format!(
                "{} = {x}",
                if self.path.is_empty() {
                    "$".to_string()
                } else {
                    self.path.concat()
                }
            )))
        }
    }
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        let i = self.entry.last().copied().unwrap_or(0);
        self.path.push(format!("[{i}]"));
        let r = v.serialize(&mut *self);
        self.path.pop();
        if let Some(e) = self.entry.last_mut() {
            *e += 1;
        }
        r
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), Stop> {
        self.path.push(format!(".{key}"));
        let r = v.serialize(&mut *self);
        self.path.pop();
        r
    }
    fn open(&mut self) -> Result<&mut Self, Stop> {
        self.entry.push(0);
        Ok(self)
    }
    fn close(&mut self) -> Result<(), Stop> {
        self.entry.pop();
        Ok(())
    }
}

impl ser::Serializer for &mut Walker {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.float(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.float(v)
    }
    fn serialize_bool(self, _: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Stop> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.field(variant, v)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        self.open()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        self.open()
    }
}

macro_rules! seq_like {
    ($($t:ident :: $m:ident),*) => {$(
        impl ser::$t for &mut Walker {
            type Ok = ();
            type Error = Stop;
            fn $m<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
                self.element(v)
            }
            fn end(self) -> Result<(), Stop> {
                self.close()
            }
        }
    )*};
}
seq_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! struct_like {
    ($($t:ident),*) => {$(
        impl ser::$t for &mut Walker {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), Stop> {
                self.field(key, v)
            }
            fn end(self) -> Result<(), Stop> {
                self.close()
            }
        }
    )*};
}
struct_like!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for &mut Walker {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Stop> {
        // Keys are walked too (a float key is still a number in the result).
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        self.element(v)
    }
    fn end(self) -> Result<(), Stop> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Round {
        mean: f64,
        positions: std::collections::BTreeMap<String, f64>,
    }
    #[derive(serde::Serialize)]
    struct Report {
        name: String,
        rounds: Vec<Round>,
        tag: Option<(u32, f32)>,
    }

    fn report(x: f64, y: f32) -> Report {
        Report {
            name: "r".into(),
            rounds: vec![
                Round {
                    mean: 1.0,
                    positions: [("a".to_string(), 2.0)].into(),
                },
                Round {
                    mean: 3.0,
                    positions: [("a".to_string(), 4.0), ("b".to_string(), x)].into(),
                },
            ],
            tag: Some((1, y)),
        }
    }

    #[test]
    fn finds_the_first_non_finite_number_and_its_path() {
        assert_eq!(first_non_finite(&report(5.0, 1.0)), None);
        assert_eq!(
            first_non_finite(&report(f64::NAN, 1.0)).as_deref(),
            Some(".rounds[1].positions[1] = NaN")
        );
        assert_eq!(
            first_non_finite(&report(0.0, f32::NEG_INFINITY)).as_deref(),
            Some(".tag[1] = -inf")
        );
        assert_eq!(first_non_finite(&f64::INFINITY).as_deref(), Some("$ = inf"));
    }
}
