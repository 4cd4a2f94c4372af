//! Turning PostgreSQL rows (binary format) back into records (builder reads,
//! streamed: `records`), or into [`Value`]s and [`Row`]s (raw SQL).
//!
//! A column is decoded by its own type (`smallint` → `i16`, `integer` → `i32`,
//! `bigint` → `i64`, `real`/`double precision` → `f64`, text types → `String`,
//! `uuid`, `timestamptz` (and `timestamp`, taken as UTC), `boolean`; SQL `NULL` →
//! nil), then checked against the attribute it fills, so a column whose type does
//! not fit its attribute is an error naming both.

use foldhash::HashMap;
use futures_util::TryStreamExt;
use tokio_postgres::{Column, Row as PgRow, RowStream};

use super::errors::data_layer;
use crate::data_layer::Partition;
pub(super) use crate::data_layer::columns::postgres::{PgColumns, attribute_column, column, fit};
use crate::data_layer::sql::Columns;
use crate::data_layer::store::{Collector, Target, collector};
use crate::data_layer::{Records, group_positions};
use crate::error::{Error, Result};
use crate::resource::{Row, Schema};
use crate::value::Value;

/// The records in the rows of a builder statement, read as the rows arrive:
/// the schema's attributes in order, then for `Columns::AttributesAndKey` the
/// partition key (a partition through a join); its position in the partition's
/// keys names the record's group. A partition by an attribute takes the key from
/// the record. `width` is the statement's column count.
///
/// Each row becomes its record, and is dropped, while later rows are still on
/// their way, so decoding overlaps the server's work instead of following it.
///
/// With the insertion sequence (`Columns::AttributesAndSeq`,
/// `Columns::AttributesKeyAndSeq`, the last column) the records must come in
/// that order, at least within each key. The rows come in that order unless
/// the table was rewritten; if one is out of order, the records are put in
/// sequence order once all are read. (An `ORDER BY` would sort every read.)
pub(super) async fn records(
    schema: &'static Schema,
    columns: &Columns,
    width: usize,
    rows: RowStream,
    partition: Option<&Partition>,
) -> Result<Records> {
    let decoder = Decoder::new(schema, columns, partition)?;
    decoder.check_width(width)?;
    let failed = |e| data_layer(format!("reading {}", schema.name), e);
    let mut into = collector(schema, partition.map(|p| p.keys.len()))?;
    let mut rows = std::pin::pin!(rows);
    let mut sequences = Vec::new();
    let mut in_order = true;
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        if decoder.seq_column.is_some() {
            let seq = decoder.sequence(&row)?;
            in_order &= sequences.last().is_none_or(|&last| last <= seq);
            sequences.push(seq);
        }
        decoder.decode(&row, &mut into)?;
    }
    if !in_order {
        into.reorder(&sequences)?;
    }
    Ok(into.finish())
}

/// Decodes the rows of a statement that are not partitioned and need no order
/// (`Columns::Attributes`, e.g. the rows an insert returns) into `into`.
pub(super) fn records_into(
    schema: &'static Schema,
    columns: &Columns,
    pg_rows: &[PgRow],
    into: &mut Collector,
) -> Result<()> {
    let decoder = Decoder::new(schema, columns, None)?;
    for row in pg_rows {
        decoder.check_width(row.len())?;
        decoder.decode(row, into)?;
    }
    Ok(())
}

/// The records in the rows a write returned with their insertion sequence
/// (`Columns::AttributesAndSeq`, in no order), in sequence order.
pub(super) fn records_in_sequence(
    schema: &'static Schema,
    columns: &Columns,
    pg_rows: &[PgRow],
) -> Result<Records> {
    let decoder = Decoder::new(schema, columns, None)?;
    let mut into = collector(schema, None)?;
    let mut sequences = Vec::with_capacity(pg_rows.len());
    for row in pg_rows {
        decoder.check_width(row.len())?;
        sequences.push(decoder.sequence(row)?);
        decoder.decode(row, &mut into)?;
    }
    into.reorder(&sequences)?;
    Ok(into.finish())
}

/// What decoding the rows of one statement needs.
struct Decoder<'a> {
    schema: &'static Schema,
    /// The key's position in the partition's keys, for a partitioned read.
    positions: Option<HashMap<&'a Value, usize>>,
    /// The attribute holding the key, for a partition by an attribute.
    key_attribute: Option<usize>,
    /// The column of the insertion sequence, when the rows carry it.
    seq_column: Option<usize>,
    /// How many columns a row has.
    width: usize,
}

