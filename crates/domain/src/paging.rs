//! Pagination of every list, in pages and in the API.

use crate::FieldError;

/// The most rows one page may hold.
pub const MAX_PER_PAGE: u64 = 500;
pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PAGE: u64 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    pub fn parse(page: Option<u64>, per_page: Option<u64>) -> Result<Self, FieldError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        // Bounded so that the offset stays a valid SQL BIGINT on every engine.
        if page == 0 || page > MAX_PAGE {
            return Err(FieldError::new(
                "page",
                "页码",
                format!("页码应在 1 到 {MAX_PAGE} 之间"),
            ));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(FieldError::new(
                "per_page",
                "每页条数",
                format!("每页条数应在 1 到 {MAX_PER_PAGE} 之间"),
            ));
        }
        Ok(Self { page, per_page })
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(self.per_page).max(1)
    }
}

/// One page of a list with the count of all matching rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_page_is_at_most_500() {
        assert!(Paging::parse(Some(1), Some(500)).is_ok());
        assert_eq!(
            Paging::parse(Some(1), Some(501)).unwrap_err().field,
            "per_page"
        );
        assert_eq!(Paging::parse(Some(0), None).unwrap_err().field, "page");
        assert_eq!(
            Paging::parse(Some(u64::MAX), None).unwrap_err().field,
            "page"
        );
        let p = Paging::parse(Some(3), Some(20)).unwrap();
        assert_eq!((p.offset(), p.pages(41)), (40, 3));
    }
}
