//! Search and listing: full text over title, creators, keywords, description and body (SQLite
//! FTS5, diacritics folded, prefix-indexed for search-as-you-type), with filters and sorting.
//!
//! User text never reaches FTS5's query syntax: it is split into words, each quoted, the last one
//! matched as a prefix. Snippets come back as plain text parts marked matched or not, so the UI
//! highlights them without ever handling HTML.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::library::Library;

/// Matches in a snippet are wrapped in these characters by SQLite and split on them here; they
/// cannot occur in extracted text (control characters are removed from metadata, and would only
/// blur a highlight in a body).
const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    /// Best match first; for an empty query, most recently changed first.
    #[default]
    Relevance,
    Title,
    RecentlyChanged,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchQuery {
    /// What the user typed; empty lists everything.
    pub text: String,
    pub licence: Option<String>,
    pub resource_type: Option<String>,
    pub language: Option<String>,
    pub educational_level: Option<String>,
    /// Only resources in this (manual) collection.
    pub collection: Option<String>,
    /// List the trash instead of the library.
    pub trashed: bool,
    pub sort: SortOrder,
    pub limit: u32,
    pub offset: u32,
}

/// One value of a filterable field and how many resources have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// The values the filters can offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Facets {
    pub licences: Vec<FacetValue>,
    pub resource_types: Vec<FacetValue>,
    pub languages: Vec<FacetValue>,
    pub educational_levels: Vec<FacetValue>,
}

/// Part of a snippet: `matched` parts are highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub licence: String,
    pub media_type: String,
    pub resource_type: String,
    pub language: String,
    pub updated_at: i64,
    pub file_name: String,
    /// When it was moved to the trash; `None` when it is not in the trash.
    pub trashed_at: Option<i64>,
    /// Empty when listing without a query.
    pub snippet: Vec<SnippetPart>,
}

/// The columns every listing selects, in the order [`hit_from_row`] reads them.
pub(crate) const HIT_COLUMNS: &str = "r.id, r.title, r.licence, r.media_type, r.resource_type, r.language, r.updated_at, r.file_name, r.trashed_at";
/// The column after [`HIT_COLUMNS`].
pub(crate) const AFTER_HIT_COLUMNS: usize = 9;

/// Reads the [`HIT_COLUMNS`] starting at column 0, and the snippet at `snippet_column` if given.
pub(crate) fn hit_from_row(
    row: &rusqlite::Row<'_>,
    snippet_column: Option<usize>,
) -> rusqlite::Result<SearchHit> {
    let snippet = match snippet_column {
        Some(column) => snippet_parts(&row.get::<_, String>(column)?),
        None => Vec::new(),
    };
    Ok(SearchHit {
        id: row.get(0)?,
        title: row.get(1)?,
        licence: row.get(2)?,
        media_type: row.get(3)?,
        resource_type: row.get(4)?,
        language: row.get(5)?,
        updated_at: row.get(6)?,
        file_name: row.get(7)?,
        trashed_at: row.get(8)?,
        snippet,
    })
}

/// The FROM and WHERE clauses of a query, and their parameters.
struct Filter {
    matching: bool,
    from_where: String,
    values: Vec<Value>,
}

