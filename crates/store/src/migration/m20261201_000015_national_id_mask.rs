//! The masked ID numbers stored before `NationalId::masked` showed the province only: they
//! showed the first three and last four characters, which with the birth date beside them
//! left one or two candidates. The new mask is the old one with more characters hidden, so it
//! is computed from the stored mask without decrypting the number.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Written out, not `NationalId::masked`, so that this step stays what it was if the
        // mask changes again. `substr` and `||` mean the same on both engines.
        m.get_connection()
            .execute_unprepared(
                "UPDATE persons SET national_id_masked = \
                 substr(national_id_masked, 1, 2) || '****************'",
            )
            .await?;
        Ok(())
    }

    /// The hidden characters are gone from the stored mask; the wider mask stays.
    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
