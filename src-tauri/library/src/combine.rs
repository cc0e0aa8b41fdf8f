//! Combining several resources into a new one (a handout quoting three sources): which licences
//! the result may carry under the Creative Commons combination rules, or why none can, and the
//! attributions of every source. The new resource is a Markdown document that starts with the
//! sources' text quoted, ready to be cut down in the editor, and ends with the credits.

use serde::Serialize;
use ts_rs::TS;

use commonplace_licence::{Attribution, Combination};

use crate::catalog::now_ms;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::lineage::{
    AttributionLine, LicenceChoice, Provenance, attribution_of, insert_provenance, provenance_of,
    stored_licence,
};
use crate::metadata::{Field, FieldSource, Metadata};
use crate::resources::{ResourceDetails, set_head};
use crate::revision::Revision;

/// Text of a source quoted into a new combination, at most; the rest is left to the source.
const MAX_QUOTED_BYTES: usize = 64 * 1024;

/// Whether some resources may be combined into one shared work, and under what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CombinationCheck {
    pub possible: bool,
    /// Why not, in plain English; empty when possible.
    pub reason: String,
    pub allowed: Vec<LicenceChoice>,
    pub suggested: Option<String>,
    /// The credit owed to each source, in the order given.
    pub attributions: Vec<AttributionLine>,
}

impl Library {
    pub fn check_combination(&self, ids: &[String]) -> Result<CombinationCheck> {
        let mut licences = Vec::new();
        let mut attributions = Vec::new();
        for id in ids {
            let resource = self.resource(id)?;
            licences.push(stored_licence(&resource.metadata.licence));
            attributions.push(AttributionLine::from(&attribution_of(&resource.metadata, true)));
        }
        Ok(match commonplace_licence::combine(&licences) {
            Combination::Possible { allowed } => CombinationCheck {
                possible: true,
                reason: String::new(),
                suggested: allowed
                    .iter()
                    .find(|choice| choice.recommended)
                    .or(allowed.first())
                    .map(|choice| choice.licence.spdx_id().into_owned()),
                allowed: allowed
                    .iter()
                    .map(|choice| LicenceChoice {
                        id: choice.licence.spdx_id().into_owned(),
                        recommended: choice.recommended,
                    })
                    .collect(),
                attributions,
            },
            Combination::Impossible { conflict } => CombinationCheck {
                possible: false,
                reason: conflict.message(),
                allowed: Vec::new(),
                suggested: None,
                attributions,
            },
        })
    }

    /// Makes a new Markdown resource titled `title` that combines `ids`, under `licence` (one the
    /// combination allows; the suggested one when `None`).
    pub fn combine(
        &self,
        ids: &[String],
        title: &str,
        licence: Option<&str>,
        author: &str,
    ) -> Result<ResourceDetails> {
        if ids.len() < 2 {
            return Err(Error::InvalidField {
                field: "resources".to_owned(),
                value: ids.join(", "),
                reason: "choose at least two resources to combine".to_owned(),
            });
        }
        let check = self.check_combination(ids)?;
        if !check.possible {
            return Err(Error::CombinationImpossible { reason: check.reason });
        }
        let chosen = match licence {
            Some(wanted) => crate::licence::parse_user_value(wanted)?,
            None => check.suggested.clone().unwrap_or_default(),
        };
        if !check.allowed.iter().any(|choice| choice.id == chosen) {
            let allowed: Vec<&str> = check.allowed.iter().map(|choice| choice.id.as_str()).collect();
            return Err(Error::LicenceNotAllowed {
                licence: chosen,
                reason: format!("a combination of these resources may carry only {}", allowed.join(", ")),
            });
        }
        let title = crate::metadata::clean(title);
        let title = if title.is_empty() { "Combined handout".to_owned() } else { title };

        let mut document = format!("# {title}\n\n");
        let mut sources = Vec::new();
        for id in ids {
            let resource = self.resource(id)?;
            document.push_str(&format!("## From “{}”\n\n", resource.metadata.title));
            match self.editable_text(id) {
                Ok(editable) => {
                    let mut end = editable.text.len().min(MAX_QUOTED_BYTES);
                    while !editable.text.is_char_boundary(end) {
                        end -= 1;
                    }
                    for line in editable.text[..end].lines() {
                        document.push_str(if line.is_empty() { ">" } else { "> " });
                        document.push_str(line);
                        document.push('\n');
                    }
                    document.push('\n');
                }
                Err(_) => document.push_str(&format!("(See {}.)\n\n", resource.file_name)),
            }
            sources.push(resource);
        }
        document.push_str("## Sources\n\n");
        for line in &check.attributions {
            document.push_str(&format!("- {}\n", line.text));
        }
        document.push_str(&format!("\nThis combination is licensed under {chosen}.\n"));

        let stored =
            self.store.put(std::io::Cursor::new(document.as_bytes()), std::path::Path::new("combined.md"))?;
        let mut metadata = Metadata {
            title: title.clone(),
            licence: chosen,
            creators: vec![author.to_owned()].into_iter().filter(|name| !name.is_empty()).collect(),
            language: sources.first().map(|source| source.metadata.language.clone()).unwrap_or_default(),
            ..Metadata::default()
        };
        for field in [Field::Title, Field::Licence, Field::Creators] {
            metadata.sources.insert(field, FieldSource::User);
        }
        let now = now_ms();
        let revision = Revision {
            parents: Vec::new(),
            object: stored.id,
            size: stored.size,
            file_name: format!("{}.md", crate::resources::portable_file_name(&title)),
            media_type: "text/markdown".to_owned(),
            metadata,
            author: author.to_owned(),
            created_at: now,
            message: format!("Combined {} resources", sources.len()),
        };
        let id = uuid::Uuid::new_v4().to_string();
        self.catalog.transaction(|transaction| {
            set_head(transaction, &id, &revision, Some(&document))?;
            for (position, source) in sources.iter().enumerate() {
                let mut chain: Vec<Attribution> = vec![attribution_of(&source.metadata, true)];
                chain.extend(
                    provenance_of(transaction, &source.id)?.into_iter().flat_map(|row| row.attributions),
                );
                insert_provenance(
                    transaction,
                    &id,
                    &Provenance {
                        source_resource_id: source.id.clone(),
                        source_revision: source.head.clone(),
                        origin: "library".to_owned(),
                        origin_label: String::new(),
                        attributions: chain,
                        position: i64::try_from(position).unwrap_or(i64::MAX),
                        created_at: now,
                    },
                )?;
            }
            Ok(())
        })?;
        self.resource(&id)
    }
}
