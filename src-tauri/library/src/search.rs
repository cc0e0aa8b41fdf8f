//! Search and listing: full text over title, creators, keywords, description and body (SQLite
//! FTS5, diacritics folded, prefix-indexed for search-as-you-type), with filters and sorting.
//!
//! User text never reaches FTS5's query syntax: it is split into words, each quoted, the last one
//! matched as a prefix. Snippets come back as plain text parts marked matched or not, so the UI
//! highlights them without ever handling HTML.
//!
//! Ranking has two regimes, because BM25 in FTS5 costs about a microsecond per matching row and a
//! common word matches most of a large library. A query matching at most [`COMMON_MATCHES`]
//! resources is ranked by BM25 over all of them. A commoner one — where BM25 says little anyway, its
//! inverse document frequency being near zero — is answered in tiers that FTS5 can stop reading
//! early: resources with the words in their title, creators or keywords first, then the others,
//! each tier newest first. Such a query matches the last word exactly when it is long enough
//! (5 letters or more) that the user has most likely typed all of it; prefix matches stay in the
//! count and in rarer queries.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::Result;
use crate::library::Library;

/// Title matches weigh most, then creators and keywords, then description and body.
const BM25: &str = "bm25(resource_text, 10.0, 4.0, 4.0, 2.0, 1.0)";
/// Above this many matches a query is "common" and ranked in tiers (see the module's docs).
const COMMON_MATCHES: usize = 1000;
/// Words this long or longer count as complete in a common query (no prefix expansion, which FTS5
/// cannot stop early); shorter ones use the prefix index.
const COMPLETE_WORD_CHARS: usize = 5;
/// How much of a body snippets are looked for in: enough for any lesson, bounded for books.
const SNIPPET_SOURCE_CHARS: usize = 20_000;
/// Words in a snippet, and how many of them come before the first match.
const SNIPPET_WORDS: usize = 24;
const SNIPPET_WORDS_BEFORE: usize = 6;

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

/// Reads the [`HIT_COLUMNS`] starting at column 0; the snippet is left empty.
pub(crate) fn hit_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SearchHit> {
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
        snippet: Vec::new(),
    })
}

/// The FROM and WHERE clauses of a query, and their parameters.
struct Filter {
    matching: bool,
    from_where: String,
    /// Every parameter; with text, the match expression is the first.
    values: Vec<Value>,
    /// The conditions other than the text match, numbered as if the match expression were ?1.
    conditions: Vec<String>,
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
    let others = conditions
        .iter()
        .filter(|condition| !condition.starts_with("resource_text MATCH"))
        .cloned()
        .collect();
    Filter {
        matching: match_expression.is_some(),
        from_where: format!("FROM resources r {join} WHERE {}", conditions.join(" AND ")),
        values,
        conditions: others,
    }
}

