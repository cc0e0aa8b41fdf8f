//! Three-way merge of a resource's metadata (title, description, subjects, licence, …), field by
//! field.
//!
//! A field is a top-level key; its value is compared as a whole, so an object or a list changed on
//! both sides is one conflict rather than a merge of its parts. That keeps every conflict something a
//! person can read as "this field": a list of subjects merged element by element could come out in an
//! order neither side wrote. A field missing from a version counts as a value of its own, so
//! deleting a field is a change like any other.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};

/// Metadata as the merge sees it: field names and JSON values.
pub type Metadata = BTreeMap<String, Value>;

/// The result of [`merge_metadata`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MetadataMerge {
    /// Every field that merged cleanly. Fields in conflict are not here until [`finish`] puts in
    /// their resolutions.
    ///
    /// [`finish`]: MetadataMerge::finish
    #[ts(type = "Record<string, unknown>")]
    pub merged: Metadata,
    /// The fields both sides changed differently, by field name.
    pub conflicts: Vec<FieldConflict>,
}

/// A field both sides changed differently. Each value is `None` where that version does not have the
/// field (serialised by leaving the key out, so a missing field and a JSON `null` stay different).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldConflict {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[ts(type = "unknown", optional)]
    pub base: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[ts(type = "unknown", optional)]
    pub ours: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[ts(type = "unknown", optional)]
    pub theirs: Option<Value>,
    /// How a person settled it; `None` while it is open.
    pub resolution: Option<FieldResolution>,
}

/// How a field conflict is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FieldResolution {
    /// Keep our value, or our deletion of the field.
    Ours,
    /// Keep their value, or their deletion of the field.
    Theirs,
    /// Use this value.
    Custom {
        #[ts(type = "unknown")]
        value: Value,
    },
}

/// Reads a key that is present as `Some`, even when its value is `null`; a missing key becomes
/// `None` through `#[serde(default)]`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// Merges metadata field by field: a field one side changed takes that side's value, a field both
/// changed alike takes it once, and a field both changed differently is a [`FieldConflict`].
pub fn merge_metadata(base: &Metadata, ours: &Metadata, theirs: &Metadata) -> MetadataMerge {
    let fields: BTreeSet<&String> = base.keys().chain(ours.keys()).chain(theirs.keys()).collect();
    let mut merge = MetadataMerge::default();
    for field in fields {
        let (base_value, ours_value, theirs_value) = (base.get(field), ours.get(field), theirs.get(field));
        let merged = if ours_value == theirs_value || theirs_value == base_value {
            ours_value
        } else if ours_value == base_value {
            theirs_value
        } else {
            merge.conflicts.push(FieldConflict {
                field: field.clone(),
                base: base_value.cloned(),
                ours: ours_value.cloned(),
                theirs: theirs_value.cloned(),
                resolution: None,
            });
            continue;
        };
        if let Some(value) = merged {
            merge.merged.insert(field.clone(), value.clone());
        }
    }
    merge
}

impl MetadataMerge {
    pub fn is_finished(&self) -> bool {
        self.conflicts.iter().all(|conflict| conflict.resolution.is_some())
    }

    /// Settles the conflict on `field`, replacing any earlier resolution.
    pub fn resolve(&mut self, field: &str, resolution: FieldResolution) -> Result<()> {
        let conflict = self
            .conflicts
            .iter_mut()
            .find(|conflict| conflict.field == field)
            .ok_or_else(|| Error::NoFieldConflict { field: field.to_owned() })?;
        conflict.resolution = Some(resolution);
        Ok(())
    }

    /// The merged metadata with every conflict's resolution in it. Fails, naming the fields, while
    /// any conflict is open.
    pub fn finish(&self) -> Result<Metadata> {
        let unresolved: Vec<String> = self
            .conflicts
            .iter()
            .filter(|conflict| conflict.resolution.is_none())
            .map(|conflict| conflict.field.clone())
            .collect();
        if !unresolved.is_empty() {
            return Err(Error::UnresolvedFields { fields: unresolved });
        }
        let mut finished = self.merged.clone();
        for conflict in &self.conflicts {
            let value = match &conflict.resolution {
                Some(FieldResolution::Ours) => conflict.ours.clone(),
                Some(FieldResolution::Theirs) => conflict.theirs.clone(),
                Some(FieldResolution::Custom { value }) => Some(value.clone()),
                None => None,
            };
            if let Some(value) = value {
                finished.insert(conflict.field.clone(), value);
            }
        }
        Ok(finished)
    }
}
