//! Reading a spreadsheet a person uploaded, without trusting what it says of itself. A sheet
//! may declare a cell at XFD1048576 and hold two cells, or a few kilobytes may unpack to
//! gigabytes: what the reader builds is bounded by the cells really there and by the limits
//! given, and a file beyond them is refused with a message before anything large is made.

use calamine::{Data, Reader, Xlsx};
use dangjian_domain::FieldError;
use std::io::{Cursor, Read};

/// What one file may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Rows, the header included.
    pub rows: usize,
    /// Columns read from each row; cells further right are ignored.
    pub columns: usize,
    /// Bytes the whole package may unpack to.
    pub unpacked_bytes: u64,
}

/// The cells of a sheet, row by row from A1: each row `columns` long, a blank row empty.
pub(crate) type Rows = Vec<Vec<Data>>;

/// A refusal of the file, named as the form names it.
pub(crate) fn file_error(label: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new("file", label, message)
}

/// Unpacks every part of the package into nothing, counting, and stops at the limit: the
/// sizes a zip declares of its parts may lie, so only what really comes out is counted.
fn check_unpacked(bytes: &[u8], limit: u64, label: &'static str) -> Result<(), FieldError> {
    let not_xlsx = || file_error(label, "不是有效的 Excel（.xlsx）文件，请用下载的模板填写");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| not_xlsx())?;
        let left = limit.saturating_sub(total);
        let n = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|_| not_xlsx())?;
        total += n;
        if total > limit {
            return Err(file_error(
                label,
                format!(
                    "文件解压后超过 {} MB，不像是名册；请检查文件，或分批导入",
                    limit / (1024 * 1024)
                ),
            ));
        }
    }
    Ok(())
}

/// The first sheet's cells from A1. Refuses merged cells and formulas
/// (an honest roster holds values) and more rows than the limit, naming where.
pub(crate) fn first_sheet(
    bytes: &[u8],
    limits: Limits,
    label: &'static str,
) -> Result<Rows, FieldError> {
    check_unpacked(bytes, limits.unpacked_bytes, label)?;
    let not_xlsx = || file_error(label, "不是有效的 Excel（.xlsx）文件，请用下载的模板填写");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_error(label, "文件中没有工作表"))?;
    if let Ok(merged) = book.merge_cells_by_sheet_name(&sheet)
        && let Some(d) = merged.first()
    {
        return Err(file_error(
            label,
            format!(
                "第 {} 行第 {} 列有合并单元格，请取消合并后再导入",
                d.start.0 + 1,
                d.start.1 + 1
            ),
        ));
    }
    let unreadable = || file_error(label, "无法读取第一个工作表");
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| unreadable())?;
    let mut rows: Rows = Vec::new();
    while let Some(cell) = cells
        .next_cell_with_formula_metadata()
        .map_err(|_| unreadable())?
    {
        let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
        if cell.formula.is_some() {
            return Err(file_error(
                label,
                format!("第 {} 行第 {} 列是公式，请粘贴为数值后再导入", r + 1, c + 1),
            ));
        }
        let value = Data::from(cell.value);
        if c >= limits.columns || value == Data::Empty {
            continue;
        }
        if r >= limits.rows {
            return Err(file_error(
                label,
                format!(
                    "第 {} 行有内容，超过每次 {} 行的上限，请分批导入",
                    r + 1,
                    limits.rows - 1
                ),
            ));
        }
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.is_empty() {
            row.resize(limits.columns, Data::Empty);
        }
        row[c] = value;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const LIMITS: Limits = Limits {
        rows: 1001,
        columns: 18,
        unpacked_bytes: 4 * 1024 * 1024,
    };

    fn workbook(cells: &[(u32, u16, String)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c, text) in cells {
            sheet.write_string(*r, *c, text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_declaring_its_last_cell_is_read_by_the_cells_it_holds() {
        // A1 and XFD1048576: the dimension claims 17 billion cells, the sheet holds two.
        let far = workbook(&[(0, 0, "姓名".into()), (1_048_575, 16_383, "x".into())]);
        let rows = first_sheet(&far, LIMITS, "名册文件").unwrap();
        assert_eq!(rows.len(), 1);
        // Far down in a column that is read: refused by its row, before anything is built.
        let deep = workbook(&[(0, 0, "姓名".into()), (1_048_575, 1, "x".into())]);
        let err = first_sheet(&deep, LIMITS, "名册文件").unwrap_err();
        assert!(err.message.contains("第 1048576 行"), "{}", err.message);
    }

    #[test]
    fn a_package_that_unpacks_beyond_the_limit_is_refused() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..5 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 * 1024, "a small file");
        let err = first_sheet(&bytes, LIMITS, "名册文件").unwrap_err();
        assert!(err.message.contains("解压后超过 4 MB"), "{}", err.message);
    }

    fn cell() -> impl Strategy<Value = (u32, u16, String)> {
        (
            prop_oneof![0u32..1100, Just(1_048_575)],
            prop_oneof![0u16..20, Just(16_383)],
            "\\PC{0,12}",
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Generated workbooks, and the same with bytes overwritten: read or refused, never
        /// a panic, and never more rows than the limit.
        #[test]
        fn any_workbook_is_read_within_the_limits_or_refused(
            cells in proptest::collection::vec(cell(), 0..40),
            damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        ) {
            let mut bytes = workbook(&cells);
            for (at, byte) in damage {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if let Ok(rows) = first_sheet(&bytes, LIMITS, "名册文件") {
                prop_assert!(rows.len() <= LIMITS.rows);
                prop_assert!(rows.iter().all(|r| r.is_empty() || r.len() == LIMITS.columns));
            }
        }
    }
}
