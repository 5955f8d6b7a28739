//! Training classes (党校培训班): each class with its organizer, audience, period and hours,
//! and each trainee's hours, examination and certificate.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index, path_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let pg = m.get_database_backend() == DbBackend::Postgres;
        m.create_table(
            Table::create()
                .table("training_classes")
                .col(big_integer("id").primary_key())
                // The organizer (the committee's party school, a general branch): its subtree
                // is who may enrol and who may read the class.
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("name", 100))
                .col(string_len("audience", 32))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(integer("hours"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("training_classes", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "training_classes",
            "training_classes_org",
            &["org_path", "starts_on"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("training_trainees")
                .col(big_integer("id").primary_key())
                .col(big_integer("class_id"))
                .col(big_integer("person_id"))
                .col(integer("hours"))
                .col(string_len("exam", 16))
                .col(string_len_null("certificate", 40))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    ("training_trainees", "class_id"),
                    ("training_classes", "id"),
                ))
                .foreign_key(&mut fk(
                    ("training_trainees", "person_id"),
                    ("persons", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "training_trainees",
                "training_trainees_class_person",
                &["class_id", "person_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "training_trainees",
            "training_trainees_person",
            &["person_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["training_trainees", "training_classes"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
