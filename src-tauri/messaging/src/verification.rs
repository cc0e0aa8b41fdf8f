//! Interactive device verification with short authentication strings (the spec's "SAS
//! verification", method `m.sas.v1`): the public view of a verification ([`Verification`], its
//! [`VerificationState`], the [`CancelCode`]s), the spec's emoji table ([`EMOJIS`]), and the small
//! pure calculations the protocol rests on — the hash commitment and the HKDF `info` strings — kept
//! here, apart from the machine's state, so that tests can check them against the spec's wording.
//!
//! The protocol itself runs in the machine (`Machine::start_verification`, `request_verification`,
//! `accept_verification`, `confirm_verification`, `cancel_verification`); this module holds no
//! state and does no cryptography beyond SHA-256.
//!
//! What we speak: key agreement `curve25519-hkdf-sha256`, hash `sha256`, MAC `hkdf-hmac-sha256.v2`
//! (and the deprecated `hkdf-hmac-sha256` when the other side offers nothing else, as libolm-based
//! clients such as matrix-nio 0.25 do), short authentication strings `emoji` and `decimal`. Not the
//! deprecated `curve25519` key agreement nor `hmac-sha256`, which new implementations are asked not
//! to use, and not QR codes or cross-signing: a verification verifies one device's ed25519 key.

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::canonical_json::to_canonical_json;
use crate::error::Result;
use crate::types::{DeviceId, UserId};

/// The verification method: short authentication strings.
pub const SAS_METHOD: &str = "m.sas.v1";
/// The only key agreement we speak.
pub const KEY_AGREEMENT: &str = "curve25519-hkdf-sha256";
/// The only hash we speak.
pub const HASH: &str = "sha256";
/// The MAC method with correct base64: what we prefer.
pub const MAC_V2: &str = "hkdf-hmac-sha256.v2";
/// The deprecated MAC method whose base64 encoding carries libolm's bug; accepted only when the
/// other side offers nothing better.
pub const MAC_LEGACY: &str = "hkdf-hmac-sha256";
/// A verification that has not finished after this long is cancelled with `m.timeout` (the spec's
/// ten minutes).
pub const VERIFICATION_TIMEOUT_MS: u64 = 10 * 60 * 1000;
/// An incoming `m.key.verification.request` whose timestamp is more than this far in the future
/// is ignored (the spec's five minutes); one older than [`VERIFICATION_TIMEOUT_MS`] too.
pub const REQUEST_FUTURE_TOLERANCE_MS: u64 = 5 * 60 * 1000;

/// One entry of the spec's SAS emoji table: its number, the emoji, and its English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Emoji {
    pub number: u8,
    pub emoji: &'static str,
    pub name: &'static str,
}

const fn emoji(number: u8, emoji: &'static str, name: &'static str) -> Emoji {
    Emoji { number, emoji, name }
}

