//! The schema, written once in Rust for both engines.

use sea_orm_migration::prelude::*;

mod m20261123_000001_platform;
mod m20261123_000002_people;
mod m20261124_000003_figures;
mod m20261124_000004_development;
mod m20261125_000005_training;
mod m20261125_000006_rules;
mod m20261125_000007_notifications;
mod m20261125_000008_discipline;
mod m20261126_000009_meetings;
mod m20261127_000010_check_ins_talks;
mod m20261130_000011_thought_reports;
mod m20261130_000012_study_hours;
pub(crate) mod m20261130_000013_attendance_tallies;
mod m20261201_000014_keyed_audit;
mod m20261201_000015_national_id_mask;
mod m20261201_000016_api_token_expiry;
mod m20261201_000017_activation_codes;
mod m20261202_000018_id_nodes;
mod m20261202_000019_study_half_hours;
mod m20261202_000020_lecturers;
mod m20261202_000021_joint_units;
mod m20261202_000022_whereabouts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_platform::Migration),
            Box::new(m20261123_000002_people::Migration),
            Box::new(m20261124_000003_figures::Migration),
            Box::new(m20261124_000004_development::Migration),
            Box::new(m20261125_000005_training::Migration),
            Box::new(m20261125_000006_rules::Migration),
            Box::new(m20261125_000007_notifications::Migration),
            Box::new(m20261125_000008_discipline::Migration),
            Box::new(m20261126_000009_meetings::Migration),
            Box::new(m20261127_000010_check_ins_talks::Migration),
            Box::new(m20261130_000011_thought_reports::Migration),
            Box::new(m20261130_000012_study_hours::Migration),
            Box::new(m20261130_000013_attendance_tallies::Migration),
            Box::new(m20261201_000014_keyed_audit::Migration),
            Box::new(m20261201_000015_national_id_mask::Migration),
            Box::new(m20261201_000016_api_token_expiry::Migration),
            Box::new(m20261201_000017_activation_codes::Migration),
            Box::new(m20261202_000018_id_nodes::Migration),
            Box::new(m20261202_000019_study_half_hours::Migration),
            Box::new(m20261202_000020_lecturers::Migration),
            Box::new(m20261202_000021_joint_units::Migration),
            Box::new(m20261202_000022_whereabouts::Migration),
        ]
    }
}

pub(super) fn fk(
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

pub(super) fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

/// A materialized path, compared byte by byte so that a subtree is one index range on both
/// engines (`COLLATE "C"` on PostgreSQL).
pub(super) fn path_column(name: &'static str, pg: bool) -> ColumnDef {
    let mut path = sea_orm_migration::schema::string(name);
    if pg {
        path.extra("COLLATE \"C\"");
    }
    path
}