fn filter(query: &SearchQuery) -> Filter {
    let match_expression = match_expression(&query.text);
    let trash = if query.trashed { "r.trashed_at IS NOT NULL" } else { "r.trashed_at IS NULL" };
    let mut conditions = vec![trash.to_owned()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(expression) = &match_expression {
        values.push(Value::Text(expression.clone()));
        conditions.push(format!("resource_text MATCH ?{}", values.len()));
    }
    for (column, value) in [
        ("r.licence", &query.licence),
        ("r.resource_type", &query.resource_type),
        ("r.language", &query.language),
        ("r.educational_level", &query.educational_level),
    ] {
        if let Some(value) = value {
            values.push(Value::Text(value.clone()));
            conditions.push(format!("{column} = ?{}", values.len()));
        }
    }
    if let Some(collection) = &query.collection {
        values.push(Value::Text(collection.clone()));
        conditions.push(format!(
            "r.id IN (SELECT resource_id FROM collection_items WHERE collection_id = ?{})",
            values.len()
        ));
    }
    let join =
        if match_expression.is_some() { "JOIN resource_text ON resource_text.rowid = r.key" } else { "" };
    Filter {
        matching: match_expression.is_some(),
        from_where: format!("FROM resources r {join} WHERE {}", conditions.join(" AND ")),
        values,
    }
}

impl Library {
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let filter = filter(query);
        let order = match (query.sort, filter.matching) {
            // Title matches weigh most, then creators and keywords, then description and body.
            (SortOrder::Relevance, true) => "bm25(resource_text, 10.0, 4.0, 4.0, 2.0, 1.0)",
            (SortOrder::Relevance, false) | (SortOrder::RecentlyChanged, _) => "r.updated_at DESC",
            (SortOrder::Title, _) => "r.title COLLATE NOCASE",
        };
        let limit = if query.limit == 0 { 50 } else { query.limit.min(1000) };
        let sql = if filter.matching {
            // Rank every match, but make snippets only for the page returned: a snippet costs far
            // more than a score, and a common word matches most of the library.
            format!(
                "WITH page AS (
                     SELECT r.key AS key, row_number() OVER (ORDER BY {order}, r.key) AS position
                     {from_where} ORDER BY {order}, r.key LIMIT {limit} OFFSET {offset}
                 )
                 SELECT {HIT_COLUMNS}, snippet(resource_text, -1, '{MATCH_START}', '{MATCH_END}', '…', 12)
                 FROM page JOIN resources r ON r.key = page.key
                 JOIN resource_text ON resource_text.rowid = page.key
                 WHERE resource_text MATCH ?1
                 ORDER BY page.position",
                from_where = filter.from_where,
                offset = query.offset,
            )
        } else {
            format!(
                "SELECT {HIT_COLUMNS}, '' {} ORDER BY {order}, r.key LIMIT {limit} OFFSET {}",
                filter.from_where, query.offset,
            )
        };
        let snippet_column = filter.matching.then_some(AFTER_HIT_COLUMNS);
        self.catalog.call(|connection| {
            let mut statement = connection.prepare_cached(&sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(filter.values.iter()), |row| {
                hit_from_row(row, snippet_column)
            })?;
            rows.collect()
        })
    }

    /// The values present in the library (not the trash) for each filterable field, with how many
    /// resources have each, most common first: what the filter menus offer.
    pub fn facets(&self) -> Result<Facets> {
        let values = |column: &str| -> Result<Vec<FacetValue>> {
            let sql = format!(
                "SELECT {column}, count(*) FROM resources WHERE trashed_at IS NULL AND {column} != ''
                 GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 200"
            );
            self.catalog.call(|connection| {
                let mut statement = connection.prepare_cached(&sql)?;
                let rows = statement.query_map([], |row| {
                    Ok(FacetValue { value: row.get(0)?, count: row.get::<_, i64>(1)?.unsigned_abs() })
                })?;
                rows.collect()
            })
        };
        Ok(Facets {
            licences: values("licence")?,
            resource_types: values("resource_type")?,
            languages: values("language")?,
            educational_levels: values("educational_level")?,
        })
    }

    /// How many resources the query finds, without limit.
    pub fn count(&self, query: &SearchQuery) -> Result<u64> {
        let filter = filter(query);
        let sql = format!("SELECT count(*) {}", filter.from_where);
        let count: i64 = self.catalog.call(|connection| {
            connection
                .prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(filter.values.iter()), |row| row.get(0))
        })?;
        Ok(count.unsigned_abs())
    }
}

/// An FTS5 expression for what the user typed: every word must occur, the last as a prefix so
/// results follow the typing. `None` when there are no words.
fn match_expression(text: &str) -> Option<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let (last, rest) = words.split_last()?;
    let mut terms: Vec<String> = rest.iter().map(|word| format!("\"{word}\"")).collect();
    terms.push(format!("\"{last}\"*"));
    Some(terms.join(" "))
}

fn snippet_parts(snippet: &str) -> Vec<SnippetPart> {
    let mut matched = false;
    let mut parts = Vec::new();
    for piece in snippet.split_inclusive([MATCH_START, MATCH_END]) {
        let (text, marker) = match piece.char_indices().last() {
            Some((index, c)) if c == MATCH_START || c == MATCH_END => (&piece[..index], Some(c)),
            _ => (piece, None),
        };
        if !text.is_empty() {
            parts.push(SnippetPart { text: text.to_owned(), matched });
        }
        match marker {
            Some(MATCH_START) => matched = true,
            Some(_) => matched = false,
            None => {}
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_quoted_words_with_a_prefix_last() {
        assert_eq!(match_expression("photo synth").as_deref(), Some("\"photo\" \"synth\"*"));
        assert_eq!(match_expression("  \"AND\" OR (NEAR*) ").as_deref(), Some("\"AND\" \"OR\" \"NEAR\"*"));
        assert_eq!(match_expression("café-crème").as_deref(), Some("\"café\" \"crème\"*"));
        assert_eq!(match_expression(" *** "), None);
    }

    #[test]
    fn snippets_split_into_matched_and_plain_parts() {
        let parts = snippet_parts("The \u{2}cell\u{3} divides; \u{2}cells\u{3}");
        let summary: Vec<(&str, bool)> =
            parts.iter().map(|part| (part.text.as_str(), part.matched)).collect();
        assert_eq!(summary, [("The ", false), ("cell", true), (" divides; ", false), ("cells", true)]);
    }
}
