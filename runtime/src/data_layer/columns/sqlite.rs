//! Reading SQLite rows: a column's value as a [`Value`] of an attribute's type
//! ([`decode`]), and [`SqliteRow`], the [`ColumnReader`] over a `rusqlite::Row`
//! that the collectors read records from, each field straight into its type
//! (no [`Value`] in between). The storage forms are those of the `sql` module's table; a value
//! stored in another form is converted when it fits and named when not. A UUID
//! is the exception: only its stored form is read (another would be missed by
//! every filter on it), anything else is an error naming table, column and row.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::types::ValueRef;
use uuid::Uuid;

use super::value_as;
use crate::error::{Error, ErrorKind, Result};
use crate::resource::Schema;
use crate::scalar::{ColumnReader, NonNull};
use crate::value::{Value, ValueType};

/// How timestamps are written: fixed width, so text order is time order (years
/// 0 to 9999).
pub(crate) const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// How dates are written: `YYYY-MM-DD`, so text order is date order (years 1
/// to 9999, the only ones a write accepts).
pub(crate) const DATE_FORMAT: &str = "%Y-%m-%d";

/// A timestamp back from text: the stored form, any RFC 3339 form, or SQLite's
/// own `YYYY-MM-DD HH:MM:SS[.fff]` (UTC, what `datetime('now')` and
/// `CURRENT_TIMESTAMP` give), so raw SQL may produce timestamps too.
pub(crate) fn decode_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.fZ") {
        return Some(d.and_utc());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|d| d.and_utc())
}

/// What was found instead of a value of the expected type.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    /// A value that is not of the type (or out of its range); a blob, or
    /// text that is not UTF-8, as its bytes.
    Value(Value),
    /// A UUID not in the stored form (lowercase hyphenated text): uppercase,
    /// braced, without hyphens, or a 16-byte blob. Comparisons with a bound
    /// UUID would miss it, so it is never read as one.
    UuidForm(String),
}

/// The UUID in `bytes` when they are its stored form, lowercase hyphenated
/// text (what `encode` writes and `migrate`'s `CHECK` requires).
///
/// The four hyphens checked, then the 32 digits read as four 8-byte words and
/// each word checked and converted with word arithmetic ([`lower_hex_word`]):
/// anything but a lowercase hex digit, uppercase included, marks the text as
/// not the stored form. Every UUID column of every row read goes through it,
/// so it is written for speed: a table lookup per digit took about 230
/// instructions a UUID, this about 60 (and `Uuid::parse_str`, which also
/// accepts other forms, about 200).
#[inline]
pub(crate) fn stored_uuid(bytes: &[u8]) -> Option<Uuid> {
    let text: &[u8; 36] = bytes.try_into().ok()?;
    if text[8] != b'-' || text[13] != b'-' || text[18] != b'-' || text[23] != b'-' {
        return None;
    }
    // The digits, 8 to a word: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    let eight = |at: usize| u64::from_le_bytes(*text[at..].first_chunk().unwrap_or(&[0; 8]));
    let four = |at: usize| {
        u64::from(u32::from_le_bytes(
            *text[at..].first_chunk().unwrap_or(&[0; 4]),
        ))
    };
    let words = [
        eight(0),
        four(9) | (four(14) << 32),
        four(19) | (four(24) << 32),
        eight(28),
    ];
    let mut out = [0_u8; 16];
    let mut invalid = 0_u64;
    for (bytes, word) in out.chunks_exact_mut(4).zip(words) {
        let (value, bad) = lower_hex_word(word);
        bytes.copy_from_slice(&value.to_le_bytes());
        invalid |= bad;
    }
    (invalid == 0).then(|| Uuid::from_bytes(out))
}

