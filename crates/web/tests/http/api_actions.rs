//! The page actions the API does too: attachments and photos, disciplines, the count of
//! students, the rules and settings, the holiday calendar, and every spreadsheet and Word
//! file a page exports. Each area with a refusal by who asks and one by what is sent.

use super::*;
use chrono::Datelike;

/// A program's upload to the API: the text fields, then `file`.
fn api_upload(
    uri: &str,
    (cookie, csrf): (&str, &str),
    fields: &[(&str, &str)],
    (file_name, content_type, bytes): (&str, &str, &[u8]),
) -> Request<Body> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--b\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--b--\r\n");
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

#[tokio::test]
async fn attachments_and_photos_are_kept_and_downloaded_through_the_api() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let branch = first_id(&w, "/api/v1/orgs?kind=branch&per_page=1", &admin).await;
    let uri = format!("/api/v1/orgs/{branch}/attachments");
    let r = send(
        &w,
        api_upload(
            &uri,
            (&admin, &csrf),
            &[],
            ("会议纪要.pdf", "application/pdf", PDF),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let kept = r.json();
    assert_eq!(kept["file_name"], "会议纪要.pdf");
    let r = send(&w, get(&uri, &admin)).await;
    assert!(
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == kept["id"]),
        "{}",
        r.body
    );
    let r = send(&w, get(kept["href"].as_str().unwrap(), &admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.body.starts_with("%PDF"));

    // A meeting's photo is an image: a PDF is refused, naming the file.
    let year = dangjian_domain::clock::Clock::today(&SystemClock).year();
    let meeting = first_id(
        &w,
        &format!("/api/v1/orgs/{branch}/meetings?year={year}&per_page=1"),
        &admin,
    )
    .await;
    let photos = format!("/api/v1/meetings/{meeting}/photos");
    let r = send(
        &w,
        api_upload(
            &photos,
            (&admin, &csrf),
            &[],
            ("a.pdf", "application/pdf", PDF),
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file")),
        "{}",
        r.body
    );
    let r = send(
        &w,
        api_upload(&photos, (&admin, &csrf), &[], ("a.png", "image/png", PNG)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["content_type"], "image/png");

    // A document of a development step, with what it is.
    let activists = send(
        &w,
        get("/api/v1/people?status=activist&per_page=50", &admin),
    )
    .await;
    let mut recorded = None;
    for p in activists.json()["items"].as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let r = send(&w, get(&format!("/api/v1/people/{id}/development"), &admin)).await;
        if let Some(step) = r.json()["steps"][0]["id"].as_i64() {
            recorded = Some((id, step));
            break;
        }
    }
    let (person, step) = recorded.expect("an activist of the demo with recorded steps");
    let r = send(
        &w,
        api_upload(
            &format!("/api/v1/people/{person}/development/steps/{step}/attachments"),
            (&admin, &csrf),
            &[("label", "入党申请书")],
            ("申请书.pdf", "application/pdf", PDF),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["label"], "入党申请书");

    // An applicant may neither upload to the branch nor download what it keeps.
    let (activist, token) = sign_in(&w, "activist").await;
    let r = send(
        &w,
        api_upload(
            &uri,
            (&activist, &token),
            &[],
            ("a.pdf", "application/pdf", PDF),
        ),
    )
    .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}: {}",
        r.status,
        r.body
    );
    let r = send(&w, get(kept["href"].as_str().unwrap(), &activist)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

#[tokio::test]
async fn a_discipline_and_the_students_are_recorded_through_the_api() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let member = first_id(&w, "/api/v1/people?status=full&per_page=1", &admin).await;
    let uri = format!("/api/v1/people/{member}/disciplines");
    let r = send(
        &w,
        json(
            "POST",
            &uri,
            &admin,
            r#"{"kind":"probation","decided_on":"2026-01-05","decided_by":"党支部","reason":"违反纪律"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("years")),
        "{}",
        r.body
    );
    let r = send(
        &w,
        json(
            "POST",
            &uri,
            &admin,
            r#"{"kind":"scolding","decided_on":"2026-01-05","decided_by":"党支部","reason":"x"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
        "{}",
        r.body
    );
    let r = send(
        &w,
        json(
            "POST",
            &uri,
            &admin,
            r#"{"kind":"probation","years":1,"decided_on":"2026-01-05","decided_by":"党支部","reason":"违反纪律"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // One year from the decision: its last day is the day before.
    assert_eq!(r.json()["until"], "2027-01-04");
    let (auditor, _) = sign_in(&w, "auditor").await;
    let r = send(
        &w,
        json(
            "POST",
            &uri,
            &auditor,
            r#"{"kind":"warning","decided_on":"2026-01-05","decided_by":"党支部","reason":"x"}"#,
        ),
    )
    .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}: {}",
        r.status,
        r.body
    );

    let college = first_id(&w, "/api/v1/orgs?kind=committee&per_page=1", &admin).await;
    let uri = format!("/api/v1/orgs/{college}/students");
    let r = send(&w, json("PUT", &uri, &admin, r#"{"students":-3}"#)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("students")),
        "{}",
        r.body
    );
    let r = send(&w, json("PUT", &uri, &admin, r#"{"students":1200}"#)).await;
    assert_eq!(
        (r.status, r.json()["students"].as_u64()),
        (StatusCode::OK, Some(1200)),
        "{}",
        r.body
    );
    let (branchsec, _) = sign_in(&w, "branchsec").await;
    let r = send(&w, json("PUT", &uri, &branchsec, r#"{"students":1}"#)).await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}: {}",
        r.status,
        r.body
    );
}

#[tokio::test]
async fn the_rules_the_settings_and_the_calendar_are_kept_through_the_api() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (sysadmin, _) = sign_in(&w, "sysadmin").await;
    let rules = send(&w, get("/api/v1/rules", &admin)).await;
    assert_eq!(rules.status, StatusCode::OK, "{}", rules.body);
    let has = |key: &str| {
        rules.json()["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["key"] == key)
    };
    assert!(has("dev_publicity_days") && !has("lockout_failures"));
    let set = |who: &str, body: &str| send(&w, json("PUT", "/api/v1/rules", who, body));
    let r = set(
        &admin,
        r#"{"values":[{"key":"dev_publicity_days","value":4}]}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = set(
        &admin,
        r#"{"effective_from":"2099-09-01","values":[{"key":"dev_publicity_days","value":7}]}"#,
    )
    .await;
    assert_eq!(r.json()["changed"], 1, "{}", r.body);
    let r = send(&w, get("/api/v1/rules", &admin)).await.json();
    assert!(
        r["versions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["effective_from"] == "2099-09-01" && v["value"] == 7),
        "{r}"
    );
    // A system setting is not a rule; the system admin keeps those, and not these.
    let r = set(
        &admin,
        r#"{"values":[{"key":"lockout_failures","value":6}]}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        set(&sysadmin, r#"{"values":[]}"#).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&w, get("/api/v1/rules", &sysadmin)).await.status,
        StatusCode::FORBIDDEN
    );

    // How a step is run: the 细则's bodies stay.
    let step = |body: &str| {
        send(
            &w,
            json("PUT", "/api/v1/rules/steps/admission_vote", &admin, body),
        )
    };
    let r = step(r#"{"body":"branch","recorder":"branch"}"#).await;
    assert_eq!(
        (r.status, r.json()["rule"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("development.policy_fixed_body")
        ),
        "{}",
        r.body
    );
    let r = step(r#"{"recorder":"branch","documents":["入党志愿书","表决票"]}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.json()["documents"][1].as_str(),
            r.json()["changed"].as_bool()
        ),
        (Some("表决票"), Some(true))
    );
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/rules/steps/no_such_step",
            &admin,
            r#"{"recorder":"branch"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The system settings.
    let r = send(&w, get("/api/v1/settings", &sysadmin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("lockout_failures") && !r.body.contains("dev_publicity_days"));
    assert_eq!(
        send(&w, get("/api/v1/settings", &admin)).await.status,
        StatusCode::FORBIDDEN
    );
    let put = |body: &str| send(&w, json("PUT", "/api/v1/settings", &sysadmin, body));
    let r = put(r#"{"values":[{"key":"lockout_failures","value":99}]}"#).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("lockout_failures")),
        "{}",
        r.body
    );
    let r = put(r#"{"values":[{"key":"dev_publicity_days","value":7}]}"#).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("key")),
        "{}",
        r.body
    );
    let r = put(r#"{"values":[{"key":"lockout_failures","value":6}]}"#).await;
    assert_eq!(r.json()["changed"], 1, "{}", r.body);

    // The holiday calendar: everyone reads it, the organization department keeps it.
    let (branchsec, _) = sign_in(&w, "branchsec").await;
    let r = send(&w, get("/api/v1/calendar", &branchsec)).await;
    assert!(r.body.contains("2026-10-01"), "{}", r.body);
    let day = |who: &str, method: &str, on: &str, body: &str| {
        send(
            &w,
            json(method, &format!("/api/v1/calendar/{on}"), who, body),
        )
    };
    let r = day(
        &admin,
        "PUT",
        "2027-01-01",
        r#"{"working":false,"note":"元旦"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        send(&w, get("/api/v1/calendar", &admin))
            .await
            .body
            .contains("元旦")
    );
    let r = day(
        &admin,
        "PUT",
        "2027-13-01",
        r#"{"working":false,"note":"x"}"#,
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("on")),
        "{}",
        r.body
    );
    let r = day(
        &branchsec,
        "PUT",
        "2027-01-02",
        r#"{"working":false,"note":"x"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        day(&admin, "DELETE", "2027-01-01", "").await.status,
        StatusCode::NO_CONTENT
    );
    let r = day(&admin, "DELETE", "2027-01-01", "").await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("on")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn every_export_of_the_pages_is_in_the_api() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let branch = first_id(&w, "/api/v1/orgs?kind=branch&per_page=1", &admin).await;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    for (uri, kind) in [
        ("/api/v1/dashboard.xlsx".to_owned(), xlsx),
        (format!("/api/v1/orgs/{branch}/meeting-figures.xlsx"), xlsx),
        (
            format!("/api/v1/orgs/{branch}/meeting-figures.xlsx?from=2026-01-01&until=2026-06-30"),
            xlsx,
        ),
        (format!("/api/v1/orgs/{branch}/development.xlsx"), xlsx),
        (format!("/api/v1/orgs/{branch}/record-book.docx"), docx),
    ] {
        let r = send(&w, get(&uri, &admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        assert_eq!(r.content_type.as_deref(), Some(kind), "{uri}");
        assert!(r.body.starts_with("PK"), "{uri}: an Office file is a zip");
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.contains("filename*=UTF-8''")),
            "{uri}"
        ); // Saved under a name a double click opens, whatever the title.
        let ext = if kind == xlsx { ".xlsx" } else { ".docx" };
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.ends_with(ext) && d.matches(ext).count() == 2),
            "{uri}: {:?}",
            r.header("content-disposition")
        );
    }
    for (uri, field) in [
        (
            format!("/api/v1/orgs/{branch}/record-book.docx?year=0"),
            "year",
        ),
        (
            format!("/api/v1/orgs/{branch}/development.xlsx?year=12345"),
            "year",
        ),
    ] {
        let r = send(&w, get(&uri, &admin)).await;
        assert_eq!(
            (r.status, r.json()["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{uri}: {}",
            r.body
        );
    }
    // Not a date at all: the query cannot be read.
    let uri = format!("/api/v1/orgs/{branch}/meeting-figures.xlsx?from=2026-13-01");
    let r = send(&w, get(&uri, &admin)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from")),
        "{}",
        r.body
    );
    // The applicant sees no branch's figures.
    let (activist, _) = sign_in(&w, "activist").await;
    let r = send(
        &w,
        get(
            &format!("/api/v1/orgs/{branch}/record-book.docx"),
            &activist,
        ),
    )
    .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}: {}",
        r.status,
        r.body
    );
}

#[tokio::test]
async fn a_date_before_any_record_the_platform_keeps_is_named_not_a_server_error() {
    // chrono reads `-5000-01-05`; PostgreSQL's dates begin in 4713 BC and answered a 500.
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let member = first_id(&w, "/api/v1/people?status=full&per_page=1", &admin).await;
    let r = send(
        &w,
        json(
            "POST",
            &format!("/api/v1/people/{member}/disciplines"),
            &admin,
            r#"{"kind":"warning","decided_on":"-5000-01-05","decided_by":"党支部","reason":"x"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("decided_on")),
        "{}",
        r.body
    );
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/calendar/-5000-01-01",
            &admin,
            r#"{"working":false,"note":"x"}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("on")),
        "{}",
        r.body
    );
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/rules",
            &admin,
            r#"{"effective_from":"-5000-09-01","values":[{"key":"dev_publicity_days","value":7}]}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("effective_from")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_number_of_students_past_any_university_is_named_and_the_trail_keeps_the_old_one() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let college = first_id(&w, "/api/v1/orgs?kind=committee&per_page=1", &admin).await;
    let uri = format!("/api/v1/orgs/{college}/students");
    let r = send(
        &w,
        json("PUT", &uri, &admin, r#"{"students":9223372036854775807}"#),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("students")),
        "{}",
        r.body
    );
    for n in [1200, 1300] {
        let body = format!(r#"{{"students":{n}}}"#);
        assert_eq!(
            send(&w, json("PUT", &uri, &admin, &body)).await.status,
            StatusCode::OK
        );
    }
    let (auditor, _) = sign_in(&w, "auditor").await;
    let trail = send(&w, get("/api/v1/audit?action=org.set_students", &auditor)).await;
    assert!(
        trail.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["before"]["students"] == 1200 && e["after"]["students"] == 1300),
        "{}",
        trail.body
    );
}

#[tokio::test]
async fn a_setting_or_rule_named_twice_in_one_change_is_refused_whole() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (sysadmin, _) = sign_in(&w, "sysadmin").await;
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/rules",
            &admin,
            r#"{"effective_from":"2099-09-01","values":[{"key":"dev_publicity_days","value":6},{"key":"dev_publicity_days","value":7}]}"#,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("key")),
        "{}",
        r.body
    );
    let rules = send(&w, get("/api/v1/rules", &admin)).await.json();
    assert!(
        !rules["versions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["effective_from"] == "2099-09-01"),
        "nothing written: {rules}"
    );
    let r = send(
        &w,
        json(
            "PUT",
            "/api/v1/settings",
            &sysadmin,
            r#"{"values":[{"key":"lockout_failures","value":6},{"key":"lockout_failures","value":7}]}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn a_calendar_day_changed_or_removed_leaves_what_it_was_in_the_trail() {
    let w = web().await;
    let (admin, _) = sign_in(&w, "admin").await;
    let uri = "/api/v1/calendar/2027-01-01";
    for note in ["元旦", "元旦（新年）"] {
        let body = format!(r#"{{"working":false,"note":"{note}"}}"#);
        assert_eq!(
            send(&w, json("PUT", uri, &admin, &body)).await.status,
            StatusCode::OK
        );
    }
    let r = send(&w, json("DELETE", uri, &admin, "")).await;
    assert!(r.status.is_success(), "{}: {}", r.status, r.body);
    let (auditor, _) = sign_in(&w, "auditor").await;
    let trail = |action: &str| {
        let uri = format!("/api/v1/audit?action={action}");
        let auditor = auditor.clone();
        let w = &w;
        async move { send(w, get(&uri, &auditor)).await.json()["items"].clone() }
    };
    let set = trail("calendar.set").await;
    assert!(
        set.as_array()
            .unwrap()
            .iter()
            .any(|e| e["before"]["note"] == "元旦" && e["after"]["note"] == "元旦（新年）"),
        "{set}"
    );
    let removed = trail("calendar.remove").await;
    assert_eq!(removed[0]["before"]["note"], "元旦（新年）", "{removed}");
}

#[tokio::test]
async fn an_upload_cannot_fill_memory_through_its_text_fields() {
    let w = web().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let branch = first_id(&w, "/api/v1/orgs?kind=branch&per_page=1", &admin).await;
    let uri = format!("/api/v1/orgs/{branch}/attachments");
    let padding = "x".repeat(200 * 1024);
    let r = send(
        &w,
        api_upload(
            &uri,
            (&admin, &csrf),
            &[("note", &padding)],
            ("会议纪要.pdf", "application/pdf", PDF),
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file")),
        "{}",
        r.body
    );
    assert!(r.body.contains("过长"), "{}", r.body);
}
