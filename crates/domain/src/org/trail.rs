//! What the trail records of the organizations and their committees.

crate::audit_trail! {
    kinds {
        ORG = ("org", "党组织"),
    }
    acts {
        CREATE = ("org.create", "建立组织", ORG),
        SET_STUDENTS = ("org.set_students", "登记在校学生数", ORG),
        SET_JOINT_UNITS = ("org.set_joint_units", "登记联合党支部的单位", ORG),
        MOVE = ("org.move", "调整组织隶属关系", ORG),
        MERGE = ("org.merge", "合并组织", ORG),
        SPLIT = ("org.split", "分设组织", ORG),
        DISSOLVE = ("org.dissolve", "撤销组织", ORG),
        APPOINT = ("seat.appoint", "任命委员会职务", ORG),
        END_SEAT = ("seat.end", "免去委员会职务", ORG),
    }
}
