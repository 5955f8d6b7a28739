//! The scope filter: the rows of the subtrees an `Access` may see, as index ranges on `path`.

use dangjian_domain::org::OrgPath;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

/// A record its reader may see: only a read of the store under the reader's scope makes one,
/// so a read of the record's children (a meeting's roll, its corrections) takes this as the
/// proof of the check instead of a bare id that anyone could pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible<T>(T);

impl<T> Visible<T> {
    /// For the store's scoped reads only.
    pub(crate) fn checked(record: T) -> Self {
        Self(record)
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Visible<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

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

/// How a stored path keeps up with the tree. Every column of the schema that holds a
/// materialized path is declared in `SCOPED`; `undeclared_path_columns` finds any that is not
/// and `stale_paths` any row whose path is not its owner's, both run by the test suite on
/// both engines, so a table added later cannot be left behind when its organization moves or
/// its person is transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Follows {
    /// The path of the organization the row belongs to, named by the id column beside it
    /// (`org_path` by `org_id`, `from_org_path` by `from_org_id`; in `orgs`, the row itself).
    /// `evidence` names the row's kind among the records attachments belong to.
    Org { evidence: Option<&'static str> },
    /// The path of the organization of the row's person (`person_id`): it moves with that
    /// organization and with the person (and so does `org_id` where the row keeps one).
    Person {
        evidence: Option<&'static str>,
        org_id: bool,
    },
    /// An attachment's: the path of the record it belongs to (`entity`, `entity_id`).
    Record,
    /// Where an act happened, kept as it was: the audit trail is never rewritten.
    Never,
}

const fn org(evidence: Option<&'static str>) -> Follows {
    Follows::Org { evidence }
}

const fn person(evidence: Option<&'static str>, org_id: bool) -> Follows {
    Follows::Person { evidence, org_id }
}

pub(crate) const SCOPED: [(&str, &str, Follows); 17] = [
    ("orgs", "path", org(Some("org"))),
    ("persons", "org_path", org(None)),
    ("person_periods", "org_path", org(None)),
    ("positions", "org_path", org(None)),
    ("transfers", "from_org_path", org(None)),
    ("transfers", "to_org_path", org(None)),
    ("import_batches", "org_path", org(None)),
    ("org_students", "org_path", org(None)),
    ("meetings", "org_path", org(Some("meeting"))),
    ("heart_talks", "org_path", org(None)),
    ("training_classes", "org_path", org(None)),
    (
        "development_steps",
        "org_path",
        person(Some("development_step"), true),
    ),
    ("thought_reports", "org_path", person(None, true)),
    ("person_disciplines", "org_path", person(None, false)),
    ("person_whereabouts", "org_path", person(None, false)),
    ("attachments", "org_path", Follows::Record),
    ("audit_log", "org_path", Follows::Never),
];

/// A statement with `?` placeholders, numbered for PostgreSQL.
fn statement(
    backend: sea_orm::DbBackend,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = if backend == sea_orm::DbBackend::Postgres {
        let mut n = 0;
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_owned()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// Re-roots a subtree: every path that follows the tree and lies under `old` now starts with
/// `new`, in one statement per column (an index range, as the scope filter reads it).
pub(crate) async fn rewrite_subtree(
    tx: &crate::WriteTx,
    old: &OrgPath,
    new: &OrgPath,
) -> crate::Result<()> {
    use sea_orm::ConnectionTrait;
    let backend = tx.conn().get_database_backend();
    // An INTEGER (not BIGINT): PostgreSQL has substr(text, integer) only.
    let keep_from = i32::try_from(old.as_str().len() + 1).unwrap_or(i32::MAX);
    for (table, column, follows) in SCOPED {
        if follows == Follows::Never {
            continue;
        }
        let sql = format!(
            "UPDATE {table} SET {column} = ? || substr({column}, ?) \
             WHERE {column} >= ? AND {column} < ?"
        );
        let values = vec![
            new.as_str().into(),
            keep_from.into(),
            old.as_str().into(),
            old.subtree_upper_bound().into(),
        ];
        tx.conn()
            .execute_raw(statement(backend, &sql, values))
            .await?;
    }
    Ok(())
}

/// Moves the records that belong to people (and the evidence of those records) to the
/// organization the people now belong to. `people` is a sub-select of `persons.id` with its
/// values; it is read before the people themselves move.
pub(crate) async fn follow_people(
    tx: &crate::WriteTx,
    (people, values): (&str, &[sea_orm::Value]),
    (to, to_path): (dangjian_domain::ids::OrgId, &OrgPath),
) -> crate::Result<()> {
    use sea_orm::ConnectionTrait;
    let backend = tx.conn().get_database_backend();
    let run = |sql: String, mut first: Vec<sea_orm::Value>| {
        first.extend_from_slice(values);
        tx.conn().execute_raw(statement(backend, &sql, first))
    };
    for (table, column, follows) in SCOPED {
        let Follows::Person { evidence, org_id } = follows else {
            continue;
        };
        let of_people = format!("SELECT id FROM {table} WHERE person_id IN ({people})");
        if let Some(entity) = evidence {
            run(
                format!(
                    "UPDATE attachments SET org_path = ? \
                     WHERE entity = ? AND entity_id IN ({of_people})"
                ),
                vec![to_path.as_str().into(), entity.into()],
            )
            .await?;
        }
        let (set, mut first) = (format!("{column} = ?"), vec![to_path.as_str().into()]);
        let set = if org_id {
            first.push(to.get().into());
            format!("{set}, org_id = ?")
        } else {
            set
        };
        run(
            format!("UPDATE {table} SET {set} WHERE person_id IN ({people})"),
            first,
        )
        .await?;
    }
    Ok(())
}

/// The columns of the schema that look like materialized paths (`path`, `…_path`) and are not
/// declared in `SCOPED`: empty, or a table was added without saying how it follows the tree.
pub async fn undeclared_path_columns<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> crate::Result<Vec<String>> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table'"
        }
    };
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let table: String = row.try_get("", "t")?;
        let column: String = row.try_get("", "c")?;
        let is_path = column == "path" || column.ends_with("_path");
        if is_path && !SCOPED.iter().any(|(t, c, _)| *t == table && *c == column) {
            out.push(format!("{table}.{column}"));
        }
    }
    out.sort();
    Ok(out)
}

