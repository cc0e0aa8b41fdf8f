//! Where resources come from and what was made of them (DESIGN §5, §6): "make my own copy" (a
//! fork) with the licence gate, the provenance it records, the attribution owed — which says that
//! changes were made once the copy differs from its source — and the remixes a resource has in
//! this library.
//!
//! The licence decisions are `commonplace-licence`'s; this module applies them: a NoDerivatives
//! work cannot be copied for adapting at all, an unknown or all-rights-reserved one only as a
//! private copy under the same terms, and any other copy carries one of exactly the licences its
//! source allows.

use commonplace_licence::{Adaptation, Attribution, Combination, Licence, NotShareableReason};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::now_ms;
use crate::error::{Error, Result};
use crate::graph;
use crate::library::Library;
use crate::metadata::{Field, FieldSource, Metadata};
use crate::resources::{ResourceDetails, set_head};
use crate::revision::Revision;

/// Whether a copy of a resource may be made and shared, and under which licences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForkCheck {
    pub resource_id: String,
    pub title: String,
    /// The source's licence, as an SPDX id or `unknown`, `all-rights-reserved`, `public-domain`.
    pub source_licence: String,
    pub verdict: ForkVerdict,
    /// Why a copy is refused or private, in plain English (the UI translates by `verdict` and
    /// `reasonCode`); empty when a shareable copy may be made.
    pub reason: String,
    pub reason_code: Option<NotShareableCode>,
    /// The licences the copy may carry, recommended ones marked; empty unless shareable.
    pub allowed: Vec<LicenceChoice>,
    /// The licence offered first: the source's own when allowed.
    pub suggested: Option<String>,
    /// The credit owed to the source (TASL), as the copy will show it.
    pub attribution: AttributionLine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ForkVerdict {
    /// A copy may be made and shared under one of the allowed licences.
    Shareable,
    /// A copy may be made for private use only, under the source's terms.
    PrivateOnly,
    /// The licence allows no adapted copy to be shared (NoDerivatives).
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NotShareableCode {
    NoDerivatives,
    Unknown,
    AllRightsReserved,
}

impl From<NotShareableReason> for NotShareableCode {
    fn from(reason: NotShareableReason) -> Self {
        match reason {
            NotShareableReason::NoDerivatives => NotShareableCode::NoDerivatives,
            NotShareableReason::Unknown => NotShareableCode::Unknown,
            NotShareableReason::AllRightsReserved => NotShareableCode::AllRightsReserved,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LicenceChoice {
    pub id: String,
    pub recommended: bool,
}

/// One credit (TASL: title, author, source, licence) as the window shows it: the parts to build
/// links from, and the whole sentence to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttributionLine {
    pub title: String,
    pub authors: Vec<String>,
    pub source_url: String,
    pub licence: String,
    pub changes_made: bool,
    /// The sentence, e.g. `"Fractions" by Ana Souza is licensed under CC BY 4.0 (https://…).`
    pub text: String,
}

impl From<&Attribution> for AttributionLine {
    fn from(attribution: &Attribution) -> Self {
        Self {
            title: attribution.title.clone().unwrap_or_default(),
            authors: attribution.authors.clone(),
            source_url: attribution.source_url.clone().unwrap_or_default(),
            licence: attribution.licence.spdx_id().into_owned(),
            changes_made: attribution.changes_made,
            text: attribution.text(),
        }
    }
}

/// Where a resource came from and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Lineage {
    pub resource_id: String,
    /// What it was copied from (one), or the works it combines (several); empty for an original.
    pub sources: Vec<LineageSource>,
    /// Its content differs from what it was copied from.
    pub changes_made: bool,
    /// Every credit owed, nearest first: its sources, then what they were adapted from.
    pub attributions: Vec<AttributionLine>,
    /// The copies of it this library knows of.
    pub copies: Vec<RelatedResource>,
    /// What changes could be brought in from: its source, its copies, other copies of its source,
    /// and versions of it that arrived in bundles.
    pub merge_candidates: Vec<MergeCandidate>,
    /// Which licences it may carry, given where it came from.
    pub terms: LicenceTerms,
    /// How it reached this library, when it came from another one.
    pub arrival: Option<Arrival>,
}

/// How a resource reached this library from another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Arrival {
    /// `bundle` or `conversation`.
    pub origin: String,
    /// The bundle's file name, or who shared it.
    pub origin_label: String,
    pub arrived_at: i64,
}

/// Which licences a resource may carry, given where it came from. A copy stays within what its
/// source allows an adaptation to be, and a private copy keeps its source's terms for good: editing
/// its licence, or its content's own licence statement, cannot make it shareable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum LicenceTerms {
    /// An original: its licence is whatever its rights holder says.
    Original,
    /// A copy or a combination: one of these.
    Limited { allowed: Vec<LicenceChoice> },
    /// A private copy of material whose licence does not allow sharing adaptations. It keeps
    /// `licence`, the source's; `reason` says why, in plain words, for the warning it carries.
    Private { licence: String, reason: String },
}

