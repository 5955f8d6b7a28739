//! Attachments (附件): metadata rows here, content in content-addressed files under the data
//! folder (see `app::attachment`).

use crate::{Result, WriteTx, scope};
use chrono::{DateTime, Utc};
use dangjian_domain::platform::audit::RecordKind;
use dangjian_domain::platform::role::{Access, Action};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use serde::Serialize;

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i64,
        pub sha256: String,
        pub size: i64,
        pub content_type: String,
        pub file_name: String,
        pub entity: String,
        pub entity_id: i64,
        pub org_path: String,
        pub uploaded_by: i64,
        pub created_at: i64,
        pub label: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// An attachment's metadata; the record it belongs to is named by entity and id, and its
/// organization decides who may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub file_name: String,
    pub entity: String,
    pub entity_id: i64,
    pub org_path: String,
    pub uploaded_by: dangjian_domain::ids::AccountId,
    pub created_at: DateTime<Utc>,
    /// What the file is, among the documents its record asks for (入党申请书…).
    pub label: Option<String>,
}

fn to_attachment(m: entity::Model) -> Attachment {
    Attachment {
        id: m.id,
        sha256: m.sha256,
        size: m.size,
        content_type: m.content_type,
        file_name: m.file_name,
        entity: m.entity,
        entity_id: m.entity_id,
        org_path: m.org_path,
        uploaded_by: dangjian_domain::ids::AccountId::new(m.uploaded_by),
        created_at: dangjian_domain::clock::from_unix_ms(m.created_at),
        label: m.label,
    }
}

pub async fn insert(tx: &WriteTx, a: &Attachment) -> Result<()> {
    entity::ActiveModel {
        id: Set(a.id),
        sha256: Set(a.sha256.clone()),
        size: Set(a.size),
        content_type: Set(a.content_type.clone()),
        file_name: Set(a.file_name.clone()),
        entity: Set(a.entity.clone()),
        entity_id: Set(a.entity_id),
        org_path: Set(a.org_path.clone()),
        uploaded_by: Set(a.uploaded_by.get()),
        created_at: Set(a.created_at.timestamp_millis()),
        label: Set(a.label.clone()),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// One attachment, if the reader may read records of its organization.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    id: i64,
) -> Result<Option<Attachment>> {
    Ok(Entity::find_by_id(id)
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .one(db)
        .await?
        .map(to_attachment))
}

/// The attachments of one record that the reader may read.
pub async fn of_record<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    entity: RecordKind,
    entity_id: i64,
) -> Result<Vec<Attachment>> {
    Ok(Entity::find()
        .filter(Column::Entity.eq(entity.code))
        .filter(Column::EntityId.eq(entity_id))
        .filter(scope::within(
            Column::OrgPath,
            &access.scopes(Action::ReadRecords),
        ))
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_attachment)
        .collect())
}

/// The attachments of many records of one kind that the reader may read, oldest first.
pub async fn of_records<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    entity: RecordKind,
    ids: &[i64],
) -> Result<Vec<Attachment>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            Entity::find()
                .filter(Column::Entity.eq(entity.code))
                .filter(Column::EntityId.is_in(chunk.to_vec()))
                .filter(scope::within(
                    Column::OrgPath,
                    &access.scopes(Action::ReadRecords),
                ))
                .order_by_asc(Column::CreatedAt)
                .all(db)
                .await?
                .into_iter()
                .map(to_attachment),
        );
    }
    Ok(out)
}
