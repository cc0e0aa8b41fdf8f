//! The result of a text merge as data: [`Merge`] is either the clean text or the merged file cut
//! into [`Region`]s, some resolved and some in [`Conflict`]. A conflicted merge is meant to be stored
//! (the catalog keeps it as an unfinished merge), resolved one conflict at a time, perhaps over
//! several sessions, and rendered once nothing is left open.
//!
//! Region texts are normalised: whole lines, each ending in `\n`, no byte order mark. The
//! [`TextFormat`] beside them says how the finished file writes line breaks, whether it starts with
//! a byte order mark and whether its last line ends with a line break; [`Merge::render`] applies it.
//! Keeping the regions normalised means a resolution typed into the app (where text areas always
//! use `\n`) fits a CRLF file like any other region.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::text::{TextFormat, normalise, render};

/// The result of [`merge`](crate::merge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Merge {
    /// Every change merged; `text` is the finished file, exactly as it is to be stored.
    Clean { text: String },
    /// At least one region is a conflict. Concatenating the regions, with each conflict replaced by
    /// its resolution, and writing the result in `format` gives the finished file.
    Conflicted { format: TextFormat, regions: Vec<Region> },
}

/// A stretch of the merged file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Region {
    /// Lines that are settled: unchanged, changed by one side only, or changed by both alike.
    Resolved { text: String },
    /// Lines that both sides changed, in different ways.
    Conflict(Conflict),
}

/// Lines that both sides changed differently. `base` is the common ancestor's text for the whole
/// stretch; `ours` and `theirs` are trimmed of the lines they agree on at either end, which stay in
/// the resolved regions around the conflict (git's `zdiff3` style). Any of the three may be empty: a
/// side that deleted the lines, or an insertion where the base had nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub base: String,
    pub ours: String,
    pub theirs: String,
    /// How a person settled it; `None` while it is open.
    pub resolution: Option<Resolution>,
}

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Resolution {
    /// Keep our lines.
    Ours,
    /// Keep their lines.
    Theirs,
    /// Keep both: our lines, then theirs.
    Both,
    /// Replace the lines with this text, normalised when it is set (see [`Merge::resolve`]).
    Custom { text: String },
}

impl Conflict {
    /// The text that replaces the conflict, or `None` while it is open.
    pub fn resolved_text(&self) -> Option<String> {
        match self.resolution.as_ref()? {
            Resolution::Ours => Some(self.ours.clone()),
            Resolution::Theirs => Some(self.theirs.clone()),
            Resolution::Both => Some(format!("{}{}", self.ours, self.theirs)),
            Resolution::Custom { text } => Some(text.clone()),
        }
    }
}

impl Merge {
    /// The regions of a conflicted merge; none for a clean one.
    pub fn regions(&self) -> &[Region] {
        match self {
            Merge::Clean { .. } => &[],
            Merge::Conflicted { regions, .. } => regions,
        }
    }

    /// How many conflicts the merge had, resolved or not.
    pub fn conflict_count(&self) -> usize {
        self.conflicts().count()
    }

    /// How many conflicts are still open.
    pub fn unresolved_count(&self) -> usize {
        self.conflicts().filter(|conflict| conflict.resolution.is_none()).count()
    }

    /// Whether [`render`](Merge::render) would succeed: the merge was clean or every conflict has
    /// been resolved.
    pub fn is_finished(&self) -> bool {
        self.unresolved_count() == 0
    }

    /// Settles the conflict at `region` (an index into [`regions`](Merge::regions)), replacing any
    /// earlier resolution. Custom text is normalised as it is stored: `\r\n` becomes `\n`, and a line
    /// break is added at its end if it has none, since a region is made of whole lines; the line
    /// ending of the finished file is applied by [`render`](Merge::render). Custom text that should
    /// not end with a line break therefore belongs at the very end of the file, where
    /// [`TextFormat::final_newline`] decides.
    pub fn resolve(&mut self, region: usize, resolution: Resolution) -> Result<()> {
        let Merge::Conflicted { regions, .. } = self else {
            return Err(Error::NothingToResolve);
        };
        let region_count = regions.len();
        match regions.get_mut(region) {
            None => Err(Error::NoSuchRegion { region, regions: region_count }),
            Some(Region::Resolved { .. }) => Err(Error::NotAConflict { region }),
            Some(Region::Conflict(conflict)) => {
                conflict.resolution = Some(match resolution {
                    Resolution::Custom { text } => Resolution::Custom { text: normalise(&text) },
                    other => other,
                });
                Ok(())
            }
        }
    }

    /// The finished file: the clean text, or the regions with their resolutions written in the
    /// merge's format. Fails while any conflict is open.
    pub fn render(&self) -> Result<String> {
        match self {
            Merge::Clean { text } => Ok(text.clone()),
            Merge::Conflicted { format, regions } => {
                let unresolved = self.unresolved_count();
                if unresolved > 0 {
                    return Err(Error::UnresolvedConflicts { unresolved });
                }
                let mut normalised = String::new();
                for region in regions {
                    match region {
                        Region::Resolved { text } => normalised.push_str(text),
                        Region::Conflict(conflict) => {
                            normalised.push_str(&conflict.resolved_text().unwrap_or_default())
                        }
                    }
                }
                Ok(render(&normalised, *format))
            }
        }
    }

    fn conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.regions().iter().filter_map(|region| match region {
            Region::Conflict(conflict) => Some(conflict),
            Region::Resolved { .. } => None,
        })
    }
}