impl<'a> Decoder<'a> {
    fn new(
        schema: &'static Schema,
        columns: &Columns,
        partition: Option<&'a Partition>,
    ) -> Result<Self> {
        let with_seq = matches!(
            columns,
            Columns::AttributesAndSeq | Columns::AttributesKeyAndSeq(_)
        );
        let with_key = matches!(
            columns,
            Columns::AttributesAndKey(_) | Columns::AttributesKeyAndSeq(_)
        );
        let n = schema.attributes.len();
        let (positions, key_attribute) = match partition {
            Some(partition) => {
                let positions = group_positions(partition.keys.iter());
                // The key is the record's own attribute, or the key column.
                let key_attribute = if with_key {
                    None
                } else {
                    partition.key_attribute(schema)
                };
                if key_attribute.is_none() && !with_key {
                    return Err(Error::data_layer(format!(
                        "a partitioned read of {} returned no partition keys",
                        schema.name
                    )));
                }
                (Some(positions), key_attribute)
            }
            None => (None, None),
        };
        Ok(Decoder {
            schema,
            positions,
            key_attribute,
            seq_column: with_seq.then_some(n + usize::from(with_key)),
            width: n + usize::from(with_key) + usize::from(with_seq),
        })
    }

    /// An error unless rows of `found` columns are what the statement makes.
    fn check_width(&self, found: usize) -> Result<()> {
        if found == self.width {
            return Ok(());
        }
        Err(Error::data_layer(format!(
            "a statement for {} returned {found} columns, expected {}",
            self.schema.name, self.width
        )))
    }

    /// Decodes `pg_row` into `into`.
    #[inline]
    fn decode(&self, pg_row: &PgRow, into: &mut Collector) -> Result<()> {
        let mut row = PgColumns {
            row: pg_row,
            schema: self.schema,
        };
        let target = match (&self.positions, self.key_attribute) {
            (Some(_), Some(attribute)) => Target::Keyed {
                attribute,
                group_of: &|key: &Value| self.group_of(key),
            },
            (Some(_), None) => {
                let key = column(pg_row, self.schema.attributes.len())?;
                Target::Group(self.group_of(&key)?)
            }
            (None, _) => Target::Group(0),
        };
        into.push_postgres(target, &mut row)
    }
    /// The group of a record with partition key `key`.
    fn group_of(&self, key: &Value) -> Result<usize> {
        self.positions
            .as_ref()
            .and_then(|p| p.get(key).copied())
            .ok_or_else(|| {
                Error::data_layer(format!(
                        "a partitioned read of {} returned a record for key {key}, which was not asked for",
                        self.schema.name
                    ))
            })
    }

    /// A row's insertion sequence.
    fn sequence(&self, row: &PgRow) -> Result<i64> {
        let column = self.seq_column.unwrap_or(self.schema.attributes.len());
        row.try_get::<_, i64>(column)
            .map_err(|e| data_layer("decoding the insertion sequence", e))
    }
}

/// Rows of raw SQL as rows of `schema`: each attribute from the column of the
/// same name (extra columns are ignored; a missing one is an error even when
/// no row came back).
pub(super) fn rows_by_name(
    schema: &'static Schema,
    columns: &[Column],
    pg_rows: &[PgRow],
) -> Result<Vec<Row>> {
    let indexes = schema
        .attributes
        .iter()
        .map(|a| {
            columns
                .iter()
                .position(|c| c.name() == a.name)
                .ok_or_else(|| {
                    Error::data_layer(format!(
                        "the query returned no column `{}` for attribute `{}` of {}",
                        a.name, a.name, schema.name
                    ))
                })
        })
        .collect::<Result<Vec<usize>>>()?;
    pg_rows
        .iter()
        .map(|pg_row| {
            schema
                .attributes
                .iter()
                .zip(&indexes)
                .map(|(a, &i)| fit(schema, a, attribute_column(pg_row, i, schema, a)?))
                .collect::<Result<Row>>()
                .map_err(|e| {
                    e.of_record(|| {
                        let pk = schema.primary_key;
                        let a = &schema.attributes[pk];
                        attribute_column(pg_row, indexes[pk], schema, a).ok()
                    })
                })
        })
        .collect()
}
