//! 导入名册: the state of a roster import batch, from staged to applied or rolled back.

crate::labelled_enum! {
    /// Where an import batch stands: staged and previewed, applied (all rows or none), and
    /// later rolled back, or discarded before it was applied.
    pub enum BatchState {
        Staged = ("staged", "待确认"),
        Applying = ("applying", "导入中"),
        Applied = ("applied", "已导入"),
        Failed = ("failed", "导入失败"),
        RolledBack = ("rolled_back", "已撤销"),
        Discarded = ("discarded", "已放弃"),
    }
}