/// Eight ASCII hex digits (a little-endian word: the first digit in the lowest
/// byte) as the four bytes they spell, first digit highest; the second half is
/// non-zero when a byte is not a lowercase hex digit (then the value means
/// nothing).
///
/// Per byte `b` whose high bit is clear: `(b | 0x80) - c` keeps the
/// high bit exactly when `b >= c`, and `(c | 0x80) - b` when `b <= c`, and
/// neither borrows from the next byte, so one subtraction compares all eight.
#[inline]
fn lower_hex_word(word: u64) -> (u32, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Wrapping: a byte that is not ASCII may borrow (it is refused anyway).
    let at_least = |c: u8| (word | HIGH).wrapping_sub(ONES * u64::from(c)) & HIGH;
    let at_most = |c: u8| ((ONES * u64::from(c)) | HIGH).wrapping_sub(word) & HIGH;
    let digit = at_least(b'0') & at_most(b'9');
    let letter = at_least(b'a') & at_most(b'f');
    // A byte with its high bit set is not ASCII; every other byte must be a
    // digit or a letter.
    let bad = (word & HIGH) | ((digit | letter) ^ HIGH);
    // '0'..'9' are 0x30..0x39 and 'a'..'f' 0x61..0x66: the low nibble, plus 9
    // for a letter.
    let nibbles = (word & (ONES * 0x0f)) + (letter >> 7) * 9;
    // Each even byte takes its digit as the high nibble and the next byte's
    // as the low one; then the even bytes are packed together.
    let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
    let pairs = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    let value = (pairs | (pairs >> 16)) & 0xffff_ffff;
    (value as u32, bad)
}

/// A column's value as a value of type `t`. `NULL` is nil for every type (whether
/// nil is allowed is the resource's business).
pub(crate) fn decode(v: ValueRef<'_>, t: ValueType) -> std::result::Result<Value, Found> {
    let text = |bytes: &[u8]| {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| Found::Value(Value::Bytes(bytes.to_vec())))
    };
    match (t, v) {
        (_, ValueRef::Null) => Ok(Value::Null),
        (ValueType::Bool, ValueRef::Integer(0)) => Ok(Value::Bool(false)),
        (ValueType::Bool, ValueRef::Integer(1)) => Ok(Value::Bool(true)),
        (ValueType::I64, ValueRef::Integer(i)) => Ok(Value::Int(i)),
        (ValueType::I32, ValueRef::Integer(i)) if i32::try_from(i).is_ok() => Ok(Value::Int(i)),
        (ValueType::I16, ValueRef::Integer(i)) if i16::try_from(i).is_ok() => Ok(Value::Int(i)),
        (ValueType::F64, ValueRef::Real(f)) => Ok(Value::Float(f)),
        // An expression over a REAL column may come back as an integer.
        (ValueType::F64, ValueRef::Integer(i)) => Ok(Value::Float(i as f64)),
        (ValueType::String, ValueRef::Text(bytes)) => text(bytes).map(Value::String),
        // Parsed from the bytes: the text is copied only to report it.
        (ValueType::Uuid, ValueRef::Text(bytes)) => match stored_uuid(bytes) {
            Some(u) => Ok(Value::Uuid(u)),
            None if Uuid::try_parse_ascii(bytes).is_ok() => Err(Found::UuidForm(format!(
                "`{}`",
                String::from_utf8_lossy(bytes)
            ))),
            None => Err(text(bytes).map_or_else(|e| e, |s| Found::Value(Value::String(s)))),
        },
        (ValueType::Uuid, ValueRef::Blob(bytes)) if bytes.len() == 16 => Err(Found::UuidForm(
            format!("a blob of 16 bytes ({})", hex(bytes)),
        )),
        (ValueType::DateTime, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            decode_datetime(&s)
                .map(Value::DateTime)
                .ok_or(Found::Value(Value::String(s)))
        }
        (ValueType::Date, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            chrono::NaiveDate::parse_from_str(&s, DATE_FORMAT)
                .map(Value::Date)
                .map_err(|_| Found::Value(Value::String(s)))
        }
        (ValueType::Bytes, ValueRef::Blob(bytes)) => Ok(Value::Bytes(bytes.to_vec())),
        #[cfg(feature = "decimal")]
        (ValueType::Decimal, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            <rust_decimal::Decimal as std::str::FromStr>::from_str(&s)
                .map(Value::Decimal)
                .map_err(|_| Found::Value(Value::String(s)))
        }
        // An integer written by other means is a decimal exactly.
        #[cfg(feature = "decimal")]
        (ValueType::Decimal, ValueRef::Integer(i)) => Ok(Value::Decimal(i.into())),
        #[cfg(feature = "json")]
        (ValueType::Json, ValueRef::Text(bytes)) => {
            let s = text(bytes)?;
            serde_json::from_str(&s)
                .map(|j| Value::Json(Box::new(j)))
                .map_err(|_| Found::Value(Value::String(s)))
        }
        (_, ValueRef::Integer(i)) => Err(Found::Value(Value::Int(i))),
        (_, ValueRef::Real(f)) => Err(Found::Value(Value::Float(f))),
        (_, ValueRef::Text(bytes)) => {
            Err(text(bytes).map_or_else(|e| e, |s| Found::Value(Value::String(s))))
        }
        (_, ValueRef::Blob(bytes)) => Err(Found::Value(Value::Bytes(bytes.to_vec()))),
    }
}

