"""The Python client generated from /api/v1/openapi.json, against a demo server.

Run by tests/api/run, which generates the package `dangjian_api_client` and puts it on
PYTHONPATH, and gives BASE_URL and DEMO_PASSWORD. Each test does what a program built on the
contract would do: sign in, make a token, read organizations, people and meetings, plan one,
keep the holiday calendar and read the university's rules.
"""

import datetime
import os

import pytest

from dangjian_api_client import AuthenticatedClient, Client
from dangjian_api_client.api.calendar import (
    list_calendar_days,
    remove_calendar_day,
    set_calendar_day,
)
from dangjian_api_client.api.meetings import get_meeting, list_meetings, plan_meeting
from dangjian_api_client.api.orgs import get_org, list_org_members, list_orgs
from dangjian_api_client.api.people import get_person, list_people
from dangjian_api_client.api.rules import get_rules
from dangjian_api_client.api.session import get_me, sign_in
from dangjian_api_client.api.tokens import create_token, list_tokens
from dangjian_api_client.models import (
    CalendarDayBody,
    ErrorBody,
    ListCalendarDayView,
    ListMeetingView,
    ListOrgView,
    ListPersonView,
    MeetingKindCode,
    MeetingRecord,
    MeetingStateCode,
    MeetingView,
    NewToken,
    NewTokenBody,
    OrgKindCode,
    OrgSortKey,
    OrgView,
    PersonDetail,
    PersonStatusCode,
    PersonStatusFilter,
    PlanBody,
    RoleCode,
    RulesView,
    SettingKeyCode,
    SignIn,
    StepCode,
    User,
)

BASE_URL = os.environ["BASE_URL"]
PASSWORD = os.environ["DEMO_PASSWORD"]
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(scope="module")
def admin() -> AuthenticatedClient:
    """The organization department, signed in once and holding a token of its own."""
    session = Client(base_url=BASE_URL)
    user = sign_in.sync(client=session, body=SignIn(username="admin", password=PASSWORD))
    assert isinstance(user, User), user
    made = create_token.sync(client=session, body=NewTokenBody(name="生成的客户端", days=1))
    assert isinstance(made, NewToken), made
    return AuthenticatedClient(base_url=BASE_URL, token=made.secret)


def test_sign_in_answers_the_user_with_typed_roles():
    user = sign_in.sync(
        client=Client(base_url=BASE_URL), body=SignIn(username="branchsec", password=PASSWORD)
    )
    assert isinstance(user, User), user
    assert user.username == "branchsec"
    assert RoleCode.BRANCH_SECRETARY in [g.role for g in user.grants]


def test_a_wrong_password_is_the_error_body():
    r = sign_in.sync_detailed(
        client=Client(base_url=BASE_URL), body=SignIn(username="auditor", password="wrong")
    )
    assert r.status_code == 401
    assert isinstance(r.parsed, ErrorBody)
    assert r.parsed.code == "unauthenticated"


def test_nobody_signed_in_is_refused():
    r = list_orgs.sync_detailed(client=Client(base_url=BASE_URL))
    assert r.status_code == 401
    assert isinstance(r.parsed, ErrorBody)


def test_the_token_is_the_callers(admin):
    me = get_me.sync(client=admin)
    assert isinstance(me, User) and me.username == "admin"
    tokens = list_tokens.sync(client=admin)
    assert "生成的客户端" in [t.name for t in tokens.items]


def test_organizations_by_kind(admin):
    page = list_orgs.sync(client=admin, kind=OrgKindCode.BRANCH, per_page=5, sort=OrgSortKey.NAME)
    assert isinstance(page, ListOrgView), page
    assert len(page.items) == 5 and page.total > 5
    assert all(o.kind is OrgKindCode.BRANCH for o in page.items)
    assert [o.name for o in page.items] == sorted(o.name for o in page.items)
    one = get_org.sync(page.items[0].id, client=admin)
    assert isinstance(one, OrgView) and one.id == page.items[0].id


def test_an_organization_out_of_reach_is_not_found(admin):
    r = get_org.sync_detailed(999_999_999, client=admin)
    assert r.status_code == 404
    assert isinstance(r.parsed, ErrorBody) and r.parsed.code == "not_found"


def test_a_person_with_history(admin):
    page = list_people.sync(client=admin, status=PersonStatusFilter.MEMBERS, per_page=3)
    assert isinstance(page, ListPersonView), page
    assert page.items and all(
        p.status in (PersonStatusCode.FULL, PersonStatusCode.PROBATIONARY) for p in page.items
    )
    person = get_person.sync(page.items[0].id, client=admin)
    assert isinstance(person, PersonDetail), person
    assert person.name == page.items[0].name
    assert isinstance(person.birth_date, datetime.date)
    assert person.history, "everyone has at least the period they are in"


