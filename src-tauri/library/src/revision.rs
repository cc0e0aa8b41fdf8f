//! Revisions (DESIGN §5): immutable records of a resource's content and metadata at one point.
//! A revision's id is the BLAKE3 hash of its canonical encoding, so two libraries that share
//! history recognise the same revisions. The encoding is versioned and snapshot-tested: changing it
//! changes every id.

use serde::{Deserialize, Serialize};

use crate::metadata::Metadata;
use crate::store::ObjectId;

/// Prefixed to the encoding before hashing, so a revision id can never collide with an object id
/// of the same bytes, and a future encoding gets distinct ids.
pub(crate) const DOMAIN: &[u8] = b"commonplace-revision-v1\n";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// None for the first revision, one for an edit or a fork, two for a merge.
    pub parents: Vec<String>,
    pub object: ObjectId,
    pub size: u64,
    /// The file name the content is exported under (`fractions.md`).
    pub file_name: String,
    pub media_type: String,
    pub metadata: Metadata,
    /// Who made this revision, as the library's user names themselves.
    pub author: String,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
    pub message: String,
}

impl Revision {
    /// The canonical encoding: JSON with fields in declaration order and no insignificant
    /// whitespace. Maps in the metadata are ordered (BTreeMap), so equal revisions encode equally.
    pub fn encode(&self) -> Vec<u8> {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The revision's id: 64 hex digits of the hash of the domain and the encoding.
    pub fn id(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(DOMAIN);
        hasher.update(&self.encode());
        hasher.finalize().to_hex().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Field, FieldSource};

    fn sample() -> Revision {
        let mut metadata = Metadata {
            title: "Fractions worksheet".into(),
            creators: vec!["Ana Souza".into()],
            licence: "CC-BY-4.0".into(),
            language: "en".into(),
            ..Metadata::default()
        };
        metadata.sources.insert(Field::Title, FieldSource::Extracted);
        Revision {
            parents: vec![],
            object: blake3::hash(b"# Fractions").to_hex().parse().unwrap(),
            size: 11,
            file_name: "fractions.md".into(),
            media_type: "text/markdown".into(),
            metadata,
            author: "ana".into(),
            created_at: 1_764_000_000_000,
            message: "Imported fractions.md".into(),
        }
    }

    #[test]
    fn revision_encoding_is_stable() {
        let revision = sample();
        insta::assert_snapshot!("revision_encoding", String::from_utf8(revision.encode()).unwrap());
        insta::assert_snapshot!("revision_id", revision.id());
    }

    #[test]
    fn any_change_changes_the_id() {
        let revision = sample();
        let mut edited = revision.clone();
        edited.metadata.title.push('!');
        assert_ne!(revision.id(), edited.id());
        let mut reparented = revision.clone();
        reparented.parents.push(revision.id());
        assert_ne!(revision.id(), reparented.id());
    }
}
