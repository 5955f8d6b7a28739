//! What the trail records of organizational life: meetings, heart talks, feeds and books.

use crate::platform::audit::trail::{ACCOUNT, JOB};

crate::audit_trail! {
    kinds {
        MEETING = ("meeting", "会议"),
        HEART_TALK = ("heart_talk", "谈心谈话"),
    }
    acts {
        PLAN = ("meeting.plan", "计划会议", MEETING),
        CHECK_IN_CODES = ("meeting.check_in_codes", "生成签到码", MEETING),
        CHECK_IN = ("meeting.check_in", "扫码签到", MEETING),
        HELD = ("meeting.held", "登记会议召开", MEETING),
        LOCK = ("meeting.lock", "确认并锁定会议记录", MEETING),
        CORRECT = ("meeting.correct", "补充更正会议记录", MEETING),
        HEART_TALK_RECORD = ("heart_talk.record", "登记谈心谈话", HEART_TALK),
        CALENDAR_LINK = ("calendar.link", "生成日历订阅链接", ACCOUNT),
        CALENDAR_REVOKE = ("calendar.revoke", "停用日历订阅链接", ACCOUNT),
        RECORD_BOOK_DOWNLOAD = ("record_book.download", "下载党支部工作记录本", crate::org::trail::ORG),
        MISSED_DIGEST = ("notification.compliance_digest", "发送组织生活提醒", JOB),
    }
}