/// Lowercase hexadecimal digits of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored value as it is shown in an error: a number as it is, text quoted,
/// a blob in hexadecimal.
fn shown(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(bytes) => format!("'{}'", String::from_utf8_lossy(bytes)),
        ValueRef::Blob(bytes) => format!("x'{}'", hex(bytes)),
    }
}

/// Decodes one column for attribute `attribute` of `schema`: a value that does not
/// fit is `TypeMismatch` (a blob, or text that is not UTF-8, found as its bytes),
/// naming the resource, the attribute and the record's key. A UUID not in its stored form is a `DataLayer`
/// error naming the table, the column and the row by `key`, its primary key
/// as stored (when it was read).
pub(crate) fn decode_attribute(
    v: ValueRef<'_>,
    t: ValueType,
    schema: &'static Schema,
    attribute: &'static str,
    key: Option<ValueRef<'_>>,
) -> Result<Value> {
    decode(v, t).map_err(|found| match found {
        Found::UuidForm(what) => Error::data_layer(format!(
            "sqlite: table `{}`, column `{attribute}`, in the row whose `{}` is {}: {what} is \
             not a UUID in its stored form (lowercase hyphenated text, which `migrate`'s \
             CHECK requires); a filter by this UUID would miss the row, so it is not read: \
             rewrite it as `lower(..)` hyphenated text",
            schema.table,
            schema.primary_key().name,
            key.map_or_else(|| "not read".to_owned(), shown),
        )),
        Found::Value(found) => Error::new(ErrorKind::TypeMismatch {
            resource: schema.name,
            attribute,
            key: key.and_then(|k| decode(k, schema.primary_key().value_type).ok()),
            expected: t.rust_name(false),
            found,
        }),
    })
}

/// A result row read as the attributes of `schema`: attribute `i` from column
/// `i`. A value stored as the attribute's type reads straight into it (a UUID
/// parsed from its text, which is not copied); anything else goes through
/// [`decode`], which converts what fits and names what does not.
pub(crate) struct SqliteRow<'r, 's> {
    pub(crate) row: &'r rusqlite::Row<'s>,
    pub(crate) schema: &'static Schema,
}

