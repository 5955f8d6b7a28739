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
    if trimmed.chars().any(invisible) {
        return Err(FieldError::new(
            field,
            label,
            "不能含有不可见字符或改变文字方向的字符（常见于从网页或文档复制的文字，请重新输入）",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Characters that show nothing yet change what a text is or how it reads: zero-width spaces
/// and joiners, the byte-order mark, soft hyphens, line and paragraph separators, and the
/// direction overrides that make a file name read backwards. Two names that look the same must
/// be the same name.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
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
    fn invisible_and_direction_characters_are_refused_in_names_and_texts() {
        for c in [
            '\u{202E}', '\u{200B}', '\u{FEFF}', '\u{2028}', '\u{2066}', '\u{00AD}',
        ] {
            let name = format!("张{c}三");
            let err = single_line(&name, "name", "姓名", 50).unwrap_err();
            assert!(err.message.contains("不可见字符"), "{c:?}: {}", err.message);
            assert!(
                paragraphs(&name, ("body", "正文"), "请填写", 50).is_err(),
                "{c:?}"
            );
        }
        // Chinese, full-width punctuation and an ideographic space are ordinary text.
        assert_eq!(
            single_line("第一党支部（教工）　一组", "name", "名称", 50).unwrap(),
            "第一党支部（教工）　一组"
        );
    }

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
