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

/// Values of `column` that hold `typed` anywhere.
pub(crate) fn contains<C: ColumnTrait>(column: C, typed: &str) -> Expr {
    Expr::col(column.as_column_ref())
        .like(LikeExpr::new(format!("%{}%", escaped(typed))).escape('\\'))
}

/// Values of `column` that begin with `typed`.
pub(crate) fn starts_with<C: ColumnTrait>(column: C, typed: &str) -> Expr {
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
