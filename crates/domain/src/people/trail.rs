//! What the trail records of the people, the roster's imports and the transfers.

crate::audit_trail! {
    kinds {
        PERSON = ("person", "人员"),
        IMPORT_BATCH = ("import_batch", "导入批次"),
        TRANSFER = ("transfer", "组织关系转接"),
    }
    acts {
        CREATE = ("person.create", "登记人员", PERSON),
        UPDATE = ("person.update", "修改人员信息", PERSON),
        REVEAL = ("person.reveal", "查看完整身份证号", PERSON),
        DISCIPLINE = ("person.discipline", "登记党纪处分", PERSON),
        WHEREABOUTS = ("person.whereabouts", "登记失联、出国（境）或毕业保留组织关系", PERSON),
        SUSPEND = ("person.suspend", "停止党籍", PERSON),
        CONTACT_ABROAD = ("person.contact_abroad", "登记与出国（境）党员的联系", PERSON),
        WHEREABOUTS_END = ("person.whereabouts_end", "结束失联、出国（境）或毕业保留记录", PERSON),
        WHEREABOUTS_DIGEST = ("notification.whereabouts_digest", "发送失联、出国（境）和毕业生党员提醒", crate::platform::audit::trail::JOB),
        IMPORT_STAGE = ("person.import_stage", "上传名册待确认", IMPORT_BATCH),
        IMPORT = ("person.import", "确认导入名册", IMPORT_BATCH),
        IMPORT_APPLY = ("person.import_apply", "写入导入的名册", IMPORT_BATCH),
        IMPORT_END = ("person.import_end", "导入结束", IMPORT_BATCH),
        IMPORT_DISCARD = ("person.import_discard", "放弃导入", IMPORT_BATCH),
        IMPORT_ROLLBACK = ("person.import_rollback", "撤销导入", IMPORT_BATCH),
        EXPORT = ("person.export", "导出名册", PERSON),
        TRANSFER_CREATE = ("transfer.create", "发起组织关系转接", TRANSFER),
        TRANSFER_RECEIVE = ("transfer.receive", "接收组织关系", TRANSFER),
        TRANSFER_CANCEL = ("transfer.cancel", "撤回组织关系转接", TRANSFER),
    }
}