impl SqliteRow<'_, '_> {
    /// The column of attribute `i` as SQLite holds it.
    fn raw(&self, i: usize) -> Result<ValueRef<'_>> {
        self.row.get_ref(i).map_err(|e| {
            Error::data_layer_caused(format!("sqlite: reading {}", self.schema.name), e)
        })
    }

    /// The row's primary key, for an error naming its record.
    #[cold]
    pub(crate) fn key(&self) -> Option<Value> {
        let pk = self.schema.primary_key;
        let stored = self.row.get_ref(pk).ok()?;
        decode(stored, self.schema.primary_key().value_type).ok()
    }

    /// Whether attribute `i` is of type `t`.
    fn is(&self, i: usize, t: ValueType) -> bool {
        self.schema
            .attributes
            .get(i)
            .is_some_and(|a| a.value_type == t)
    }

    fn value(&mut self, i: usize) -> Result<Value> {
        let schema = self.schema;
        let attribute = schema.attributes.get(i).ok_or_else(|| {
            Error::data_layer(format!("sqlite: {} has no attribute {i}", schema.name))
        })?;
        let key = self.row.get_ref(schema.primary_key).ok();
        decode_attribute(
            self.raw(i)?,
            attribute.value_type,
            schema,
            attribute.name,
            key,
        )
    }

    fn read<T: NonNull>(&mut self, i: usize) -> Result<Option<T>> {
        let value = self.value(i)?;
        value_as(self.schema, i, value)
    }
}

impl ColumnReader for SqliteRow<'_, '_> {
    fn bool(&mut self, i: usize) -> Result<Option<bool>> {
        self.read(i)
    }
    fn int(&mut self, i: usize) -> Result<Option<i64>> {
        match self.raw(i)? {
            ValueRef::Null => return Ok(None),
            ValueRef::Integer(v) if self.is(i, ValueType::I64) => return Ok(Some(v)),
            _ => {}
        }
        self.read(i)
    }
    fn float(&mut self, i: usize) -> Result<Option<f64>> {
        self.read(i)
    }
    fn string(&mut self, i: usize) -> Result<Option<String>> {
        match self.raw(i)? {
            ValueRef::Null => return Ok(None),
            ValueRef::Text(bytes) => {
                if let Ok(text) = std::str::from_utf8(bytes) {
                    return Ok(Some(text.to_owned()));
                }
            }
            _ => {}
        }
        self.read(i)
    }
    fn uuid(&mut self, i: usize) -> Result<Option<Uuid>> {
        match self.raw(i)? {
            ValueRef::Null => return Ok(None),
            ValueRef::Text(bytes) => {
                if let Some(uuid) = stored_uuid(bytes) {
                    return Ok(Some(uuid));
                }
            }
            _ => {}
        }
        self.read(i)
    }
    fn datetime(&mut self, i: usize) -> Result<Option<DateTime<Utc>>> {
        self.read(i)
    }
    fn other(&mut self, value_type: ValueType, i: usize) -> Result<Value> {
        let value = self.value(i)?;
        super::of_type(self.schema, i, value_type, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `stored_uuid` means: 36 bytes that parse as a UUID, none uppercase.
    fn by_definition(bytes: &[u8]) -> Option<Uuid> {
        if bytes.len() != 36 || bytes.iter().any(u8::is_ascii_uppercase) {
            return None;
        }
        Uuid::try_parse_ascii(bytes).ok()
    }

    #[test]
    fn the_stored_form_and_nothing_else_is_read_as_a_uuid() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for n in 0..64 {
            let stored = Uuid::new_v4().hyphenated().to_string().into_bytes();
            // For the first few, every byte at every position.
            if n < 4 {
                for at in 0..stored.len() {
                    for b in 0..=u8::MAX {
                        let mut text = stored.clone();
                        text[at] = b;
                        texts.push(text);
                    }
                }
            }
            // Every byte replaced by each of the bytes around the digits'
            // ranges, a hyphen, and bytes that are not ASCII.
            for at in 0..stored.len() {
                for b in b"09afAF/:`g@G-\x00\xff" {
                    let mut text = stored.clone();
                    text[at] = *b;
                    texts.push(text);
                }
            }
            texts.push(stored.to_ascii_uppercase());
            texts.push(stored[..35].to_vec());
            texts.push([&stored[..], b"0"].concat());
            texts.push(stored.iter().copied().filter(|&b| b != b'-').collect());
            texts.push(stored);
        }
        for text in &texts {
            assert_eq!(
                stored_uuid(text),
                by_definition(text),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
        assert!(texts.iter().filter(|t| stored_uuid(t).is_some()).count() > 64);
    }
}
