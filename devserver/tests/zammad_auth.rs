//! The fake Zammad's authentication as strict as the real one (docs/zammad-api.md 2, 9.3, 9.4,
//! 9.11, 9.13): cookie before token, CSRF per session, two-factor methods, lockout, the API
//! access settings and the token-delete texts.

mod common;

use base64::Engine;
use common::*;
use devserver::zammad::store::ZVersion;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const HOST: &str = "localhost:8080";

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn cookie_of(r: &Resp) -> String {
    r.header("set-cookie")
        .expect("Set-Cookie")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// `POST /__test/agent_session` → `name=value` for a Cookie header.
async fn agent_cookie(srv: &Server) -> String {
    let c = srv
        .test_api("POST", "/agent_session", json!({}))
        .await
        .json();
    assert_eq!(c["path"], "/");
    format!(
        "{}={}",
        c["name"].as_str().unwrap(),
        c["value"].as_str().unwrap()
    )
}

async fn last_request(srv: &Server) -> Value {
    let log = srv.test_api("GET", "/requests", Value::Null).await.json();
    log.as_array().unwrap().last().cloned().unwrap()
}

async fn signshow_csrf(srv: &Server, cookie: Option<&str>) -> String {
    let mut h = JSON_HEADERS.to_vec();
    if let Some(c) = cookie {
        h.push(("Cookie", c));
    }
    let r = srv.send("GET", "/api/v1/signshow", &h, None).await;
    r.header("csrf-token").expect("CSRF-TOKEN")
}

async fn signin(srv: &Server, csrf: &str, body: Value) -> Resp {
    let mut h = JSON_HEADERS.to_vec();
    h.push(("X-CSRF-Token", csrf));
    h.push(("Host", HOST));
    srv.send("POST", "/api/v1/signin", &h, Some(&body)).await
}

fn alice_login() -> Value {
    json!({"username": "alice", "password": "alice-demo", "fingerprint": "t"})
}

fn with(mut body: Value, method: &str, payload: Value) -> Value {
    body["two_factor_method"] = method.into();
    body["two_factor_payload"] = payload;
    body
}

#[tokio::test]
async fn a_session_cookie_wins_over_a_token_and_writes_then_need_its_csrf_token() {
    let srv = server(ZVersion::V7);
    let token = srv.alice().await;
    let agent = agent_cookie(&srv).await;
    let mut h = JSON_HEADERS.to_vec();
    h.push(("Authorization", &token));
    let alone = srv.send("GET", "/api/v1/users/me", &h, None).await;
    assert_eq!(alone.json()["login"], "alice");
    assert_eq!(last_request(&srv).await["acted_as"], "alice");
    h.push(("Cookie", &agent));
    let me = srv.send("GET", "/api/v1/users/me", &h, None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["login"], "emma@helpdesk.example");
    let logged = last_request(&srv).await;
    assert_eq!(logged["acted_as"], "emma@helpdesk.example");
    assert_eq!(logged["headers"]["cookie"], true);
    // The first write fails: the agent's session wants its CSRF token, the token is not asked.
    let write = srv
        .send(
            "PUT",
            "/api/v1/tickets/101",
            &h,
            Some(&json!({"article": {"body": "x"}})),
        )
        .await;
    assert_eq!(write.status, 401);
    assert_eq!(write.json()["invalid_csrf_token"], true);
    assert!(write.header("csrf-token").is_none(), "no token on errors");
    assert_eq!(
        last_request(&srv).await["acted_as"],
        "emma@helpdesk.example",
        "the refused write was taken for the agent's"
    );
}

#[tokio::test]
async fn csrf_tokens_belong_to_one_session() {
    let srv = server(ZVersion::V65);
    let agent = agent_cookie(&srv).await;
    let pre = signshow_csrf(&srv, None).await;
    let agents = signshow_csrf(&srv, Some(&agent)).await;
    let (alice, alices) = srv.session("alice", "alice-demo").await;
    let put = |cookie: String, csrf: String| {
        let srv = &srv;
        async move {
            let h = [
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("Cookie", cookie.as_str()),
                ("X-CSRF-Token", csrf.as_str()),
            ];
            srv.send(
                "PUT",
                "/api/v1/tickets/101",
                &h,
                Some(&json!({"title": "t"})),
            )
            .await
        }
    };
    for (cookie, csrf) in [
        (alice.clone(), pre.clone()),
        (alice.clone(), agents.clone()),
        (agent.clone(), alices.clone()),
    ] {
        let r = put(cookie, csrf).await;
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(r.json()["error"], "CSRF token verification failed!");
    }
    assert_eq!(put(alice.clone(), alices.clone()).await.status, 200);
    // The pre-session's token signs in without a cookie, not with someone else's.
    let mut h = JSON_HEADERS.to_vec();
    h.push(("X-CSRF-Token", &pre));
    h.push(("Cookie", &agent));
    let body = json!({"username": "bob", "password": "bob-demo"});
    let r = srv.send("POST", "/api/v1/signin", &h, Some(&body)).await;
    assert_eq!(r.status, 401);
    assert!(r.header("csrf-token").is_none());
    assert_eq!(signin(&srv, &pre, body).await.status, 201);
}

#[tokio::test]
async fn the_challenge_lists_every_method_and_basic_is_refused() {
    let srv = server(ZVersion::V7);
    let set = srv
        .test_api(
            "PATCH",
            "/users/alice",
            json!({"two_factor": {"methods": ["security_keys", "authenticator_app"],
                "default": "authenticator_app", "code": "123456",
                "recovery_codes": ["aaaa-1111", "bbbb-2222"],
                "security_key": {"credential_id": "Y3JlZA"}}}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let basic_mint = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&basic("alice", "alice-demo")),
            Some(json!({"name": "p"})),
        )
        .await;
    assert_eq!(
        (basic_mint.status, basic_mint.json()["error"].clone()),
        (
            401,
            json!("Two-factor authentication is not supported with HTTP BasicAuth.")
        )
    );
    let csrf = signshow_csrf(&srv, None).await;
    let r = signin(&srv, &csrf, alice_login()).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json(),
        json!({"two_factor_required": {
            "default_two_factor_authentication_method": "authenticator_app",
            "available_two_factor_authentication_methods": ["security_keys", "authenticator_app"],
            "recovery_codes_available": true}})
    );
    assert!(
        r.header("csrf-token").is_some(),
        "the challenge is rendered, not raised"
    );
    let csrf = r.header("csrf-token").unwrap();
    let wrong = signin(
        &srv,
        &csrf,
        with(alice_login(), "authenticator_app", "654321".into()),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.json()["error"].clone()),
        (
            401,
            json!("Login failed. Please double-check your two-factor authentication method.")
        )
    );
    let right = signin(
        &srv,
        &csrf,
        with(alice_login(), "authenticator_app", "123456".into()),
    )
    .await;
    assert_eq!(right.status, 201, "{}", right.text());
}

