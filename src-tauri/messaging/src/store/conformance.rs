//! One test suite for every [`CryptoStore`](super::CryptoStore) (after matrix-sdk-crypto's
//! `cryptostore_integration_tests!`). A store's test module calls
//! `cryptostore_conformance_tests!(make_store)` with a function returning the store and a guard
//! that keeps its files alive.

macro_rules! cryptostore_conformance_tests {
    ($make_store:ident) => {
        mod conformance {
            use std::collections::BTreeMap;

            use super::$make_store;
            use crate::store::{
                AccountRecord, Changes, CryptoStore, InboundGroupSessionRecord, OutboundGroupSessionRecord,
                OutboundState, RoomEventIndex, SessionRecord, TrackedUser,
            };
            use crate::types::{DeviceInfo, RoomSettings};

            fn device(user: &str, device: &str) -> DeviceInfo {
                DeviceInfo {
                    user_id: user.to_owned(),
                    device_id: device.to_owned(),
                    ed25519: format!("ed-{device}"),
                    curve25519: format!("curve-{device}"),
                    algorithms: vec!["m.olm.v1.curve25519-aes-sha2".to_owned()],
                    display_name: Some("Laptop".to_owned()),
                    first_seen_ms: 5,
                    is_new: true,
                    verified: false,
                }
            }

            fn session(id: &str, sender_key: &str, sequence: u64) -> SessionRecord {
                SessionRecord {
                    session_id: id.to_owned(),
                    sender_key: sender_key.to_owned(),
                    pickle: format!("pickle-{id}-{sequence}"),
                    created_ms: 10 * sequence,
                    sequence,
                }
            }

            #[test]
            fn a_new_store_is_empty() {
                let (store, _guard) = $make_store();
                assert!(store.load_account().unwrap().is_none());
                assert!(store.load_sessions().unwrap().is_empty());
                assert!(store.load_inbound_group_sessions().unwrap().is_empty());
                assert!(store.load_outbound_group_sessions().unwrap().is_empty());
                assert!(store.load_devices().unwrap().is_empty());
                assert!(store.load_tracked_users().unwrap().is_empty());
                assert!(store.load_sync_token().unwrap().is_none());
                assert!(!store.is_message_processed("abc").unwrap());
                assert!(store.room_event_index("s", 0).unwrap().is_none());
                let mut store = store;
                store.save_changes(Changes::default()).unwrap();
            }

            #[test]
            fn the_account_is_saved_and_replaced() {
                let (mut store, _guard) = $make_store();
                let mut account = AccountRecord {
                    user_id: "@a:x".to_owned(),
                    device_id: "A".to_owned(),
                    pickle: "one".to_owned(),
                    shared: false,
                };
                store.save_changes(Changes { account: Some(account.clone()), ..Changes::default() }).unwrap();
                assert_eq!(store.load_account().unwrap(), Some(account.clone()));
                account.pickle = "two".to_owned();
                account.shared = true;
                store.save_changes(Changes { account: Some(account.clone()), ..Changes::default() }).unwrap();
                assert_eq!(store.load_account().unwrap(), Some(account));
            }

            #[test]
            fn sessions_are_replaced_by_id_and_come_back_in_creation_order() {
                let (mut store, _guard) = $make_store();
                let sessions = vec![session("s2", "k1", 2), session("s1", "k1", 1), session("s3", "k2", 3)];
                store.save_changes(Changes { sessions, ..Changes::default() }).unwrap();
                store
                    .save_changes(Changes { sessions: vec![session("s2", "k1", 4)], ..Changes::default() })
                    .unwrap();
                let loaded = store.load_sessions().unwrap();
                let order: Vec<_> = loaded.iter().map(|s| (s.session_id.as_str(), s.sequence)).collect();
                assert_eq!(order, [("s1", 1), ("s3", 3), ("s2", 4)]);
                assert_eq!(loaded[2].pickle, "pickle-s2-4");
            }

            #[test]
            fn group_sessions_round_trip() {
                let (mut store, _guard) = $make_store();
                let inbound = InboundGroupSessionRecord {
                    room_id: "!r:x".to_owned(),
                    session_id: "g1".to_owned(),
                    sender_key: "curve".to_owned(),
                    claimed_ed25519_key: "ed".to_owned(),
                    pickle: "secret".to_owned(),
                };
                let outbound = OutboundGroupSessionRecord {
                    room_id: "!r:x".to_owned(),
                    session_id: "g2".to_owned(),
                    pickle: "secret2".to_owned(),
                    state: OutboundState {
                        created_ms: 7,
                        message_count: 3,
                        settings: RoomSettings::default(),
                        members: vec!["@a:x".to_owned()],
                        shared_with: BTreeMap::from([(
                            "@a:x".to_owned(),
                            BTreeMap::from([("A".to_owned(), 0)]),
                        )]),
                        invalidated: false,
                    },
                };
                store
                    .save_changes(Changes {
                        inbound_group_sessions: vec![inbound.clone()],
                        outbound_group_sessions: vec![outbound.clone()],
                        ..Changes::default()
                    })
                    .unwrap();
                assert_eq!(store.load_inbound_group_sessions().unwrap(), vec![inbound]);
                let mut rotated = outbound.clone();
                rotated.session_id = "g3".to_owned();
                store
                    .save_changes(Changes {
                        outbound_group_sessions: vec![rotated.clone()],
                        ..Changes::default()
                    })
                    .unwrap();
                assert_eq!(store.load_outbound_group_sessions().unwrap(), vec![rotated]);
            }

            #[test]
            fn devices_and_tracked_users_are_saved_and_removed() {
                let (mut store, _guard) = $make_store();
                store
                    .save_changes(Changes {
                        devices: vec![device("@b:x", "B1"), device("@b:x", "B2")],
                        tracked_users: vec![TrackedUser {
                            user_id: "@b:x".to_owned(),
                            dirty: true,
                            queried: false,
                        }],
                        ..Changes::default()
                    })
                    .unwrap();
                assert_eq!(store.load_devices().unwrap(), vec![device("@b:x", "B1"), device("@b:x", "B2")]);
                let mut seen = device("@b:x", "B1");
                seen.is_new = false;
                seen.verified = true;
                store
                    .save_changes(Changes {
                        devices: vec![seen.clone()],
                        deleted_devices: vec![("@b:x".to_owned(), "B2".to_owned())],
                        tracked_users: vec![TrackedUser {
                            user_id: "@b:x".to_owned(),
                            dirty: false,
                            queried: true,
                        }],
                        ..Changes::default()
                    })
                    .unwrap();
                assert_eq!(store.load_devices().unwrap(), vec![seen]);
                assert_eq!(
                    store.load_tracked_users().unwrap(),
                    vec![TrackedUser { user_id: "@b:x".to_owned(), dirty: false, queried: true }]
                );
                store
                    .save_changes(Changes { untracked_users: vec!["@b:x".to_owned()], ..Changes::default() })
                    .unwrap();
                assert!(store.load_tracked_users().unwrap().is_empty());
            }

            #[test]
            fn processed_messages_and_the_sync_token_are_kept() {
                let (mut store, _guard) = $make_store();
                store
                    .save_changes(Changes {
                        processed_messages: vec!["h1".to_owned(), "h2".to_owned()],
                        sync_token: Some("s1".to_owned()),
                        ..Changes::default()
                    })
                    .unwrap();
                store
                    .save_changes(Changes {
                        processed_messages: vec!["h1".to_owned()],
                        sync_token: Some("s2".to_owned()),
                        ..Changes::default()
                    })
                    .unwrap();
                assert!(store.is_message_processed("h1").unwrap());
                assert!(store.is_message_processed("h2").unwrap());
                assert!(!store.is_message_processed("h3").unwrap());
                assert_eq!(store.load_sync_token().unwrap().as_deref(), Some("s2"));
            }

            #[test]
            fn the_first_event_to_use_a_megolm_index_wins() {
                let (mut store, _guard) = $make_store();
                let index = |event: &str| RoomEventIndex {
                    session_id: "g".to_owned(),
                    message_index: 4,
                    event_id: event.to_owned(),
                };
                store
                    .save_changes(Changes { room_event_indices: vec![index("$first")], ..Changes::default() })
                    .unwrap();
                store
                    .save_changes(Changes {
                        room_event_indices: vec![index("$second")],
                        ..Changes::default()
                    })
                    .unwrap();
                assert_eq!(store.room_event_index("g", 4).unwrap().as_deref(), Some("$first"));
                assert_eq!(store.room_event_index("g", 5).unwrap(), None);
            }
        }
    };
}