def test_the_members_of_a_branch(admin):
    branch = list_orgs.sync(client=admin, kind=OrgKindCode.BRANCH, per_page=1).items[0]
    members = list_org_members.sync(branch.id, client=admin, per_page=500)
    assert isinstance(members, ListPersonView), members
    assert members.items and all(m.org_id == branch.id for m in members.items)


def test_a_meeting_planned_with_an_offset_is_kept_in_shanghai_time(admin):
    branch = list_orgs.sync(client=admin, kind=OrgKindCode.BRANCH, per_page=1).items[0]
    day = datetime.date.today() + datetime.timedelta(days=40)
    # 06:30 UTC is 14:30 in Shanghai.
    at = datetime.datetime.combine(day, datetime.time(6, 30), tzinfo=datetime.timezone.utc)
    made = plan_meeting.sync(
        branch.id,
        client=admin,
        body=PlanBody(
            kind=MeetingKindCode.PARTY_LECTURE,
            topic="生成的客户端安排的党课",
            starts_at=at,
            place="报告厅",
            agenda=["学习党章"],
            study_hours=2,
            lecturer_name="党校 李老师",
        ),
    )
    assert isinstance(made, MeetingView), made
    assert made.state is MeetingStateCode.PLANNED
    assert made.lecturer_name == "党校 李老师" and made.lecturer_id is None
    assert made.starts_at == f"{day.isoformat()}T14:30:00"
    record = get_meeting.sync(made.id, client=admin)
    assert isinstance(record, MeetingRecord), record
    assert record.attendance, "everyone expected is on the roll"
    listed = list_meetings.sync(branch.id, client=admin, year=day.year)
    assert isinstance(listed, ListMeetingView), listed
    assert made.id in [m.id for m in listed.items]


def test_a_meeting_time_in_local_time_still_works(admin):
    branch = list_orgs.sync(client=admin, kind=OrgKindCode.BRANCH, per_page=1).items[0]
    day = datetime.date.today() + datetime.timedelta(days=41)
    at = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=SHANGHAI)
    made = plan_meeting.sync(
        branch.id,
        client=admin,
        body=PlanBody(kind=MeetingKindCode.THEME_DAY, topic="主题党日", starts_at=at, place="活动室"),
    )
    assert isinstance(made, MeetingView), made
    assert made.starts_at == f"{day.isoformat()}T09:00:00"


def test_a_refused_plan_names_its_field(admin):
    branch = list_orgs.sync(client=admin, kind=OrgKindCode.BRANCH, per_page=1).items[0]
    r = plan_meeting.sync_detailed(
        branch.id,
        client=admin,
        body=PlanBody(
            kind=MeetingKindCode.PARTY_LECTURE,
            topic="学时过多的党课",
            starts_at=datetime.datetime.now(SHANGHAI) + datetime.timedelta(days=3),
            place="报告厅",
            study_hours=99,
        ),
    )
    assert r.status_code == 422
    assert isinstance(r.parsed, ErrorBody) and r.parsed.field == "study_hours"
    # Every 党课 names who lectures (RULES.md §2).
    r = plan_meeting.sync_detailed(
        branch.id,
        client=admin,
        body=PlanBody(
            kind=MeetingKindCode.PARTY_LECTURE,
            topic="没有讲课人的党课",
            starts_at=datetime.datetime.now(SHANGHAI) + datetime.timedelta(days=3),
            place="报告厅",
        ),
    )
    assert r.status_code == 422
    assert isinstance(r.parsed, ErrorBody) and r.parsed.field == "lecturer_id"


def test_the_holiday_calendar_is_kept_through_the_client(admin):
    day = datetime.date(2031, 1, 1)
    kept = set_calendar_day.sync_detailed(
        on=day, client=admin, body=CalendarDayBody(working=False, note="元旦")
    )
    assert kept.status_code == 200, kept.content
    days = list_calendar_days.sync(client=admin)
    assert isinstance(days, ListCalendarDayView), days
    assert any(d.on == day and not d.working and d.note == "元旦" for d in days.items)
    assert remove_calendar_day.sync_detailed(on=day, client=admin).status_code == 204


def test_the_rules_in_force_and_how_each_step_is_run(admin):
    rules = get_rules.sync(client=admin)
    assert isinstance(rules, RulesView), rules
    assert SettingKeyCode.DEV_PUBLICITY_DAYS in [r.key for r in rules.rules]
    assert SettingKeyCode.LOCKOUT_FAILURES not in [r.key for r in rules.rules]
    assert StepCode.ADMISSION_VOTE in [s.step for s in rules.steps]