/// The rows whose stored path is not the path of their owner today, as `table.column: n`:
/// empty while every record follows the tree.
pub async fn stale_paths<C: sea_orm::ConnectionTrait>(db: &C) -> crate::Result<Vec<String>> {
    let mut checks: Vec<(String, String)> = Vec::new();
    for (table, column, follows) in SCOPED {
        let label = format!("{table}.{column}");
        let sql = match follows {
            Follows::Org { .. } if table == "orgs" => "SELECT COUNT(*) AS n FROM orgs c \
                 JOIN orgs p ON p.id = c.parent_id \
                 WHERE substr(c.path, 1, length(p.path)) <> p.path"
                .to_owned(),
            Follows::Org { .. } => {
                let owner = column.strip_suffix("_path").unwrap_or(column);
                format!(
                    "SELECT COUNT(*) AS n FROM {table} x JOIN orgs o ON o.id = x.{owner}_id \
                     WHERE x.{column} <> o.path"
                )
            }
            Follows::Person { .. } => format!(
                "SELECT COUNT(*) AS n FROM {table} x JOIN persons p ON p.id = x.person_id \
                 WHERE p.left_on IS NULL AND x.{column} <> p.org_path"
            ),
            Follows::Record | Follows::Never => continue,
        };
        checks.push((label, sql));
        let (Follows::Org {
            evidence: Some(entity),
        }
        | Follows::Person {
            evidence: Some(entity),
            ..
        }) = follows
        else {
            continue;
        };
        checks.push((
            format!("attachments of {entity}"),
            format!(
                "SELECT COUNT(*) AS n FROM attachments a JOIN {table} x ON x.id = a.entity_id \
                 WHERE a.entity = '{entity}' AND a.org_path <> x.{column}"
            ),
        ));
    }
    let kinds: Vec<String> = SCOPED
        .iter()
        .filter_map(|(_, _, f)| match f {
            Follows::Org { evidence } | Follows::Person { evidence, .. } => *evidence,
            _ => None,
        })
        .map(|e| format!("'{e}'"))
        .collect();
    checks.push((
        "attachments of undeclared records".to_owned(),
        format!(
            "SELECT COUNT(*) AS n FROM attachments WHERE entity NOT IN ({})",
            kinds.join(", ")
        ),
    ));
    let backend = db.get_database_backend();
    let mut stale = Vec::new();
    for (label, sql) in checks {
        let n: i64 = match db
            .query_one_raw(sea_orm::Statement::from_string(backend, sql))
            .await?
        {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        if n > 0 {
            stale.push(format!("{label}: {n}"));
        }
    }
    Ok(stale)
}
