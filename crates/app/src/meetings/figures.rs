//! The figures of organizational life that the seeds report — party lectures and study
//! sessions, theme days, person-times covered, attendance rates — for any subtree and period,
//! counted from the meeting records.

use crate::meetings::MeetingCases;
use crate::{Actor, AppError, Result};
use chrono::NaiveDate;
use dangjian_domain::FieldError;
use dangjian_domain::ids::OrgId;
use dangjian_domain::meetings::{Attendance, MeetingKind};
use dangjian_domain::org::Org;
use dangjian_domain::platform::role::Action;
use dangjian_store::meetings as store;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

/// One kind of meeting in a period.
#[derive(Debug, Clone, Serialize)]
pub struct KindFigures {
    /// None for the total of all kinds.
    pub kind: Option<MeetingKind>,
    pub label: &'static str,
    /// Meetings held.
    pub held: i64,
    /// Person-times: everyone expected, and those present, excused and absent.
    pub expected: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
}

impl KindFigures {
    /// Present of expected, in percent with one decimal; none when nobody was expected.
    pub fn attendance_pct(&self) -> Option<f64> {
        (self.expected > 0)
            .then(|| (self.present as f64 * 1000.0 / self.expected as f64).round() / 10.0)
    }
}

/// A subtree's figures of organizational life in a period.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingFigures {
    #[serde(skip)]
    pub org: Org,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub kinds: Vec<KindFigures>,
    pub total: KindFigures,
}

impl MeetingFigures {
    /// Each kind, then the total.
    pub fn rows(&self) -> impl Iterator<Item = &KindFigures> {
        self.kinds.iter().chain(std::iter::once(&self.total))
    }
}

impl MeetingCases<'_> {
    /// The figures of a subtree's meetings held in `[from, until]`.
    pub async fn figures(
        self,
        actor: &Actor,
        org_id: OrgId,
        (from, until): (NaiveDate, NaiveDate),
    ) -> Result<MeetingFigures> {
        if from > until {
            return Err(FieldError::new("until", "截止日期", "不能早于起始日期").into());
        }
        let org = self.org().get(actor, org_id).await?;
        if !actor.access.can_at(Action::ReadRecords, &org.path) {
            return Err(AppError::Forbidden("查看该组织的组织生活"));
        }
        let (held, attendance) =
            store::figures(self.store.db(), &actor.access, &org.path, (from, until)).await?;
        let figures_of = |kind: Option<MeetingKind>| {
            let of_kind = |k: &MeetingKind| kind.is_none_or(|want| want == *k);
            let count = |status: Attendance| {
                attendance
                    .iter()
                    .filter(|(k, s, _)| of_kind(k) && *s == status)
                    .map(|(_, _, n)| n)
                    .sum::<i64>()
            };
            let (present, excused, absent) = (
                count(Attendance::Present),
                count(Attendance::Excused),
                count(Attendance::Absent),
            );
            KindFigures {
                kind,
                label: kind.map_or("合计", MeetingKind::label),
                held: held
                    .iter()
                    .filter(|(k, _)| of_kind(k))
                    .map(|(_, n)| n)
                    .sum(),
                expected: present + excused + absent,
                present,
                excused,
                absent,
            }
        };
        Ok(MeetingFigures {
            kinds: MeetingKind::ALL
                .iter()
                .map(|k| figures_of(Some(*k)))
                .collect(),
            total: figures_of(None),
            org,
            from,
            until,
        })
    }

    /// The same figures as a spreadsheet.
    pub async fn figures_xlsx(
        self,
        actor: &Actor,
        org_id: OrgId,
        period: (NaiveDate, NaiveDate),
    ) -> Result<Vec<u8>> {
        let f = self.figures(actor, org_id, period).await?;
        let err = crate::roster::xlsx_error;
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name("组织生活").map_err(err)?;
        sheet.set_column_width(0, 16).map_err(err)?;
        sheet
            .write_string_with_format(
                0,
                0,
                format!("{} 组织生活统计（{} 至 {}）", f.org.name, f.from, f.until),
                &bold,
            )
            .map_err(err)?;
        let header = [
            "类型",
            "召开次数",
            "应到人次",
            "实到人次",
            "请假人次",
            "缺席人次",
            "出勤率(%)",
        ];
        for (c, h) in (0u16..).zip(header) {
            sheet
                .write_string_with_format(2, c, h, &bold)
                .map_err(err)?;
        }
        for (r, k) in (3u32..).zip(f.rows()) {
            sheet.write_string(r, 0, k.label).map_err(err)?;
            for (c, n) in (1u16..).zip([k.held, k.expected, k.present, k.excused, k.absent]) {
                sheet.write_number(r, c, n as f64).map_err(err)?;
            }
            if let Some(pct) = k.attendance_pct() {
                sheet.write_number(r, 6, pct).map_err(err)?;
            }
        }
        book.save_to_buffer().map_err(err)
    }
}
