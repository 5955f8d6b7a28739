//! A file sent as `multipart/form-data`, by a page's form or to the API, read one way: the app
//! decides first whether the caller may upload there and how much, a body announced larger is
//! refused unread, the file is read only up to the limit and the other fields only up to the
//! form's overhead.

use crate::AppState;
use dangjian_app::{Actor, AppError, UploadTarget};
use dangjian_domain::FieldError;

/// Multipart framing and the form's other fields, beyond the file itself.
const FORM_OVERHEAD: u64 = 64 * 1024;

/// The file (`file`: its name and bytes) and the other fields of an upload.
pub(crate) struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// A text field, trimmed.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }
}

pub(crate) async fn read(
    st: &AppState,
    actor: &Actor,
    (target, label): (UploadTarget, &'static str),
    headers: &axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Result<Upload, AppError> {
    let limit = st.app.attachments().upload_limit(actor, target).await?;
    let too_large = || {
        FieldError::new(
            "file",
            label,
            format!("文件超过大小上限 {} MB", limit / (1024 * 1024)),
        )
    };
    let announced = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit + FORM_OVERHEAD) {
        return Err(too_large().into());
    }
    let unfinished = || FieldError::new("file", label, "文件上传未完成，请重试");
    let mut file = None;
    let mut fields = Vec::new();
    // The other fields are short (a CSRF token, a label): their bytes together are held to the
    // form's overhead, so a body cannot fill memory through them instead of the file.
    let mut text_left = FORM_OVERHEAD;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| unfinished())? {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    return Err(too_large().into());
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((file_name, bytes));
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| unfinished())? {
                text_left = text_left
                    .checked_sub(chunk.len() as u64)
                    .ok_or_else(|| FieldError::new("file", label, "表单的其他内容过长"))?;
                text.extend_from_slice(&chunk);
            }
            if let Ok(text) = String::from_utf8(text) {
                fields.push((name, text));
            }
        }
    }
    let (file_name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| FieldError::new("file", label, "请选择要上传的文件"))?;
    Ok(Upload {
        file_name,
        bytes,
        fields,
    })
}
