//! Free text that a person types: trimmed, bounded, and free of control characters.

use crate::FieldError;

/// Checks a required text: trimmed, not empty (`missing` says so), at most `max_chars`
/// characters, and no control characters but those `allowed`.
fn checked(
    value: &str,
    (field, label): (&'static str, &'static str),
    (missing, max_chars): (&'static str, usize),
    allowed: fn(char) -> bool,
) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, label, missing));
    }
    if trimmed.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            label,
            format!("不能超过 {max_chars} 个字"),
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(FieldError::new(field, label, "不能含有控制字符"));
    }
    Ok(trimmed.to_owned())
}

/// Checks a required single-line text and returns it trimmed.
pub fn single_line(
    value: &str,
    field: &'static str,
    label: &'static str,
    max_chars: usize,
) -> Result<String, FieldError> {
    checked(value, (field, label), ("不能为空", max_chars), |_| {
        false
    })
}

/// Checks an optional single-line text: empty is none, anything else as `single_line`.
pub fn optional_line(
    value: &str,
    field: &'static str,
    label: &'static str,
    max_chars: usize,
) -> Result<Option<String>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        single_line(value, field, label, max_chars).map(Some)
    }
}

/// Checks a required text of several paragraphs (a record, a report) and returns it trimmed;
/// line breaks and tabs are kept, other control characters refused. `missing` says what to
/// write when it is empty.
pub fn paragraphs(
    value: &str,
    field: (&'static str, &'static str),
    missing: &'static str,
    max_chars: usize,
) -> Result<String, FieldError> {
    checked(value, field, (missing, max_chars), |c| {
        matches!(c, '\n' | '\r' | '\t')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_clean() {
        assert_eq!(single_line("  党委 ", "name", "名称", 5).unwrap(), "党委");
        assert_eq!(
            single_line(" ", "name", "名称", 5).unwrap_err().message,
            "不能为空"
        );
        assert!(single_line("一二三四五六", "name", "名称", 5).is_err());
        assert!(single_line("a\u{0}b", "name", "名称", 5).is_err());
    }

    #[test]
    fn paragraphs_keep_their_line_breaks() {
        let field = ("body", "正文");
        assert_eq!(
            paragraphs(" 第一段\n\t第二段 ", field, "请填写", 10).unwrap(),
            "第一段\n\t第二段"
        );
        assert_eq!(
            paragraphs("\n", field, "请填写", 10).unwrap_err().message,
            "请填写"
        );
        assert!(paragraphs("一二三", field, "请填写", 2).is_err());
        assert!(paragraphs("a\u{7}b", field, "请填写", 5).is_err());
    }
}
