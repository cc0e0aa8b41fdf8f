//! Snapshots of the request bodies we build, so a change to what goes on the wire is a reviewed
//! diff.

use commonplace_matrix::{CreateRoomRequest, LoginRequest};

#[test]
fn login_with_a_password() {
    let request = LoginRequest::password("@alice:example.org", "correct horse")
        .device_id("ABCDEFGH")
        .initial_device_display_name("Commonplace on the staff laptop");
    insta::assert_json_snapshot!(request);
}

#[test]
fn login_debug_output_hides_the_password() {
    let request = LoginRequest::password("alice", "correct horse");
    assert!(!format!("{request:?}").contains("correct horse"));
}

#[test]
fn create_an_encrypted_direct_message() {
    insta::assert_json_snapshot!(CreateRoomRequest::direct_message("@bob:example.org", true));
}

#[test]
fn create_a_private_room_with_invites() {
    let request = CreateRoomRequest::private_room("Year 9 geography")
        .invite("@bob:example.org")
        .invite("@carol:example.org")
        .encrypted();
    insta::assert_json_snapshot!(request);
}
