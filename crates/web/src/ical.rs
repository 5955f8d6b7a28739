//! iCalendar (RFC 5545) text for a meeting calendar: one VEVENT a meeting, times in UTC, text
//! escaped and lines folded at 75 octets as the standard asks.

use dangjian_app::meetings::CalendarEntry;

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line passes 75 octets, never inside a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The calendar as an .ics file; `stamp` is the time it was made, as `YYYYMMDDTHHMMSSZ`.
pub(crate) fn calendar(name: &str, entries: &[CalendarEntry], stamp: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//dangjian//meetings//ZH");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in entries {
        let m = &e.meeting;
        let start = dangjian_domain::clock::shanghai_ms(m.plan.starts_at);
        let utc = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
                .unwrap_or_default()
        };
        let mut description = Vec::new();
        if let Some(first) = &m.plan.first_agenda_item {
            description.push(format!("第一议题：{first}"));
        }
        description.extend(m.plan.agenda.iter().map(|a| format!("议程：{a}")));
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:meeting-{}@dangjian", m.id));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART:{}", utc(start)));
        let end = dangjian_domain::clock::shanghai_ms(m.plan.ends_at());
        line(&mut out, &format!("DTEND:{}", utc(end)));
        line(
            &mut out,
            &format!(
                "SUMMARY:{}",
                escape(&format!("{}：{}", m.plan.kind.label(), m.plan.topic))
            ),
        );
        line(&mut out, &format!("LOCATION:{}", escape(&m.plan.place)));
        line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&format!("{}\n{}", e.org_name, description.join("\n")))
            ),
        );
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "党".repeat(40)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "党".repeat(40)));
    }
}
