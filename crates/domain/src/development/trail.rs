//! What the trail records of the development of members: steps, training and thought reports.

use crate::people::trail::PERSON;

crate::audit_trail! {
    kinds {
        DEVELOPMENT_STEP = ("development_step", "发展步骤"),
        TRAINING_CLASS = ("training_class", "培训班"),
        THOUGHT_REPORT = ("thought_report", "思想汇报"),
    }
    acts {
        STEP = ("development.step", "登记发展步骤", PERSON),
        POLICY = ("development.policy", "修改发展步骤材料要求", DEVELOPMENT_STEP),
        DOCUMENT_DOWNLOAD = ("development_document.download", "下载发展党员材料", PERSON),
        DIGEST = ("notification.digest", "发送发展党员待办摘要", crate::platform::audit::trail::JOB),
        CLASS = ("training.class", "开设培训班", TRAINING_CLASS),
        ENROL = ("training.enrol", "培训班报名", TRAINING_CLASS),
        RESULT = ("training.result", "登记培训结果", PERSON),
        HAND_IN = ("thought_report.hand_in", "提交思想汇报", THOUGHT_REPORT),
        ANSWER = ("thought_report.answer", "回复思想汇报", THOUGHT_REPORT),
    }
}