/// The spec's table of the 64 SAS emoji (client-server API, "SAS method: emoji";
/// `data-definitions/sas-emoji.json`), with the variation selector U+FE0F where the spec has one,
/// so that every platform draws the emoji and not a black-and-white symbol.
pub const EMOJIS: [Emoji; 64] = [
    emoji(0, "\u{1F436}", "Dog"),
    emoji(1, "\u{1F431}", "Cat"),
    emoji(2, "\u{1F981}", "Lion"),
    emoji(3, "\u{1F40E}", "Horse"),
    emoji(4, "\u{1F984}", "Unicorn"),
    emoji(5, "\u{1F437}", "Pig"),
    emoji(6, "\u{1F418}", "Elephant"),
    emoji(7, "\u{1F430}", "Rabbit"),
    emoji(8, "\u{1F43C}", "Panda"),
    emoji(9, "\u{1F413}", "Rooster"),
    emoji(10, "\u{1F427}", "Penguin"),
    emoji(11, "\u{1F422}", "Turtle"),
    emoji(12, "\u{1F41F}", "Fish"),
    emoji(13, "\u{1F419}", "Octopus"),
    emoji(14, "\u{1F98B}", "Butterfly"),
    emoji(15, "\u{1F337}", "Flower"),
    emoji(16, "\u{1F333}", "Tree"),
    emoji(17, "\u{1F335}", "Cactus"),
    emoji(18, "\u{1F344}", "Mushroom"),
    emoji(19, "\u{1F30F}", "Globe"),
    emoji(20, "\u{1F319}", "Moon"),
    emoji(21, "\u{2601}\u{FE0F}", "Cloud"),
    emoji(22, "\u{1F525}", "Fire"),
    emoji(23, "\u{1F34C}", "Banana"),
    emoji(24, "\u{1F34E}", "Apple"),
    emoji(25, "\u{1F353}", "Strawberry"),
    emoji(26, "\u{1F33D}", "Corn"),
    emoji(27, "\u{1F355}", "Pizza"),
    emoji(28, "\u{1F382}", "Cake"),
    emoji(29, "\u{2764}\u{FE0F}", "Heart"),
    emoji(30, "\u{1F600}", "Smiley"),
    emoji(31, "\u{1F916}", "Robot"),
    emoji(32, "\u{1F3A9}", "Hat"),
    emoji(33, "\u{1F453}", "Glasses"),
    emoji(34, "\u{1F527}", "Spanner"),
    emoji(35, "\u{1F385}", "Santa"),
    emoji(36, "\u{1F44D}", "Thumbs Up"),
    emoji(37, "\u{2602}\u{FE0F}", "Umbrella"),
    emoji(38, "\u{231B}", "Hourglass"),
    emoji(39, "\u{23F0}", "Clock"),
    emoji(40, "\u{1F381}", "Gift"),
    emoji(41, "\u{1F4A1}", "Light Bulb"),
    emoji(42, "\u{1F4D5}", "Book"),
    emoji(43, "\u{270F}\u{FE0F}", "Pencil"),
    emoji(44, "\u{1F4CE}", "Paperclip"),
    emoji(45, "\u{2702}\u{FE0F}", "Scissors"),
    emoji(46, "\u{1F512}", "Lock"),
    emoji(47, "\u{1F511}", "Key"),
    emoji(48, "\u{1F528}", "Hammer"),
    emoji(49, "\u{260E}\u{FE0F}", "Telephone"),
    emoji(50, "\u{1F3C1}", "Flag"),
    emoji(51, "\u{1F682}", "Train"),
    emoji(52, "\u{1F6B2}", "Bicycle"),
    emoji(53, "\u{2708}\u{FE0F}", "Aeroplane"),
    emoji(54, "\u{1F680}", "Rocket"),
    emoji(55, "\u{1F3C6}", "Trophy"),
    emoji(56, "\u{26BD}", "Ball"),
    emoji(57, "\u{1F3B8}", "Guitar"),
    emoji(58, "\u{1F3BA}", "Trumpet"),
    emoji(59, "\u{1F514}", "Bell"),
    emoji(60, "\u{2693}", "Anchor"),
    emoji(61, "\u{1F3A7}", "Headphones"),
    emoji(62, "\u{1F4C1}", "Folder"),
    emoji(63, "\u{1F4CC}", "Pin"),
];

/// What the two people compare: seven emoji and/or three four-digit numbers, as the two devices
/// agreed (`short_authentication_string` of the accept message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortAuthString {
    pub emojis: Option<[Emoji; 7]>,
    pub decimals: Option<[u16; 3]>,
}

impl ShortAuthString {
    /// The strings of the six HKDF bytes: the emoji from the first 42 bits, the numbers from the
    /// first 39 (the spec's "SAS method: emoji" and "SAS method: decimal").
    pub fn from_bytes(bytes: &[u8; 6], emoji: bool, decimal: bool) -> Self {
        let mut number: u64 = 0;
        for byte in bytes {
            number = (number << 8) | u64::from(*byte);
        }
        let emojis = std::array::from_fn(|position| {
            let index = (number >> (42 - 6 * position as u64)) & 63;
            EMOJIS[index as usize]
        });
        let [b0, b1, b2, b3, b4, _] = bytes.map(u16::from);
        let decimals = [
            ((b0 << 5) | (b1 >> 3)) + 1000,
            (((b1 & 0x7) << 10) | (b2 << 2) | (b3 >> 6)) + 1000,
            (((b3 & 0x3F) << 7) | (b4 >> 1)) + 1000,
        ];
        Self { emojis: emoji.then_some(emojis), decimals: decimal.then_some(decimals) }
    }
}