impl Library {
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let filter = filter(query);
        let limit = if query.limit == 0 { 50 } else { query.limit.min(1000) };
        let offset = query.offset;
        // Ties are broken by key in the same direction, so an index on the sorted column serves the
        // whole order.
        let order = match (query.sort, filter.matching) {
            // Title matches weigh most, then creators and keywords, then description and body.
            (SortOrder::Relevance, true) => format!("{BM25}, r.key"),
            (SortOrder::Relevance, false) | (SortOrder::RecentlyChanged, _) => {
                "r.updated_at DESC, r.key DESC".to_owned()
            }
            (SortOrder::Title, _) => "r.title COLLATE NOCASE, r.key".to_owned(),
        };
        if !filter.matching {
            let sql = format!(
                "SELECT {HIT_COLUMNS}, '' {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                filter.from_where
            );
            return self.hits(&sql, &filter.values, &[]);
        }
        if query.sort == SortOrder::Relevance
            && let Some(keys) = self.common_query_page(query, &filter, limit, offset)?
        {
            let sql = format!(
                "WITH page AS (SELECT value AS key, key AS position FROM json_each(?1))
                 SELECT {HIT_COLUMNS}, substr(t.body, 1, {SNIPPET_SOURCE_CHARS})
                 FROM page JOIN resources r ON r.key = page.key JOIN resource_text t ON t.rowid = page.key
                 ORDER BY page.position"
            );
            let keys = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".to_owned());
            return self.hits(&sql, &[Value::Text(keys)], &query_words(&query.text));
        }
        let plain = query.licence.is_none()
            && query.resource_type.is_none()
            && query.language.is_none()
            && query.educational_level.is_none()
            && query.collection.is_none()
            && !query.trashed
            && query.sort == SortOrder::Relevance;
        // Choose the page first, by keys only; the texts for snippets are read for that page alone
        // (by key, a direct lookup), because a common word matches most of the library.
        let page = if plain {
            // A plain search ranks in the full-text index alone, keeping just enough of the best
            // to fill the page even if some are in the trash. Exact, and much cheaper than joining
            // every match to its resource.
            let trashed: i64 = self.catalog.read(|connection| {
                connection.query_row(
                    "SELECT count(*) FROM resources WHERE trashed_at IS NOT NULL",
                    [],
                    |row| row.get(0),
                )
            })?;
            let keep = i64::from(offset) + i64::from(limit) + trashed;
            format!(
                "WITH ranked AS (
                     SELECT rowid AS key, {BM25} AS score FROM resource_text
                     WHERE resource_text MATCH ?1 ORDER BY score, rowid LIMIT {keep}
                 )
                 SELECT ranked.key AS key, row_number() OVER (ORDER BY ranked.score, ranked.key) AS position
                 FROM ranked JOIN resources r ON r.key = ranked.key WHERE r.trashed_at IS NULL
                 ORDER BY ranked.score, ranked.key LIMIT {limit} OFFSET {offset}"
            )
        } else {
            format!(
                "SELECT r.key AS key, row_number() OVER (ORDER BY {order}) AS position
                 {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                filter.from_where
            )
        };
        let sql = format!(
            "WITH page AS ({page})
             SELECT {HIT_COLUMNS}, substr(t.body, 1, {SNIPPET_SOURCE_CHARS})
             FROM page JOIN resources r ON r.key = page.key JOIN resource_text t ON t.rowid = page.key
             ORDER BY page.position"
        );
        self.hits(&sql, &filter.values, &query_words(&query.text))
    }

    /// The page of a common query (see the module's docs) as resource keys in order, or `None`
    /// when the query is rare enough to be ranked by BM25.
    fn common_query_page(
        &self,
        query: &SearchQuery,
        filter: &Filter,
        limit: u32,
        offset: u32,
    ) -> Result<Option<Vec<i64>>> {
        let Some(expression) = common_expression(&query.text) else { return Ok(None) };
        let need = usize::try_from(u64::from(offset) + u64::from(limit)).unwrap_or(usize::MAX);
        // The filters other than the text, as conditions on `r`, with their parameters after the
        // expression (?1).
        let conditions: Vec<&str> = filter.conditions.iter().map(String::as_str).collect();
        let values: Vec<Value> = filter.values.iter().skip(1).cloned().collect();
        self.catalog.read(|connection| {
            let probe: i64 = connection.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT rowid FROM resource_text WHERE resource_text MATCH ?1 LIMIT {})",
                    COMMON_MATCHES + 1
                ),
                [&expression],
                |row| row.get(0),
            )?;
            if usize::try_from(probe).unwrap_or(0) <= COMMON_MATCHES {
                return Ok(None);
            }
            let tier = |expression: &str, take: usize| -> rusqlite::Result<Vec<i64>> {
                let mut parameters = vec![Value::Text(expression.to_owned())];
                parameters.extend(values.iter().cloned());
                // The conditions are numbered from ?2 already: with text, the expression is always ?1.
                let where_rest =
                    if conditions.is_empty() { String::new() } else { format!(" AND {}", conditions.join(" AND ")) };
                let sql = format!(
                    "SELECT r.key FROM resource_text JOIN resources r ON r.key = resource_text.rowid
                     WHERE resource_text MATCH ?1{where_rest}
                     ORDER BY resource_text.rowid DESC LIMIT {take}"
                );
                let mut statement = connection.prepare_cached(&sql)?;
                let keys = statement.query_map(rusqlite::params_from_iter(parameters.iter()), |row| row.get(0))?;
                keys.collect()
            };
            let mut keys = tier(&format!("{{title creators keywords}} : ({expression})"), need)?;
            if keys.len() < need {
                let first: std::collections::HashSet<i64> = keys.iter().copied().collect();
                let rest = tier(&expression, need + first.len())?;
                keys.extend(rest.into_iter().filter(|key| !first.contains(key)).take(need - first.len()));
            }
            Ok(Some(keys.into_iter().skip(offset as usize).collect()))
        })
    }

    /// Runs a listing query whose last column is the text to make a snippet from.
    fn hits(&self, sql: &str, values: &[Value], words: &[String]) -> Result<Vec<SearchHit>> {
        self.catalog.read(|connection| {
            let mut statement = connection.prepare_cached(sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), |row| {
                let mut hit = hit_from_row(row)?;
                if !words.is_empty() {
                    hit.snippet = snippet(&row.get::<_, String>(AFTER_HIT_COLUMNS)?, words);
                }
                Ok(hit)
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
            self.catalog.read(|connection| {
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
        let count: i64 = self.catalog.read(|connection| {
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

/// The FTS5 expression of a query in the common regime: the last word exact when it is long enough
/// to be complete, otherwise as a prefix (served by the prefix index).
fn common_expression(text: &str) -> Option<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let (last, rest) = words.split_last()?;
    let mut terms: Vec<String> = rest.iter().map(|word| format!("\"{word}\"")).collect();
    if last.chars().count() >= COMPLETE_WORD_CHARS {
        terms.push(format!("\"{last}\""));
    } else {
        terms.push(format!("\"{last}\"*"));
    }
    Some(terms.join(" "))
}

/// The words of what the user typed, folded like the index folds them.
fn query_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(fold).collect()
}

/// Lower case without diacritics, as the index's `remove_diacritics` tokenizer sees words.
fn fold(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// A short passage of `text` around the first word that matches `words` (the last of them also as
/// a prefix, as in the search), with the matching words marked. Without a match, the start of the
/// text. Plain text parts, so the UI never handles markup.
fn snippet(text: &str, words: &[String]) -> Vec<SnippetPart> {
    let tokens: Vec<(usize, usize)> = text
        .char_indices()
        .filter(|(index, c)| {
            c.is_alphanumeric() && !text[..*index].chars().next_back().is_some_and(char::is_alphanumeric)
        })
        .map(|(start, _)| {
            let end = text[start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |length| start + length);
            (start, end)
        })
        .collect();
    let matches = |(start, end): (usize, usize)| {
        let token = fold(&text[start..end]);
        words.iter().enumerate().any(|(index, word)| {
            token == *word || (index == words.len() - 1 && token.starts_with(word.as_str()))
        })
    };
    let first = tokens.iter().position(|token| matches(*token)).unwrap_or(0);
    let from = first.saturating_sub(SNIPPET_WORDS_BEFORE);
    let to = (from + SNIPPET_WORDS).min(tokens.len());
    if from >= to {
        return Vec::new();
    }
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |text: &str, matched: bool| match parts.last_mut() {
        Some(last) if last.matched == matched => last.text.push_str(text),
        _ if !text.is_empty() => parts.push(SnippetPart { text: text.to_owned(), matched }),
        _ => {}
    };
    if from > 0 {
        push("…", false);
    }
    let mut cursor = tokens[from].0;
    for token in &tokens[from..to] {
        push(&collapse(&text[cursor..token.0]), false);
        push(&text[token.0..token.1], matches(*token));
        cursor = token.1;
    }
    if to < tokens.len() {
        push(" …", false);
    } else {
        // The end of the text, such as the closing full stop.
        push(collapse(&text[cursor..]).trim_end(), false);
    }
    parts
}

/// Runs of whitespace (line breaks included) as one space.
fn collapse(between: &str) -> String {
    let mut out = String::with_capacity(between.len());
    for c in between.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
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
    fn snippets_mark_whole_words_and_the_last_as_a_prefix_folding_case_and_accents() {
        let parts = snippet("The Cell divides;\n cells grow. Les étoiles", &query_words("cell"));
        let summary: Vec<(&str, bool)> =
            parts.iter().map(|part| (part.text.as_str(), part.matched)).collect();
        assert_eq!(
            summary,
            [
                ("The ", false),
                ("Cell", true),
                (" divides; ", false),
                ("cells", true),
                (" grow. Les étoiles", false)
            ]
        );
        let ending: String = snippet("Mitochondria make energy.\n", &query_words("mito"))
            .into_iter()
            .map(|part| part.text)
            .collect();
        assert_eq!(ending, "Mitochondria make energy.");
        let accents = snippet("Les étoiles brillent", &query_words("etoile"));
        assert!(accents.iter().any(|part| part.matched && part.text == "étoiles"), "{accents:?}");
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = (0..100).map(|index| format!("word{index}")).collect::<Vec<_>>().join(" ");
        let parts = snippet(&text, &query_words("word50"));
        let joined: String = parts.iter().map(|part| part.text.as_str()).collect();
        assert!(joined.starts_with("…") && joined.ends_with("…"), "{joined}");
        assert!(parts.iter().any(|part| part.matched && part.text == "word50"));
        assert!(joined.split_whitespace().count() <= SNIPPET_WORDS + 2, "{joined}");
    }
}
