//! Word documents in the customary official layout (GB/T 9704): a title in 小标宋 二号, body
//! text in 仿宋 三号, tables in 仿宋 四号. Chinese fonts are named in the East Asian slot, or
//! Word falls back to a Latin font for Chinese text.

use crate::{AppError, Result};
use docx_rs::{
    AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts, Table, TableCell, TableRow,
    WidthType,
};

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 28;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
        .size(size)
}

/// A document built paragraph by paragraph.
pub(crate) struct Document(Docx);

impl Document {
    pub fn new() -> Self {
        Self(Docx::new())
    }

    pub fn title(self, text: &str) -> Self {
        Self(
            self.0.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, TITLE_FONT, TITLE_SIZE))
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(240)),
            ),
        )
    }

    /// A section heading in 黑体 三号 (一、二、…).
    pub fn heading(self, text: &str) -> Self {
        Self(
            self.0.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, HEADING_FONT, BODY_SIZE))
                    .line_spacing(LineSpacing::new().before(240).after(120)),
            ),
        )
    }

    /// A second-level heading in 楷体 三号 (1. 2. …).
    pub fn subheading(self, text: &str) -> Self {
        Self(
            self.0.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, SUBHEADING_FONT, BODY_SIZE))
                    .line_spacing(LineSpacing::new().before(120).after(60)),
            ),
        )
    }

    /// A line flush left, without indent: the addressee (主送机关).
    pub fn addressee(self, text: &str) -> Self {
        Self(
            self.0
                .add_paragraph(Paragraph::new().add_run(run(text, BODY_FONT, BODY_SIZE))),
        )
    }

    /// A body paragraph, its first line indented two characters.
    pub fn para(self, text: &str) -> Self {
        Self(
            self.0.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, BODY_FONT, BODY_SIZE))
                    .indent(
                        None,
                        Some(docx_rs::SpecialIndentType::FirstLine(640)),
                        None,
                        None,
                    ),
            ),
        )
    }

    /// A line flush right: the issuing organization and the date.
    pub fn signature(self, lines: &[&str]) -> Self {
        let mut doc = self.0.add_paragraph(Paragraph::new());
        for line in lines {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(run(line, BODY_FONT, BODY_SIZE))
                    .align(AlignmentType::Right),
            );
        }
        Self(doc)
    }

    /// A table of text; the first row is the header.
    pub fn table(self, rows: &[Vec<String>]) -> Self {
        let rows = rows
            .iter()
            .map(|cells| {
                TableRow::new(
                    cells
                        .iter()
                        .map(|c| {
                            TableCell::new().add_paragraph(
                                Paragraph::new().add_run(run(c, BODY_FONT, TABLE_SIZE)),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        Self(
            self.0
                .add_table(Table::new(rows).width(5000, WidthType::Pct))
                .add_paragraph(Paragraph::new()),
        )
    }

    pub fn into_bytes(self) -> Result<Vec<u8>> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.0
            .build()
            .pack(&mut out)
            .map_err(|e| AppError::internal("无法生成 Word 文档，请稍后重试", e))?;
        Ok(out.into_inner())
    }
}
