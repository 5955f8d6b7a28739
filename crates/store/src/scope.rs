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

/// Rows of `under`'s subtree that the scopes allow, as one set of ranges: two range conditions
/// on one column would leave the planner one of them to use, often the wide one.
pub(crate) fn within_under<C: ColumnTrait>(
    column: C,
    scopes: &[OrgPath],
    under: Option<&OrgPath>,
) -> Condition {
    let Some(under) = under else {
        return within(column, scopes);
    };
    let mut narrowed: Vec<OrgPath> = scopes
        .iter()
        .filter_map(|s| {
            if s.contains(under) {
                Some(under.clone())
            } else if under.contains(s) {
                Some(s.clone())
            } else {
                None
            }
        })
        .collect();
    narrowed.sort();
    narrowed.dedup();
    within(column, &narrowed)
}