#[tokio::test]
async fn recovery_codes_work_once() {
    let srv = server(ZVersion::V65);
    srv.test_api(
        "PATCH",
        "/users/alice",
        json!({"two_factor": {"methods": ["authenticator_app"], "code": "123456",
            "recovery_codes": ["aaaa-1111"]}}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    let first = signin(
        &srv,
        &csrf,
        with(alice_login(), "recovery_codes", "aaaa-1111".into()),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text());
    let csrf = signshow_csrf(&srv, None).await;
    let again = signin(
        &srv,
        &csrf,
        with(alice_login(), "recovery_codes", "aaaa-1111".into()),
    )
    .await;
    assert_eq!(again.status, 401);
    let challenge = signin(&srv, &csrf, alice_login()).await.json();
    assert_eq!(
        challenge["two_factor_required"]["recovery_codes_available"],
        false
    );
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_wrong_codes_do_not() {
    let srv = server(ZVersion::V7);
    srv.test_api(
        "PATCH",
        "/users/alice",
        json!({"two_factor_code": "123456"}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    for _ in 0..8 {
        let r = signin(
            &srv,
            &csrf,
            with(alice_login(), "authenticator_app", "000000".into()),
        )
        .await;
        assert_eq!(r.status, 401);
    }
    let ok = signin(
        &srv,
        &csrf,
        with(alice_login(), "authenticator_app", "123456".into()),
    )
    .await;
    assert_eq!(ok.status, 201, "wrong codes are not counted: {}", ok.text());
    let csrf = signshow_csrf(&srv, None).await;
    let bad = json!({"username": "alice", "password": "nope"});
    for _ in 0..6 {
        assert_eq!(signin(&srv, &csrf, bad.clone()).await.status, 401);
    }
    let locked = signin(
        &srv,
        &csrf,
        with(alice_login(), "authenticator_app", "123456".into()),
    )
    .await;
    assert_eq!(
        (locked.status, locked.json()["error"].clone()),
        (
            401,
            json!("Login failed. Have you double-checked your credentials and completed the email verification step?")
        ),
        "a locked account answers like a wrong password"
    );
    let state = srv
        .test_api("PATCH", "/users/alice", json!({"password": "alice-demo"}))
        .await
        .json();
    assert_eq!(state["user"]["login_failed"], 0, "a new password unlocks");
}

/// What a browser's `navigator.credentials.get` returns, as JSON (`PublicKeyCredential.toJSON()`).
fn assertion(challenge: &str, origin: &str, id: &str, count: u32) -> Value {
    let client = json!({"type": "webauthn.get", "challenge": challenge, "origin": origin});
    let mut data = Sha256::digest(b"localhost").to_vec();
    data.push(0x01);
    data.extend(count.to_be_bytes());
    json!({"id": id, "rawId": id, "type": "public-key", "response": {
        "clientDataJSON": b64url(client.to_string().as_bytes()),
        "authenticatorData": b64url(&data),
        "signature": b64url(b"sig"),
        "userHandle": null}, "clientExtensionResults": {}})
}

async fn initiate(srv: &Server, csrf: &str, password: &str) -> Resp {
    let mut h = JSON_HEADERS.to_vec();
    h.push(("X-CSRF-Token", csrf));
    srv.send(
        "POST",
        "/api/v1/auth/two_factor_initiate_authentication/security_keys",
        &h,
        Some(&json!({"username": "carol", "password": password, "method": "security_keys"})),
    )
    .await
}

#[tokio::test]
async fn security_keys_sign_in_with_an_issued_challenge() {
    let srv = server(ZVersion::V7);
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor": {"methods": ["security_keys"], "security_key": {"credential_id": "a2V5LTE"}}}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    let carol = json!({"username": "carol", "password": "carol-demo"});
    let no_csrf = srv
        .api(
            "POST",
            "/api/v1/auth/two_factor_initiate_authentication/security_keys",
            None,
            Some(carol.clone()),
        )
        .await;
    assert_eq!(no_csrf.status, 401);
    let wrong = initiate(&srv, &csrf, "nope").await;
    assert_eq!(
        (wrong.status, wrong.json()["error"].clone()),
        (422, json!("The username or password is incorrect."))
    );
    let options = initiate(&srv, &csrf, "carol-demo").await;
    assert_eq!(options.status, 200, "{}", options.text());
    let options = options.json();
    assert_eq!(
        options["allowCredentials"],
        json!([{"type": "public-key", "id": "a2V5LTE"}])
    );
    assert_eq!(options["userVerification"], "discouraged");
    let issued = options["challenge"].as_str().unwrap();
    assert_eq!(
        b64url(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(issued)
                .unwrap()
        ),
        issued,
        "canonical base64url"
    );
    let challenge = options["challenge"].as_str().unwrap().to_string();
    let payload = |origin: &str, id: &str, count: u32| json!({"credential": assertion(&challenge, origin, id, count), "challenge": challenge});
    // A wrong origin or credential spends the challenge.
    let r = signin(
        &srv,
        &csrf,
        with(
            carol.clone(),
            "security_keys",
            payload("http://evil.example", "a2V5LTE", 1),
        ),
    )
    .await;
    assert_eq!(r.status, 401);
    let r = signin(
        &srv,
        &csrf,
        with(
            carol.clone(),
            "security_keys",
            payload("http://localhost:8080", "a2V5LTE", 1),
        ),
    )
    .await;
    assert_eq!(r.status, 401, "the challenge was spent");
    let challenge = initiate(&srv, &csrf, "carol-demo").await.json()["challenge"]
        .as_str()
        .unwrap()
        .to_string();
    let good = json!({"credential": assertion(&challenge, "http://localhost:8080", "a2V5LTE", 3), "challenge": challenge});
    let r = signin(
        &srv,
        &csrf,
        with(carol.clone(), "security_keys", good.clone()),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let replay = signin(&srv, &csrf, with(carol.clone(), "security_keys", good)).await;
    assert_eq!(replay.status, 401, "a challenge works once");
    // Rack::Attack: 3 initiations a minute per user name.
    let throttled = initiate(&srv, &csrf, "carol-demo").await;
    assert_eq!(throttled.status, 429);
}

#[tokio::test]
async fn an_authenticator_only_user_has_no_security_key_to_initiate() {
    let srv = server(ZVersion::V65);
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor_code": "123456"}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    let r = initiate(&srv, &csrf, "carol-demo").await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (
            422,
            json!("The two-factor authentication method is not enabled.")
        )
    );
}

#[tokio::test]
async fn version_5_has_no_two_factor() {
    let srv = server(ZVersion::V5);
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor_code": "123456"}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    let r = initiate(&srv, &csrf, "carol-demo").await;
    assert_eq!(r.status, 404);
    let r = signin(
        &srv,
        &csrf,
        json!({"username": "carol", "password": "carol-demo"}),
    )
    .await;
    assert_eq!(r.status, 201);
    let t = srv.token_for("carol", "carol-demo").await;
    assert!(t.starts_with("Token token="));
}

#[tokio::test]
async fn api_access_settings_refuse_tokens_and_basic_but_not_sessions() {
    let srv = server(ZVersion::V7);
    let token = srv.alice().await;
    srv.test_api("PATCH", "/settings", json!({"api_token_access": false}))
        .await;
    let mint = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&basic("alice", "alice-demo")),
            Some(json!({"name": "p"})),
        )
        .await;
    assert_eq!(
        (mint.status, mint.json()["error"].clone()),
        (422, json!("API token access disabled!"))
    );
    let use_it = srv.api("GET", "/api/v1/users/me", Some(&token), None).await;
    assert_eq!(
        (use_it.status, use_it.json()["error"].clone()),
        (403, json!("API token access disabled!"))
    );
    srv.test_api(
        "PATCH",
        "/settings",
        json!({"api_token_access": true, "api_password_access": false}),
    )
    .await;
    let basic_call = srv
        .api(
            "GET",
            "/api/v1/users/me",
            Some(&basic("alice", "alice-demo")),
            None,
        )
        .await;
    assert_eq!(
        (basic_call.status, basic_call.json()["error"].clone()),
        (403, json!("API password access disabled!"))
    );
    assert_eq!(
        srv.api("GET", "/api/v1/users/me", Some(&token), None)
            .await
            .status,
        200
    );
    srv.test_api("PATCH", "/settings", json!({"api_token_access": false}))
        .await;
    let (cookie, _) = srv.session("alice", "alice-demo").await;
    let me = srv
        .send(
            "GET",
            "/api/v1/users/me",
            &[("Accept", "application/json"), ("Cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!(me.json()["login"], "alice", "sessions need neither setting");
}

#[tokio::test]
async fn a_missing_or_foreign_token_cannot_be_deleted() {
    for (version, text) in [
        (ZVersion::V7, "The API token could not be found."),
        (ZVersion::V65, "The API token could not be found."),
        (ZVersion::V5, "Unable to find api token!"),
    ] {
        let srv = server(version);
        let _bobs = srv.token_for("bob", "bob-demo").await;
        let alice = srv.alice().await;
        for id in ["1", "999"] {
            let r = srv
                .api(
                    "DELETE",
                    &format!("/api/v1/user_access_token/{id}"),
                    Some(&alice),
                    None,
                )
                .await;
            assert_eq!(
                (r.status, r.json()["error"].clone()),
                (422, json!(text)),
                "{version:?} {id}"
            );
        }
    }
}

#[tokio::test]
async fn signout_ends_the_session() {
    let srv = server(ZVersion::V7);
    let csrf = signshow_csrf(&srv, None).await;
    let r = signin(&srv, &csrf, alice_login()).await;
    let cookie = cookie_of(&r);
    let sessions = |v: Value| v["sessions"].as_u64().unwrap();
    assert_eq!(
        sessions(srv.test_api("GET", "/state", Value::Null).await.json()),
        1
    );
    srv.send(
        "DELETE",
        "/api/v1/signout",
        &[("Accept", "application/json"), ("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(
        sessions(srv.test_api("GET", "/state", Value::Null).await.json()),
        0
    );
}

#[tokio::test]
async fn a_known_public_key_makes_the_es256_signature_count() {
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::{Signature, SigningKey};
    use p256::pkcs8::EncodePublicKey;
    let key = SigningKey::from_bytes(&[7u8; 32].into()).unwrap();
    let spki = p256::PublicKey::from(key.verifying_key())
        .to_public_key_der()
        .unwrap()
        .as_bytes()
        .to_vec();
    let srv = server(ZVersion::V7);
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor": {"methods": ["security_keys"],
            "security_key": {"credential_id": "a2V5LTE", "public_key": b64url(&spki)}}}),
    )
    .await;
    let csrf = signshow_csrf(&srv, None).await;
    let carol = json!({"username": "carol", "password": "carol-demo"});
    let sign = |signed_by: &SigningKey, count: u32, challenge: &str| {
        let mut a = assertion(challenge, "http://localhost:8080", "a2V5LTE", count);
        let b64 = |k: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(a["response"][k].as_str().unwrap())
                .unwrap()
        };
        let mut signed = b64("authenticatorData");
        signed.extend(Sha256::digest(b64("clientDataJSON")));
        let signature: Signature = signed_by.sign(&signed);
        a["response"]["signature"] = b64url(signature.to_der().as_bytes()).into();
        json!({"credential": a, "challenge": challenge})
    };
    let challenge = |r: Resp| r.json()["challenge"].as_str().unwrap().to_string();
    let other = SigningKey::from_bytes(&[9u8; 32].into()).unwrap();
    let c = challenge(initiate(&srv, &csrf, "carol-demo").await);
    let forged = signin(
        &srv,
        &csrf,
        with(carol.clone(), "security_keys", sign(&other, 1, &c)),
    )
    .await;
    assert_eq!(forged.status, 401, "another key's signature is refused");
    let c = challenge(initiate(&srv, &csrf, "carol-demo").await);
    let fake_sig =
        json!({"credential": assertion(&c, "http://localhost:8080", "a2V5LTE", 1), "challenge": c});
    let r = signin(&srv, &csrf, with(carol.clone(), "security_keys", fake_sig)).await;
    assert_eq!(r.status, 401, "no valid signature");
    let c = challenge(initiate(&srv, &csrf, "carol-demo").await);
    let good = signin(&srv, &csrf, with(carol, "security_keys", sign(&key, 1, &c))).await;
    assert_eq!(good.status, 201, "{}", good.text());
}
