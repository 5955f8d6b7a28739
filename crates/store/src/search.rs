//! Finding text by what a person typed: there `%`, `_` and `\` are characters like any other,
//! not the wildcards of SQL's LIKE, so they are escaped before the pattern is made.

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};

fn escaped(typed: &str) -> String {
    typed
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// No stored text holds a NUL (PostgreSQL can neither keep one nor compare with one): a term
/// with one matches nothing, decided here rather than refused by the database (500).
fn nothing() -> Expr {
    Expr::val(1).eq(0)
}

/// Values of `column` that are `typed`.
pub(crate) fn is<C: ColumnTrait>(column: C, typed: &str) -> Expr {
    if typed.contains('\0') {
        return nothing();
    }
    Expr::col(column.as_column_ref()).eq(typed)
}

/// Values of `column` that hold `typed` anywhere.
pub(crate) fn contains<C: ColumnTrait>(column: C, typed: &str) -> Expr {
    if typed.contains('\0') {
        return nothing();
    }
    Expr::col(column.as_column_ref())
        .like(LikeExpr::new(format!("%{}%", escaped(typed))).escape('\\'))
}

/// Values of `column` that begin with `typed`.
pub(crate) fn starts_with<C: ColumnTrait>(column: C, typed: &str) -> Expr {
    if typed.contains('\0') {
        return nothing();
    }
    Expr::col(column.as_column_ref())
        .like(LikeExpr::new(format!("{}%", escaped(typed))).escape('\\'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_typed_are_letters() {
        assert_eq!(super::escaped("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