impl LicenceTerms {
    /// Whether the resource may carry `licence` (an SPDX id as stored).
    pub fn allows(&self, licence: &str) -> bool {
        match self {
            LicenceTerms::Original => true,
            LicenceTerms::Limited { allowed } => allowed.iter().any(|choice| choice.id == licence),
            LicenceTerms::Private { licence: kept, .. } => kept == licence,
        }
    }

    /// Why `licence` is not allowed, for an error message; `title` names the resource.
    pub fn refusal(&self, title: &str) -> String {
        match self {
            LicenceTerms::Original => String::new(),
            LicenceTerms::Limited { allowed } => {
                let ids: Vec<&str> = allowed.iter().map(|choice| choice.id.as_str()).collect();
                format!("\"{title}\" is adapted from other works and may carry only {}", ids.join(", "))
            }
            LicenceTerms::Private { licence, reason } => {
                format!("\"{title}\" is a private copy and keeps its source's terms ({licence}): {reason}")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineageSource {
    pub resource_id: String,
    pub revision: String,
    pub title: String,
    /// `library`, `bundle` or `conversation`.
    pub origin: String,
    pub origin_label: String,
    /// The source is still in this library (not deleted for good).
    pub available: bool,
    pub copied_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RelatedResource {
    pub id: String,
    pub title: String,
    pub licence: String,
    pub in_trash: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeCandidate {
    /// What to pass as `from` to a merge: a resource id, or a revision id for an incoming version.
    pub from: String,
    pub title: String,
    pub relation: MergeRelation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MergeRelation {
    /// The resource this one was copied from.
    Source,
    /// What its source was copied from, further back, up to the original.
    Ancestor,
    /// A copy of this resource.
    Copy,
    /// Another copy of the same source, or of a source further back.
    Sibling,
    /// Another version of this same resource: one that arrived in a bundle or a conversation,
    /// or edits saved from an older version whose merge was left.
    Incoming,
}

/// A provenance row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Provenance {
    pub source_resource_id: String,
    pub source_revision: String,
    pub origin: String,
    pub origin_label: String,
    pub attributions: Vec<Attribution>,
    pub position: i64,
    pub created_at: i64,
}

impl Library {
    /// What the licence of `id` allows a copy of it to be.
    pub fn check_fork(&self, id: &str) -> Result<ForkCheck> {
        let resource = self.resource(id)?;
        let licence = stored_licence(&resource.metadata.licence);
        let attribution = AttributionLine::from(&attribution_of(&resource.metadata, false));
        let mut check = ForkCheck {
            resource_id: resource.id.clone(),
            title: resource.metadata.title.clone(),
            source_licence: licence.spdx_id().into_owned(),
            verdict: ForkVerdict::Shareable,
            reason: String::new(),
            reason_code: None,
            allowed: Vec::new(),
            suggested: None,
            attribution,
        };
        match commonplace_licence::adaptation(&licence) {
            Adaptation::Shareable { allowed } => {
                check.allowed = allowed
                    .iter()
                    .map(|choice| LicenceChoice {
                        id: choice.licence.spdx_id().into_owned(),
                        recommended: choice.recommended,
                    })
                    .collect();
                let own = allowed.iter().find(|choice| choice.licence == licence);
                let first = allowed.iter().find(|choice| choice.recommended).or(allowed.first());
                check.suggested = own.or(first).map(|choice| choice.licence.spdx_id().into_owned());
            }
            Adaptation::NotShareable { reason } => {
                check.verdict = if reason == NotShareableReason::NoDerivatives {
                    ForkVerdict::Refused
                } else {
                    ForkVerdict::PrivateOnly
                };
                check.reason = reason.message().to_owned();
                check.reason_code = Some(reason.into());
            }
        }
        Ok(check)
    }

    /// Makes a new resource that is the user's own copy of `id`, carrying `licence` (one its source
    /// allows; the suggested one when `None`). A private copy of unknown or all-rights-reserved
    /// material keeps the source's licence; a NoDerivatives work is refused with the reason.
    pub fn fork(&self, id: &str, licence: Option<&str>, author: &str) -> Result<ResourceDetails> {
        let check = self.check_fork(id)?;
        let chosen = match check.verdict {
            ForkVerdict::Refused => {
                return Err(Error::ForkRefused { title: check.title, reason: check.reason });
            }
            ForkVerdict::PrivateOnly => match licence.map(crate::licence::parse_user_value) {
                Some(Ok(wanted)) if wanted != check.source_licence => {
                    return Err(Error::LicenceNotAllowed {
                        licence: wanted,
                        reason: format!(
                            "a copy of \"{}\" can only be private, under its own terms: {}",
                            check.title, check.reason
                        ),
                    });
                }
                Some(Err(error)) => return Err(error),
                _ => check.source_licence.clone(),
            },
            ForkVerdict::Shareable => {
                let wanted = match licence {
                    Some(wanted) => crate::licence::parse_user_value(wanted)?,
                    None => check.suggested.clone().unwrap_or_else(|| check.source_licence.clone()),
                };
                if !check.allowed.iter().any(|choice| choice.id == wanted) {
                    let allowed: Vec<&str> = check.allowed.iter().map(|choice| choice.id.as_str()).collect();
                    return Err(Error::LicenceNotAllowed {
                        licence: wanted,
                        reason: format!(
                            "a copy of \"{}\" ({}) may carry only {}",
                            check.title,
                            check.source_licence,
                            allowed.join(", ")
                        ),
                    });
                }
                wanted
            }
        };

        // The copy's revision refers to the source's object, which may be in the trash.
        let _adding = self.adding_objects();
        let source = self.resource(id)?;
        let mut metadata = source.metadata.clone();
        if metadata.licence != chosen {
            metadata.licence = chosen;
            metadata.sources.insert(Field::Licence, FieldSource::User);
        }
        let now = now_ms();
        let revision = Revision {
            parents: vec![source.head.clone()],
            object: source.object,
            size: source.size,
            file_name: source.file_name.clone(),
            media_type: source.media_type.clone(),
            metadata,
            author: author.to_owned(),
            created_at: now,
            message: format!("Made my own copy of \"{}\"", source.metadata.title),
        };
        let copy_id = uuid::Uuid::new_v4().to_string();
        self.catalog.transaction(|transaction| {
            // A copy of something that came from elsewhere says where: a bundle, a conversation.
            let (origin, origin_label) = match arrival_of(transaction, id)? {
                Some(arrival) => (arrival.origin, arrival.origin_label),
                None => ("library".to_owned(), String::new()),
            };
            let mut chain = vec![attribution_of(&source.metadata, has_provenance(transaction, id)?)];
            chain.extend(provenance_of(transaction, id)?.into_iter().flat_map(|row| row.attributions));
            let body = body_of(transaction, id)?;
            set_head(transaction, &copy_id, &revision, Some(&body))?;
            insert_provenance(
                transaction,
                &copy_id,
                &Provenance {
                    source_resource_id: source.id.clone(),
                    source_revision: source.head.clone(),
                    origin,
                    origin_label,
                    attributions: chain,
                    position: 0,
                    created_at: now,
                },
            )
        })?;
        tracing::info!(source = id, copy = %copy_id, "copy made");
        self.resource(&copy_id)
    }

    /// Which licences `id` may carry, given where it came from.
    pub fn licence_terms(&self, id: &str) -> Result<LicenceTerms> {
        self.catalog.read(|connection| licence_terms(connection, &provenance_of(connection, id)?))
    }

    /// Where `id` came from, the credits it owes, its copies and what it could merge with.
    pub fn lineage(&self, id: &str) -> Result<Lineage> {
        let resource = self.resource(id)?;
        self.catalog.read(|connection| {
            let rows = provenance_of(connection, id)?;
            let mut sources = Vec::new();
            let mut attributions = Vec::new();
            let mut changes_made = false;
            for row in &rows {
                let source_revision = graph::load(connection, &row.source_revision)?;
                let diverged = source_revision.as_ref().is_none_or(|source| source.object != resource.object);
                changes_made |= diverged;
                let available: Option<String> = connection
                    .query_row(
                        "SELECT title FROM resources WHERE id = ?1",
                        [&row.source_resource_id],
                        |found| found.get(0),
                    )
                    .optional()?;
                sources.push(LineageSource {
                    resource_id: row.source_resource_id.clone(),
                    revision: row.source_revision.clone(),
                    title: row
                        .attributions
                        .first()
                        .and_then(|first| first.title.clone())
                        .or_else(|| available.clone())
                        .unwrap_or_default(),
                    origin: row.origin.clone(),
                    origin_label: row.origin_label.clone(),
                    available: available.is_some(),
                    copied_at: row.created_at,
                });
                for (index, attribution) in row.attributions.iter().enumerate() {
                    let mut attribution = attribution.clone();
                    if index == 0 {
                        // The nearest credit says whether this copy changed what it credits.
                        attribution.changes_made = diverged || rows.len() > 1;
                    }
                    attributions.push(AttributionLine::from(&attribution));
                }
            }
            let copies = related(
                connection,
                "SELECT r.id, r.title, r.licence, r.trashed_at IS NOT NULL FROM provenance p
                 JOIN resources r ON r.id = p.resource_id WHERE p.source_resource_id = ?1 ORDER BY r.title, r.id",
                [id],
            )?;
            let mut merge_candidates = family(connection, id)?;
            let mut statement = connection.prepare_cached(
                "SELECT revision_id, origin_label FROM incoming_heads WHERE resource_id = ?1 ORDER BY received_at",
            )?;
            let incoming = statement
                .query_map([id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            merge_candidates.extend(incoming.into_iter().map(|(revision, label)| MergeCandidate {
                from: revision,
                title: label,
                relation: MergeRelation::Incoming,
            }));
            let terms = licence_terms(connection, &rows)?;
            let arrival = arrival_of(connection, id)?;
            Ok(Lineage {
                resource_id: id.to_owned(),
                sources,
                changes_made,
                attributions,
                copies,
                merge_candidates,
                terms,
                arrival,
            })
        })
    }
}

/// Which licences a resource with these provenance rows may carry. A source's licence is read both
/// as it was when the copy was made and as the library knows it now: a licence cannot be taken
/// back, and a source whose unknown licence was found to be open frees its copies too.
pub(crate) fn licence_terms(connection: &Connection, rows: &[Provenance]) -> rusqlite::Result<LicenceTerms> {
    if rows.is_empty() {
        return Ok(LicenceTerms::Original);
    }
    let mut readings: Vec<Vec<Licence>> = Vec::new();
    for row in rows {
        let mut known = Vec::new();
        if let Some(recorded) = row.attributions.first() {
            known.push(recorded.licence);
        }
        let current: Option<String> = connection
            .query_row("SELECT licence FROM resources WHERE id = ?1", [&row.source_resource_id], |found| {
                found.get(0)
            })
            .optional()?;
        if let Some(current) = current {
            let current = stored_licence(&current);
            if !known.contains(&current) {
                known.push(current);
            }
        }
        if known.is_empty() {
            known.push(Licence::Unknown);
        }
        readings.push(known);
    }
    // Every way of reading the sources' licences; what any of them allows is allowed.
    let mut allowed: Vec<LicenceChoice> = Vec::new();
    let mut refusal = None;
    for combination in readings_product(&readings) {
        let (choices, reason) = if let [single] = combination.as_slice() {
            match commonplace_licence::adaptation(single) {
                Adaptation::Shareable { allowed } => (allowed, None),
                Adaptation::NotShareable { reason } => {
                    (Vec::new(), Some((*single, reason.message().to_owned())))
                }
            }
        } else {
            match commonplace_licence::combine(&combination) {
                Combination::Possible { allowed } => (allowed, None),
                Combination::Impossible { conflict } => {
                    (Vec::new(), Some((combination[0], conflict.message())))
                }
            }
        };
        for choice in choices {
            let id = choice.licence.spdx_id().into_owned();
            if !allowed.iter().any(|known| known.id == id) {
                allowed.push(LicenceChoice { id, recommended: choice.recommended });
            }
        }
        refusal = refusal.or(reason);
    }
    Ok(match (allowed.is_empty(), refusal) {
        (false, _) => LicenceTerms::Limited { allowed },
        (true, Some((licence, reason))) => {
            LicenceTerms::Private { licence: licence.spdx_id().into_owned(), reason }
        }
        (true, None) => LicenceTerms::Private {
            licence: Licence::Unknown.spdx_id().into_owned(),
            reason: NotShareableReason::Unknown.message().to_owned(),
        },
    })
}

/// Every choice of one licence per source, from the readings of each (at most two each).
fn readings_product(readings: &[Vec<Licence>]) -> Vec<Vec<Licence>> {
    readings.iter().fold(vec![Vec::new()], |partial, options| {
        partial
            .iter()
            .flat_map(|prefix| {
                options.iter().map(move |option| {
                    let mut next = prefix.clone();
                    next.push(*option);
                    next
                })
            })
            // A combination of many sources stays bounded: beyond this, the recorded readings alone.
            .take(64)
            .collect()
    })
}

/// The licence a stored id names; ids the catalog holds were normalised on the way in, so anything
/// unreadable is treated as unknown, the cautious answer.
pub(crate) fn stored_licence(id: &str) -> Licence {
    Licence::from_spdx_id(id).unwrap_or(Licence::Unknown)
}

/// The TASL credit for a work with this metadata.
pub(crate) fn attribution_of(metadata: &Metadata, changes_made: bool) -> Attribution {
    let non_empty = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
    Attribution {
        title: non_empty(&metadata.title),
        authors: metadata.creators.clone(),
        source_url: non_empty(&metadata.source_url),
        licence: stored_licence(&metadata.licence),
        changes_made,
    }
}

fn arrival_of(connection: &Connection, id: &str) -> rusqlite::Result<Option<Arrival>> {
    connection
        .query_row(
            "SELECT origin, origin_label, arrived_at FROM arrivals WHERE resource_id = ?1",
            [id],
            |row| Ok(Arrival { origin: row.get(0)?, origin_label: row.get(1)?, arrived_at: row.get(2)? }),
        )
        .optional()
}

fn has_provenance(connection: &Connection, id: &str) -> rusqlite::Result<bool> {
    connection
        .query_row("SELECT EXISTS (SELECT 1 FROM provenance WHERE resource_id = ?1)", [id], |row| row.get(0))
}

/// The indexed body text of a resource, so a copy is searchable at once without extracting again.
fn body_of(connection: &Connection, id: &str) -> rusqlite::Result<String> {
    connection
        .query_row(
            "SELECT t.body FROM resource_text t JOIN resources r ON r.key = t.rowid WHERE r.id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()
        .map(Option::unwrap_or_default)
}

pub(crate) fn provenance_of(connection: &Connection, id: &str) -> rusqlite::Result<Vec<Provenance>> {
    let mut statement = connection.prepare_cached(
        "SELECT source_resource_id, source_revision, origin, origin_label, attributions, position, created_at
         FROM provenance WHERE resource_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([id], |row| {
        let attributions: String = row.get(4)?;
        Ok(Provenance {
            source_resource_id: row.get(0)?,
            source_revision: row.get(1)?,
            origin: row.get(2)?,
            origin_label: row.get(3)?,
            // A damaged credit list must not hide the rest of the lineage; it reads as empty.
            attributions: serde_json::from_str(&attributions).unwrap_or_default(),
            position: row.get(5)?,
            created_at: row.get(6)?,
        })
    })?;
    rows.collect()
}

pub(crate) fn insert_provenance(
    transaction: &Transaction<'_>,
    resource_id: &str,
    provenance: &Provenance,
) -> rusqlite::Result<()> {
    let attributions = serde_json::to_string(&provenance.attributions).unwrap_or_else(|_| "[]".to_owned());
    transaction.execute(
        "INSERT OR REPLACE INTO provenance
             (resource_id, source_resource_id, source_revision, origin, origin_label, attributions, position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            resource_id,
            provenance.source_resource_id,
            provenance.source_revision,
            provenance.origin,
            provenance.origin_label,
            attributions,
            provenance.position,
            provenance.created_at
        ],
    )?;
    Ok(())
}

/// The resources that share history with `id` through copies, nearest first: what it was copied
/// from and what that was copied from, back to the original; its copies and their copies; and the
/// other copies of each of its sources. Combinations share no single history with their sources
/// and end the walk up. Resources in the trash are left out.
fn family(connection: &Connection, id: &str) -> rusqlite::Result<Vec<MergeCandidate>> {
    use std::collections::{HashSet, VecDeque};
    let single_source = |resource: &str| -> rusqlite::Result<Option<String>> {
        let rows = provenance_of(connection, resource)?;
        Ok(match rows.as_slice() {
            [only] => Some(only.source_resource_id.clone()),
            _ => None,
        })
    };
    let copies_of = |resource: &str| {
        related(
            connection,
            "SELECT r.id, r.title, r.licence, r.trashed_at IS NOT NULL FROM provenance p
             JOIN resources r ON r.id = p.resource_id WHERE p.source_resource_id = ?1
             AND (SELECT COUNT(*) FROM provenance q WHERE q.resource_id = p.resource_id) = 1
             ORDER BY r.title, r.id",
            [resource],
        )
    };
    let find = |resource: &str| {
        related(
            connection,
            "SELECT id, title, licence, trashed_at IS NOT NULL FROM resources WHERE id = ?1",
            [resource],
        )
        .map(|mut found| found.pop())
    };
    let mut seen: HashSet<String> = HashSet::from([id.to_owned()]);
    let mut candidates = Vec::new();
    let mut add = |resource: RelatedResource, relation: MergeRelation, seen: &mut HashSet<String>| {
        if seen.insert(resource.id.clone()) && !resource.in_trash {
            candidates.push(MergeCandidate { from: resource.id, title: resource.title, relation });
        }
    };
    // Up: the sources, each with its other copies.
    let mut ancestors = Vec::new();
    let mut current = id.to_owned();
    while let Some(source) = single_source(&current)? {
        if ancestors.contains(&source) || source == id {
            break;
        }
        ancestors.push(source.clone());
        current = source;
    }
    for (depth, ancestor) in ancestors.iter().enumerate() {
        if let Some(found) = find(ancestor)? {
            let relation = if depth == 0 { MergeRelation::Source } else { MergeRelation::Ancestor };
            add(found, relation, &mut seen);
        } else {
            // Deleted for good: its other copies are still family.
            seen.insert(ancestor.clone());
        }
    }
    // Down: copies, and copies of copies.
    let mut queue = VecDeque::from([id.to_owned()]);
    while let Some(resource) = queue.pop_front() {
        for copy in copies_of(&resource)? {
            if !seen.contains(&copy.id) {
                queue.push_back(copy.id.clone());
                add(copy, MergeRelation::Copy, &mut seen);
            }
        }
    }
    // Sideways: the other copies of each source, and their copies.
    let mut queue: VecDeque<String> = ancestors.into_iter().collect();
    while let Some(resource) = queue.pop_front() {
        for copy in copies_of(&resource)? {
            if !seen.contains(&copy.id) {
                queue.push_back(copy.id.clone());
                add(copy, MergeRelation::Sibling, &mut seen);
            }
        }
    }
    Ok(candidates)
}

/// Runs a query of (id, title, licence, in trash) rows.
fn related(
    connection: &Connection,
    sql: &str,
    parameters: impl rusqlite::Params,
) -> rusqlite::Result<Vec<RelatedResource>> {
    let mut statement = connection.prepare_cached(sql)?;
    let rows = statement.query_map(parameters, |row| {
        Ok(RelatedResource {
            id: row.get(0)?,
            title: row.get(1)?,
            licence: row.get(2)?,
            in_trash: row.get(3)?,
        })
    })?;
    rows.collect()
}
