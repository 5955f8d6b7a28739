//! Files sent to be saved, one way for pages and API: spreadsheets, Word files and
//! attachments, named in UTF-8 with an ASCII fallback for old browsers.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file to save as `name` (`fallback` where a browser reads only ASCII names), with the
/// type it is sent as; never sniffed by the browser, so an upload cannot become a page of ours.
fn file(content_type: &str, name: &str, fallback: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        crate::auth::urlencode(name).replace('+', "%20")
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// `name` ending in `.ext`, so the saved file opens by a double click.
fn named(name: &str, ext: &str) -> String {
    if name.ends_with(&format!(".{ext}")) {
        name.to_owned()
    } else {
        format!("{name}.{ext}")
    }
}

/// A spreadsheet with a Chinese file name, `code.xlsx` as the fallback name.
pub(crate) fn xlsx(name: &str, code: &str, bytes: Vec<u8>) -> Response {
    file(XLSX, &named(name, "xlsx"), &format!("{code}.xlsx"), bytes)
}

/// A Word file, with `code.docx` as the fallback name.
pub(crate) fn docx(name: &str, code: &str, bytes: Vec<u8>) -> Response {
    file(DOCX, &named(name, "docx"), &format!("{code}.docx"), bytes)
}

/// A stored attachment with the type found when it was kept.
pub(crate) fn attachment(attachment: &dangjian_app::Attachment, bytes: Vec<u8>) -> Response {
    file(
        &attachment.content_type,
        &attachment.file_name,
        "attachment",
        bytes,
    )
}
