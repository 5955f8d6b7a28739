//! Files sent to be saved, one way for pages and API: spreadsheets, Word files and
//! attachments, named in UTF-8 with an ASCII fallback for old browsers.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn disposition(name: &str, fallback: &str) -> String {
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        crate::auth::urlencode(name).replace('+', "%20")
    )
}

/// A spreadsheet with a Chinese file name.
pub(crate) fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                disposition(name, "roster.xlsx"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A Word file, with `code.docx` as the fallback name.
pub(crate) fn docx(name: &str, code: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, DOCX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                disposition(name, &format!("{code}.docx")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A stored attachment with the type found when it was kept; never sniffed again by the
/// browser, so an upload cannot become a page of ours.
pub(crate) fn attachment(attachment: &dangjian_app::Attachment, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, attachment.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                disposition(&attachment.file_name, "attachment"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
