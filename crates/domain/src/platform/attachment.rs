//! Attachments (附件): which files may be kept as evidence, judged by their content.

use crate::FieldError;

/// The types kept as evidence: photos, scans and office documents. The content decides the
/// type; a file whose name claims another type is refused as disguised.
const ACCEPTED: &[(&str, &[&str])] = &[
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/png", &["png"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    ("application/pdf", &["pdf"]),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        &["pptx"],
    ),
    ("application/msword", &["doc"]),
    ("application/vnd.ms-excel", &["xls"]),
];

/// The content types an attachment may have, so the API can say what a download answers.
pub fn accepted_types() -> impl Iterator<Item = &'static str> {
    ACCEPTED.iter().map(|(mime, _)| *mime)
}

/// Accepts a file when its sniffed type is kept and its name's extension agrees with it;
/// returns the content type to store.
pub fn accept(
    file_name: &str,
    sniffed: Option<&str>,
    size: u64,
    max_bytes: u64,
) -> Result<&'static str, FieldError> {
    let err = |m: String| FieldError::new("file", "附件", m);
    if size == 0 {
        return Err(err("文件是空的".into()));
    }
    if size > max_bytes {
        return Err(err(format!(
            "文件超过大小上限 {} MB",
            max_bytes / (1024 * 1024)
        )));
    }
    let Some((mime, exts)) = sniffed.and_then(|s| ACCEPTED.iter().find(|(m, _)| *m == s)) else {
        return Err(err(
            "只接受图片（JPG、PNG、GIF、WebP）、PDF 和 Office 文档".into()
        ));
    };
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !exts.contains(&ext.as_str()) {
        return Err(err(format!(
            "文件名后缀“.{ext}”与文件实际内容（{mime}）不符"
        )));
    }
    Ok(mime)
}

/// A file name safe to show and to send back: its last path segment, without control
/// characters or quotes, at most 200 characters.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(200)
        .collect();
    if cleaned.trim().is_empty() {
        "附件".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn a_photo_is_accepted_by_its_content() {
        assert_eq!(
            accept("会议.JPG", Some("image/jpeg"), 10, MB).unwrap(),
            "image/jpeg"
        );
    }

    #[test]
    fn disguised_oversized_and_empty_files_are_refused() {
        assert!(accept("photo.jpg", Some("application/x-executable"), 10, MB).is_err());
        assert!(accept("photo.jpg", None, 10, MB).is_err());
        assert!(accept("scan.pdf", Some("image/png"), 10, MB).is_err());
        assert!(accept("a.png", Some("image/png"), 2 * MB, MB).is_err());
        assert!(accept("a.png", Some("image/png"), 0, MB).is_err());
    }

    #[test]
    fn file_names_lose_paths_and_markup() {
        assert_eq!(clean_file_name("C:\\docs\\<b>会议\".pdf"), "b会议.pdf");
        assert_eq!(clean_file_name("../../"), "附件");
    }
}