/// Why a verification was cancelled: the spec's codes (`m.key.verification.cancel`), and any other
/// code a client sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelCode {
    /// The person cancelled.
    User,
    Timeout,
    UnknownTransaction,
    /// The devices share no key agreement, hash, MAC or SAS method.
    UnknownMethod,
    UnexpectedMessage,
    /// A key's MAC did not match the key we know.
    KeyMismatch,
    UserMismatch,
    InvalidMessage,
    /// Another of the user's devices took the request.
    Accepted,
    /// The other device's key does not match the hash it committed to.
    MismatchedCommitment,
    /// The person said the emoji or numbers differ.
    MismatchedSas,
    Other(String),
}

impl CancelCode {
    pub fn as_str(&self) -> &str {
        match self {
            CancelCode::User => "m.user",
            CancelCode::Timeout => "m.timeout",
            CancelCode::UnknownTransaction => "m.unknown_transaction",
            CancelCode::UnknownMethod => "m.unknown_method",
            CancelCode::UnexpectedMessage => "m.unexpected_message",
            CancelCode::KeyMismatch => "m.key_mismatch",
            CancelCode::UserMismatch => "m.user_mismatch",
            CancelCode::InvalidMessage => "m.invalid_message",
            CancelCode::Accepted => "m.accepted",
            CancelCode::MismatchedCommitment => "m.mismatched_commitment",
            CancelCode::MismatchedSas => "m.mismatched_sas",
            CancelCode::Other(code) => code,
        }
    }

    pub fn parse(code: &str) -> Self {
        match code {
            "m.user" => CancelCode::User,
            "m.timeout" => CancelCode::Timeout,
            "m.unknown_transaction" => CancelCode::UnknownTransaction,
            "m.unknown_method" => CancelCode::UnknownMethod,
            "m.unexpected_message" => CancelCode::UnexpectedMessage,
            "m.key_mismatch" => CancelCode::KeyMismatch,
            "m.user_mismatch" => CancelCode::UserMismatch,
            "m.invalid_message" => CancelCode::InvalidMessage,
            "m.accepted" => CancelCode::Accepted,
            "m.mismatched_commitment" => CancelCode::MismatchedCommitment,
            "m.mismatched_sas" => CancelCode::MismatchedSas,
            other => CancelCode::Other(other.to_owned()),
        }
    }

    /// The `reason` we send with the code: for the other person, in plain words.
    pub fn default_reason(&self) -> &'static str {
        match self {
            CancelCode::User => "The person cancelled the verification",
            CancelCode::Timeout => "The verification took too long",
            CancelCode::UnknownTransaction => "Unknown verification",
            CancelCode::UnknownMethod => "No verification method in common",
            CancelCode::UnexpectedMessage => "Unexpected verification message",
            CancelCode::KeyMismatch => "The device keys do not match",
            CancelCode::UserMismatch => "The message came from another user",
            CancelCode::InvalidMessage => "Malformed verification message",
            CancelCode::Accepted => "Another device answered the verification request",
            CancelCode::MismatchedCommitment => "The key does not match its commitment",
            CancelCode::MismatchedSas => "The short authentication strings do not match",
            CancelCode::Other(_) => "The verification was cancelled",
        }
    }
}

impl std::fmt::Display for CancelCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl Serialize for CancelCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Where a verification stands, as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VerificationState {
    /// We asked; the other device has not answered yet.
    Requested,
    /// The other device asks: `accept_verification` answers, `cancel_verification` declines.
    Incoming,
    /// Both agreed; the devices are exchanging their ephemeral keys.
    Started,
    /// Compare these with the other device; then confirm, or cancel with
    /// [`CancelCode::MismatchedSas`].
    KeysExchanged {
        short_auth: ShortAuthString,
    },
    /// We confirmed that they match; the other device's confirmation has not arrived yet.
    Confirmed {
        short_auth: ShortAuthString,
    },
    /// Both sides confirmed and every MAC checked out: the other device is verified.
    Done {
        short_auth: ShortAuthString,
    },
    Cancelled {
        code: CancelCode,
        reason: String,
        by_us: bool,
    },
}

