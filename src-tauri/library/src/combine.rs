//! Combining several resources into a new one (a handout quoting three sources): which licences
//! the result may carry under the Creative Commons combination rules, or why none can, and the
//! attributions of every source. The new resource is a Markdown document that quotes the parts of
//! each source the teacher chose — whole sources, or sections by their headings — ready to be
//! edited further, and ends with the credits.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use ts_rs::TS;

use commonplace_licence::{Attribution, Combination};

use crate::catalog::now_ms;
use crate::editing::EditorMode;
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

/// A part of a source that can be quoted on its own: the text before its first heading, or a
/// heading with everything under it, up to the next heading of the same or a higher level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    /// What to pass back to choose it.
    pub index: u32,
    /// The heading's text; empty for the text before the first heading (or a whole plain text).
    pub heading: String,
    /// 1 to 6 for a heading (`#` to `######`); 0 for text before the first heading.
    pub level: u8,
    pub bytes: u64,
}

/// What can be quoted from one source of a combination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceOutline {
    pub id: String,
    pub title: String,
    /// Empty when the source is not text: it is then named, not quoted.
    pub sections: Vec<Section>,
}

impl Library {
    /// The sections each of `ids` offers for quoting in a combination.
    pub fn combination_outline(&self, ids: &[String]) -> Result<Vec<SourceOutline>> {
        ids.iter()
            .map(|id| {
                let resource = self.resource(id)?;
                let sections = match self.editable_text(id) {
                    Ok(editable) => outline(&editable.text, editable.mode)
                        .into_iter()
                        .map(|(section, _)| section)
                        .collect(),
                    Err(_) => Vec::new(),
                };
                Ok(SourceOutline { id: id.clone(), title: resource.metadata.title, sections })
            })
            .collect()
    }

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
    /// combination allows; the suggested one when `None`). A source listed in `sections` is quoted
    /// in those sections only (indexes from [`Library::combination_outline`]); the others whole.
    pub fn combine(
        &self,
        ids: &[String],
        sections: &HashMap<String, Vec<u32>>,
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
                    let parts = outline(&editable.text, editable.mode);
                    let chosen: Vec<Range<usize>> = match sections.get(id) {
                        Some(indexes) => {
                            if let Some(unknown) = indexes
                                .iter()
                                .find(|index| usize::try_from(**index).map_or(true, |i| i >= parts.len()))
                            {
                                return Err(Error::InvalidField {
                                    field: "sections".to_owned(),
                                    value: unknown.to_string(),
                                    reason: format!(
                                        "\"{}\" has {} sections, numbered from 0",
                                        resource.metadata.title,
                                        parts.len()
                                    ),
                                });
                            }
                            indexes
                                .iter()
                                .filter_map(|index| parts.get(*index as usize))
                                .map(|(_, range)| range.clone())
                                .collect()
                        }
                        None => parts.iter().map(|(_, range)| range.clone()).collect(),
                    };
                    quote(&mut document, &editable.text, &chosen, &resource.file_name);
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

        let _adding = self.adding_objects();
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

/// The sections of a text, each with the bytes it covers. Markdown is cut at its headings (front
/// matter is left out); HTML and plain text are one section.
pub(crate) fn outline(text: &str, mode: EditorMode) -> Vec<(Section, Range<usize>)> {
    let body_start = match mode {
        EditorMode::Markdown => {
            crate::extract::markdown::split_front_matter(text).map_or(0, |(_, body)| text.len() - body.len())
        }
        _ => 0,
    };
    let whole = |heading: String| Section { index: 0, heading, level: 0, bytes: 0 };
    let mut found: Vec<(Section, usize)> = Vec::new();
    if mode == EditorMode::Markdown {
        let body = &text[body_start..];
        let mut open: Option<(u8, usize, String)> = None;
        for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    open = Some((level as u8, body_start + range.start, String::new()));
                }
                Event::Text(piece) | Event::Code(piece) => {
                    if let Some((_, _, heading)) = &mut open {
                        heading.push_str(&piece);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, start, heading)) = open.take() {
                        let heading = crate::metadata::clean(&heading);
                        found.push((Section { index: 0, heading, level, bytes: 0 }, start));
                    }
                }
                _ => {}
            }
        }
    }
    let mut sections = Vec::new();
    let first_heading = found.first().map_or(text.len(), |(_, start)| *start);
    if text[body_start..first_heading].trim().is_empty() {
        // Nothing before the first heading worth a section of its own.
    } else {
        sections.push((whole(String::new()), body_start..first_heading));
    }
    for (position, (section, start)) in found.iter().enumerate() {
        let end = found[position + 1..]
            .iter()
            .find(|(next, _)| next.level <= section.level)
            .map_or(text.len(), |(_, next_start)| *next_start);
        sections.push((section.clone(), *start..end));
    }
    for (index, (section, range)) in sections.iter_mut().enumerate() {
        section.index = u32::try_from(index).unwrap_or(u32::MAX);
        section.bytes = range.len() as u64;
    }
    sections
}

/// Quotes the parts of `text` covered by `ranges` (overlaps counted once, in the text's order) as a
/// Markdown block quote, at most [`MAX_QUOTED_BYTES`] of it.
fn quote(document: &mut String, text: &str, ranges: &[Range<usize>], file_name: &str) {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut quoted = 0;
    for (position, range) in merged.iter().enumerate() {
        if position > 0 {
            document.push_str(">\n> …\n>\n");
        }
        let mut end = range.end.min(range.start + MAX_QUOTED_BYTES.saturating_sub(quoted));
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        for line in text[range.start..end].trim_end().lines() {
            document.push_str(if line.is_empty() { ">" } else { "> " });
            document.push_str(line);
            document.push('\n');
        }
        quoted += end - range.start;
        if end < range.end {
            document.push_str(&format!(">\n> (The rest is in {file_name}.)\n"));
            break;
        }
    }
    document.push('\n');
}
