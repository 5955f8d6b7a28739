//! People and members: the roster, its history (status and membership as periods), committee
//! positions, transfers and import batches. The ID number and phone are stored encrypted, with
//! a keyed hash of the ID number to find a person by it and a masked copy to show in lists.

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
                .table("import_batches")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("file_name", 255))
                .col(big_integer("rows"))
                .col(string_len("state", 16))
                .col(string_len_null("file_sha256", 64))
                .col(string_len_null("message", 500))
                .col(big_integer_null("applied_at"))
                .col(big_integer_null("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer_null("rolled_back_at"))
                .foreign_key(&mut fk(("import_batches", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("persons")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(big_integer_null("group_id"))
                .col(string_len("name", 50))
                .col(string_len("name_pinyin", 200))
                .col(string_len("name_initials", 50))
                .col(string_len("gender", 16))
                .col(string_len("ethnicity", 16))
                .col(date("birth_date"))
                .col(string_len("national_id_cipher", 128))
                .col(string_len("national_id_index", 64).unique_key())
                .col(string_len("national_id_masked", 18))
                .col(string_len_null("native_place", 50))
                .col(string_len("education", 16))
                .col(string_len("degree", 16))
                .col(string_len("title_level", 16))
                .col(string_len_null("title", 30))
                .col(string_len("category", 16))
                .col(string_len_null("school", 60))
                .col(string_len_null("class_name", 60))
                .col(string_len_null("staff_no", 32))
                .col(string_len_null("phone_cipher", 128))
                .col(string_len_null("phone_masked", 16))
                .col(string_len("status", 16))
                .col(date_null("join_date"))
                .col(date_null("confirmation_date"))
                .col(boolean("transfer_pending"))
                .col(date_null("left_on"))
                .col(big_integer_null("import_batch_id"))
                .col(big_integer("version"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk(("persons", "org_id"), ("orgs", "id")))
                .foreign_key(&mut fk(("persons", "group_id"), ("orgs", "id")))
                .foreign_key(&mut fk(
                    ("persons", "import_batch_id"),
                    ("import_batches", "id"),
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            // With the id last: SQLite's BIGINT key is no rowid alias, and the lists break ties
            // by id, so only an index ending in it serves their order without a sort.
            ("persons_path", &["org_path", "name_pinyin", "id"][..]),
            ("persons_org", &["org_id"][..]),
            ("persons_pinyin", &["name_pinyin", "id"][..]),
            ("persons_initials", &["name_initials"][..]),
            ("persons_name", &["name"][..]),
            ("persons_status", &["status", "org_path"][..]),
            ("persons_batch", &["import_batch_id"][..]),
            ("persons_staff_no", &["staff_no"][..]),
        ] {
            m.create_index(index("persons", name, cols)).await?;
        }

        // One row per period in which a person's organization and status stayed the same: the
        // membership and status of any past date is the row whose period holds it.
        m.create_table(
            Table::create()
                .table("person_periods")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(string_len("status", 16))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(string_len("reason", 200))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("person_periods", "person_id"), ("persons", "id")))
                .foreign_key(&mut fk(("person_periods", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "person_periods",
            "person_periods_person",
            &["person_id", "from_on"],
        ))
        .await?;
        m.create_index(index(
            "person_periods",
            "person_periods_org",
            &["org_path", "from_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("positions")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(path_column("org_path", pg))
                .col(big_integer("person_id"))
                .col(string_len("position", 32))
                .col(date("term_start"))
                .col(date("term_end"))
                .col(date_null("left_on"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("positions", "org_id"), ("orgs", "id")))
                .foreign_key(&mut fk(("positions", "person_id"), ("persons", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("positions", "positions_org", &["org_path"]))
            .await?;
        m.create_index(index("positions", "positions_person", &["person_id"]))
            .await?;
        m.create_index(index("positions", "positions_org_id", &["org_id"]))
            .await?;

        // The account a person of the roster activated or was given: one each way.
        m.create_table(
            Table::create()
                .table("person_accounts")
                .col(big_integer("person_id").primary_key())
                .col(big_integer("user_id").unique_key())
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("person_accounts", "person_id"), ("persons", "id")))
                .foreign_key(&mut fk(("person_accounts", "user_id"), ("users", "id")))
                .to_owned(),
        )
        .await?;

        // What happened to an organization: founded, moved, merged, dissolved; with the day.
        m.create_table(
            Table::create()
                .table("org_events")
                .col(big_integer("id").primary_key())
                .col(big_integer("org_id"))
                .col(string_len("kind", 16))
                .col(date("on_date"))
                .col(big_integer_null("from_parent_id"))
                .col(big_integer_null("to_parent_id"))
                .col(big_integer_null("other_org_id"))
                .col(string_len("note", 200))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("org_events", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "org_events",
            "org_events_org",
            &["org_id", "on_date"],
        ))
        .await?;

        // Students enrolled under an organization (a school's general branch), as the
        // organization department enters them: the base of "student members among students".
        m.create_table(
            Table::create()
                .table("org_students")
                .col(big_integer("org_id").primary_key())
                .col(path_column("org_path", pg))
                .col(big_integer("students"))
                .col(date("as_of"))
                .foreign_key(&mut fk(("org_students", "org_id"), ("orgs", "id")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("transfers")
                .col(big_integer("id").primary_key())
                .col(big_integer("person_id"))
                .col(string_len("direction", 16))
                .col(big_integer_null("from_org_id"))
                .col(path_column("from_org_path", pg).null())
                .col(string_len_null("from_outside", 200))
                .col(big_integer_null("to_org_id"))
                .col(path_column("to_org_path", pg).null())
                .col(string_len_null("to_outside", 200))
                .col(string_len("state", 16))
                .col(date("initiated_on"))
                .col(date_null("received_on"))
                .col(string_len("reason", 200))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(("transfers", "person_id"), ("persons", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("transfers", "transfers_person", &["person_id"]))
            .await?;
        m.create_index(index(
            "transfers",
            "transfers_to",
            &["to_org_path", "state"],
        ))
        .await?;
        m.create_index(index(
            "transfers",
            "transfers_from",
            &["from_org_path", "state"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "transfers",
            "org_students",
            "org_events",
            "person_accounts",
            "positions",
            "person_periods",
            "persons",
            "import_batches",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