impl VerificationState {
    /// The state's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            VerificationState::Requested => "requested",
            VerificationState::Incoming => "incoming",
            VerificationState::Started => "started",
            VerificationState::KeysExchanged { .. } => "keys exchanged",
            VerificationState::Confirmed { .. } => "confirmed",
            VerificationState::Done { .. } => "done",
            VerificationState::Cancelled { .. } => "cancelled",
        }
    }

    /// Done or cancelled: nothing more will happen.
    pub fn is_final(&self) -> bool {
        matches!(self, VerificationState::Done { .. } | VerificationState::Cancelled { .. })
    }

    /// The strings to compare, once the keys are exchanged.
    pub fn short_auth(&self) -> Option<&ShortAuthString> {
        match self {
            VerificationState::KeysExchanged { short_auth }
            | VerificationState::Confirmed { short_auth }
            | VerificationState::Done { short_auth } => Some(short_auth),
            _ => None,
        }
    }
}

/// One verification with another device, by its transaction id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub transaction_id: String,
    pub other_user: UserId,
    /// The device being verified; `None` while a request to several devices awaits an answer.
    pub other_device: Option<DeviceId>,
    /// We asked for it (rather than the other side).
    pub we_started: bool,
    /// It began with `m.key.verification.request` (otherwise with `m.key.verification.start`).
    pub from_request: bool,
    /// When it began (milliseconds, the caller's clock).
    pub started_ms: u64,
    pub state: VerificationState,
}

/// The hash commitment of `m.key.verification.accept`: unpadded base64 of the SHA-256 of the
/// accepting device's ephemeral public key (unpadded base64) followed by the canonical JSON of the
/// `m.key.verification.start` content.
pub fn commitment(public_key: &str, start_content: &serde_json::Value) -> Result<String> {
    let mut hasher = Sha256::new();
    hasher.update(public_key.as_bytes());
    hasher.update(to_canonical_json(start_content)?.as_bytes());
    Ok(vodozemac::base64_encode(hasher.finalize()))
}

/// One side of a verification as the SAS `info` names it: user, device, ephemeral public key.
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub user: &'a str,
    pub device: &'a str,
    pub public_key: &'a str,
}

/// The HKDF `info` for the short authentication string with `curve25519-hkdf-sha256`: the device
/// that sent `m.key.verification.start` first, then the one that accepted it.
pub fn sas_info(starter: Party<'_>, acceptor: Party<'_>, transaction_id: &str) -> String {
    format!(
        "MATRIX_KEY_VERIFICATION_SAS|{}|{}|{}|{}|{}|{}|{transaction_id}",
        starter.user, starter.device, starter.public_key, acceptor.user, acceptor.device, acceptor.public_key,
    )
}

