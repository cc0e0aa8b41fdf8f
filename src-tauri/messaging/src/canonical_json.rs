//! Matrix canonical JSON (spec appendix "Signing JSON") and the signing of JSON objects with it.
//!
//! Implemented here rather than taken from a crate: ruma's is heavy, and the small `canonical_json`
//! crate follows a different canonical form (it escapes non-ASCII as `\uXXXX`, which Matrix does
//! not). The rules are few — keys sorted by code point at every depth, no insignificant whitespace,
//! shortest escapes with raw UTF-8, integers only within ±(2^53 − 1) — and the tests check them
//! against the spec's own examples. Keys are sorted explicitly instead of relying on serde_json's
//! map order, which another crate in the build could change by enabling `preserve_order`.

use serde_json::{Map, Value};
use vodozemac::{Ed25519PublicKey, Ed25519Signature};

use crate::error::{Error, Result};

/// The largest magnitude an integer may have in canonical JSON: 2^53 − 1.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Encodes `value` as Matrix canonical JSON.
pub fn to_canonical_json(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&canonical_integer(number)?.to_string()),
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorting the UTF-8 bytes of the keys is sorting by code point, as the spec asks.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (position, key) in keys.into_iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                if let Some(item) = map.get(key) {
                    write_value(item, out)?;
                }
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Numbers must be integers within the safe range. A float with an integral value (the spec's own
/// example writes `1e10`) is accepted and written as the integer, because it denotes one.
fn canonical_integer(number: &serde_json::Number) -> Result<i64> {
    let integer = if let Some(integer) = number.as_i64() {
        integer
    } else if let Some(float) = number.as_f64() {
        if float.fract() != 0.0 || !float.is_finite() || float.abs() > MAX_SAFE_INTEGER as f64 {
            return Err(Error::NonCanonicalJson { reason: format!("{number} is not an integer") });
        }
        // The checks above keep this conversion exact.
        float as i64
    } else {
        return Err(Error::NonCanonicalJson { reason: format!("{number} is out of range") });
    };
    if !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&integer) {
        return Err(Error::NonCanonicalJson {
            reason: format!("{integer} is outside the range of integers canonical JSON allows"),
        });
    }
    Ok(integer)
}

/// The shortest escapes: `"` and `\`, the two-character forms for the control characters that have
/// one, `\u00XX` for the other control characters, and everything else as raw UTF-8.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if (control as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", control as u32)),
            other => out.push(other),
        }
    }
    out.push('"');
}

/// The bytes a signature covers: the object without `signatures` and `unsigned`, canonically encoded.
pub fn signable_bytes(object: &Map<String, Value>) -> Result<String> {
    let mut copy = object.clone();
    copy.remove("signatures");
    copy.remove("unsigned");
    to_canonical_json(&Value::Object(copy))
}

/// Checks `object.signatures[user_id][key_id]` against `key`.
pub fn verify_json(
    object: &Map<String, Value>,
    user_id: &str,
    key_id: &str,
    key: &Ed25519PublicKey,
) -> std::result::Result<(), String> {
    let signature = object
        .get("signatures")
        .and_then(|signatures| signatures.get(user_id))
        .and_then(|by_user| by_user.get(key_id))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("there is no signature by {user_id} with {key_id}"))?;
    let signature = Ed25519Signature::from_base64(signature)
        .map_err(|error| format!("the signature is malformed: {error}"))?;
    let bytes = signable_bytes(object).map_err(|error| error.to_string())?;
    key.verify(bytes.as_bytes(), &signature)
        .map_err(|error| format!("the signature does not verify: {error}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        let value: Value = serde_json::from_str(input).unwrap();
        assert_eq!(to_canonical_json(&value).unwrap(), expected, "input: {input}");
    }

    /// The examples of the Matrix spec's appendix, "Canonical JSON".
    #[test]
    fn spec_examples() {
        check("{}", "{}");
        check(r#"{"one": 1, "two": "Two"}"#, r#"{"one":1,"two":"Two"}"#);
        check(r#"{"b": "2", "a": "1"}"#, r#"{"a":"1","b":"2"}"#);
        check(r#"{"b":"2","a":"1"}"#, r#"{"a":"1","b":"2"}"#);
        check(
            r#"{
                "auth": {
                    "success": true,
                    "mxid": "@john.doe:example.com",
                    "profile": {
                        "display_name": "John Doe",
                        "three_pids": [
                            {"medium": "email", "address": "john.doe@example.org"},
                            {"medium": "msisdn", "address": "123456789"}
                        ]
                    }
                }
            }"#,
            r#"{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}"#,
        );
        check(r#"{"a": "日本語"}"#, r#"{"a":"日本語"}"#);
        check(r#"{"本": 2, "日": 1}"#, r#"{"日":1,"本":2}"#);
        check(r#"{"a": "\u65E5"}"#, r#"{"a":"日"}"#);
        check(r#"{"a": null}"#, r#"{"a":null}"#);
        check(r#"{"a": -0, "b": 1e10}"#, r#"{"a":0,"b":10000000000}"#);
    }

    #[test]
    fn escapes_are_the_shortest() {
        check(r#"{"a": "\u0001\b\n\"\\/\u007f"}"#, "{\"a\":\"\\u0001\\b\\n\\\"\\\\/\u{7f}\"}");
    }

    #[test]
    fn floats_and_unsafe_integers_are_refused() {
        for number in [json!(1.5), json!(9007199254740992_i64), json!(-9007199254740992_i64)] {
            assert!(to_canonical_json(&json!({ "n": number })).is_err(), "{number} was accepted");
        }
        check(r#"{"n": 9007199254740991}"#, r#"{"n":9007199254740991}"#);
    }

    #[test]
    fn signatures_and_unsigned_are_not_signed() {
        let object = json!({"b": 1, "signatures": {"x": {}}, "unsigned": {"y": 2}, "a": [true, false]});
        let Value::Object(map) = object else { unreachable!() };
        assert_eq!(signable_bytes(&map).unwrap(), r#"{"a":[true,false],"b":1}"#);
    }
}
