//! The scope filter: the rows of the subtrees an `Access` may see, as index ranges on `path`.

use dangjian_domain::org::OrgPath;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

/// Rows whose path lies in one of `scopes`; no scopes means no rows.
pub(crate) fn within<C: ColumnTrait>(column: C, scopes: &[OrgPath]) -> Condition {
    if scopes.is_empty() {
        return Condition::all().add(Expr::val(1).eq(0));
    }
    scopes.iter().fold(Condition::any(), |any, scope| {
        any.add(
            Condition::all()
                .add(column.gte(scope.as_str()))
                .add(column.lt(scope.subtree_upper_bound())),
        )
    })
}