/// The HKDF `info` of a MAC, without the key id (or `KEY_IDS`) that ends it: the user and device
/// sending the MAC, then the user and device receiving it, then the transaction id.
pub fn mac_info_base(
    sender_user: &str,
    sender_device: &str,
    receiver_user: &str,
    receiver_device: &str,
    transaction_id: &str,
) -> String {
    format!(
        "MATRIX_KEY_VERIFICATION_MAC{sender_user}{sender_device}{receiver_user}{receiver_device}{transaction_id}"
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;

    #[test]
    fn the_emoji_table_is_the_specs() {
        for (index, entry) in EMOJIS.iter().enumerate() {
            assert_eq!(usize::from(entry.number), index);
        }
        let names: BTreeSet<&str> = EMOJIS.iter().map(|entry| entry.name).collect();
        let symbols: BTreeSet<&str> = EMOJIS.iter().map(|entry| entry.emoji).collect();
        assert_eq!((names.len(), symbols.len()), (64, 64), "names and emoji are all different");
        // Spot checks against the spec's table, including the British names and the variation
        // selectors some clients get wrong.
        let check = |number: usize, code_points: &[u32], name: &str| {
            let entry = EMOJIS[number];
            let found: Vec<u32> = entry.emoji.chars().map(u32::from).collect();
            assert_eq!((found.as_slice(), entry.name), (code_points, name), "emoji {number}");
        };
        check(0, &[0x1F436], "Dog");
        check(21, &[0x2601, 0xFE0F], "Cloud");
        check(29, &[0x2764, 0xFE0F], "Heart");
        check(34, &[0x1F527], "Spanner");
        check(36, &[0x1F44D], "Thumbs Up");
        check(38, &[0x231B], "Hourglass");
        check(41, &[0x1F4A1], "Light Bulb");
        check(49, &[0x260E, 0xFE0F], "Telephone");
        check(53, &[0x2708, 0xFE0F], "Aeroplane");
        check(63, &[0x1F4CC], "Pin");
    }

    #[test]
    fn short_auth_strings_follow_the_specs_bit_layout() {
        let zeros = ShortAuthString::from_bytes(&[0; 6], true, true);
        assert_eq!(zeros.decimals, Some([1000, 1000, 1000]));
        assert!(zeros.emojis.unwrap().iter().all(|entry| entry.name == "Dog"));
        let ones = ShortAuthString::from_bytes(&[0xFF; 6], true, true);
        assert_eq!(ones.decimals, Some([9191, 9191, 9191]));
        assert!(ones.emojis.unwrap().iter().all(|entry| entry.name == "Pin"));
        // 000001 000010 000011 000100 000101 000110 000111 | 000000 (the last six bits unused).
        let counting = ShortAuthString::from_bytes(&[0x04, 0x20, 0xC4, 0x14, 0x61, 0xC0], true, false);
        let numbers: Vec<u8> = counting.emojis.unwrap().iter().map(|entry| entry.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(counting.decimals, None);
        // 0x04 0x20 → (4 << 5 | 0x20 >> 3) = 132; the rest by the spec's formulas.
        let decimals = ShortAuthString::from_bytes(&[0x04, 0x20, 0xC4, 0x14, 0x61, 0xC0], false, true);
        assert_eq!(decimals.decimals, Some([1132, 1000 + 784, 1000 + 2608]));
        assert_eq!(decimals.emojis, None);
    }

    #[test]
    fn the_commitment_hashes_the_key_and_the_canonical_start_content() {
        let start = json!({
            "transaction_id": "tx1",
            "method": "m.sas.v1",
            "from_device": "ALICE",
            "key_agreement_protocols": ["curve25519-hkdf-sha256"],
            "hashes": ["sha256"],
            "message_authentication_codes": ["hkdf-hmac-sha256.v2"],
            "short_authentication_string": ["decimal", "emoji"],
        });
        // Computed independently: Python's hashlib and base64 over
        // "PUBKEY" + json.dumps(start, sort_keys=True, separators=(",", ":")), padding stripped.
        assert_eq!(commitment("PUBKEY", &start).unwrap(), "m44uutaoSiLLN7R4Xwq73ggjsK7cVhu6feFvEwcF3eQ");
        // Key order in the message does not matter; the key does.
        let reordered: serde_json::Value = serde_json::from_str(&start.to_string()).unwrap();
        assert_eq!(commitment("PUBKEY", &reordered).unwrap(), commitment("PUBKEY", &start).unwrap());
        assert_ne!(commitment("PUBKEZ", &start).unwrap(), commitment("PUBKEY", &start).unwrap());
        assert!(commitment("PUBKEY", &json!({ "float": 1.5 })).is_err(), "not canonical JSON");
    }

    #[test]
    fn the_info_strings_are_built_as_the_spec_lists_them() {
        let alice = Party { user: "@alice:example.org", device: "ALICE", public_key: "AAAA" };
        let bob = Party { user: "@bob:example.org", device: "BOB1", public_key: "BBBB" };
        assert_eq!(
            sas_info(alice, bob, "tx1"),
            "MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|ALICE|AAAA|@bob:example.org|BOB1|BBBB|tx1"
        );
        assert_eq!(
            mac_info_base("@alice:example.org", "ALICE", "@bob:example.org", "BOB1", "tx1") + "ed25519:ALICE",
            "MATRIX_KEY_VERIFICATION_MAC@alice:example.orgALICE@bob:example.orgBOB1tx1ed25519:ALICE"
        );
    }

    #[test]
    fn cancel_codes_round_trip_and_keep_unknown_ones() {
        for code in [
            CancelCode::User,
            CancelCode::Timeout,
            CancelCode::UnknownTransaction,
            CancelCode::UnknownMethod,
            CancelCode::UnexpectedMessage,
            CancelCode::KeyMismatch,
            CancelCode::UserMismatch,
            CancelCode::InvalidMessage,
            CancelCode::Accepted,
            CancelCode::MismatchedCommitment,
            CancelCode::MismatchedSas,
        ] {
            assert_eq!(CancelCode::parse(code.as_str()), code);
        }
        assert_eq!(CancelCode::parse("org.example.custom"), CancelCode::Other("org.example.custom".into()));
        assert_eq!(serde_json::to_value(CancelCode::MismatchedSas).unwrap(), json!("m.mismatched_sas"));
    }
}
