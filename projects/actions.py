"""Every change to a project or a rating: one function, one transaction, one history row (Activity).

Functions take the acting user and raise ActionError with a message in Chinese when
the change is not allowed; nothing is written then. Uploaded photos arrive already
cleaned (core.photos.clean_photo) so that a bad file is refused before any write.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.actions import scoped_key, submit_case
from cases.choices import Channel
from cases.models import Case
from core.errors import ActionError
from core.locking import locked
from core.ratelimit import RateLimited, take
from grid.access import person_of, public_label
from projects import conf, words
from projects.access import verified_phone
from projects.choices import (
    FINISHED_STATUSES,
    RATABLE_STATUSES,
    STATUS_ORDER,
    ActivityKind,
    Review,
    Satisfaction,
    Status,
)
from projects.models import Activity, ProgressUpdate, Project, ProjectPhoto, ProjectReport, Rating

UPDATE_TEXT_MAX = 1000
REASON_MAX = 255


class AlreadyRated(ActionError):
    """This phone rated this project within the period; `next_at` says when it may rate again."""

    def __init__(self, message: str, last: Rating, next_at: dt.datetime):
        super().__init__(message)
        self.last, self.next_at = last, next_at


class TooFrequent(ActionError):
    """Too many ratings or reports from one network address in the window."""


# ---- helpers -------------------------------------------------------------------------------


def record(project: Project, user, kind: str, *, note: str = "", rating: Rating | None = None) -> Activity:
    actor = user if user is not None and user.is_authenticated else None
    return Activity.objects.create(
        project=project,
        rating=rating,
        kind=kind,
        actor=actor,
        actor_label=public_label(actor, project.unit_id),
        note=note,
    )


def _locked(project: Project) -> Project:
    return locked(project)


def _day(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def _check_address(ip_hash: str) -> None:
    """Spend one of this network's ratings and reports (the platform's limiter, scope "rating")."""
    try:
        take("rating", ip_hash)
    except RateLimited as exc:
        raise TooFrequent(f"您所在的网络提交太频繁了，{exc.message.removeprefix('操作太频繁了，')}。") from None


# ---- residents -----------------------------------------------------------------------------


def last_rating(project: Project, phone: str) -> Rating | None:
    since = timezone.now() - dt.timedelta(days=conf.rating_period_days())
    return Rating.objects.filter(project=project, phone=phone, created_at__gt=since).order_by("-created_at").first()


def already_rated(project: Project, phone: str) -> AlreadyRated | None:
    """Why this phone may not rate this project now, or None when it may."""
    last = last_rating(project, phone)
    if last is None:
        return None
    days = conf.rating_period_days()
    next_at = last.created_at + dt.timedelta(days=days)
    local = timezone.localtime(next_at)
    message = (
        f"您已于{_day(last.created_at)}评价过这个项目。同一个手机号每 {days} 天可以评价同一个项目一次，"
        f"{_day(next_at)} {local:%H:%M} 以后可以再次评价。"
    )
    return AlreadyRated(message, last, next_at)


@transaction.atomic
def rate(
    project: Project,
    user,
    *,
    satisfaction: str,
    comment: str = "",
    photo: ContentFile | None = None,
    ip_hash: str,
) -> Rating:
    """A resident's rating: one per verified phone per project per period, comments through the word filter."""
    phone = verified_phone(user)
    if phone is None:
        raise ActionError("评价需要先用手机号验证登录")
    if satisfaction not in Satisfaction.values:
        raise ActionError("请选择满意程度（非常满意、满意、基本满意、不满意、非常不满意）")
    comment = (comment or "").strip()
    if len(comment) > conf.comment_max():
        raise ActionError(f"留言最多 {conf.comment_max()} 个字，现在是 {len(comment)} 个字")
    project = _locked(project)  # serialises ratings of one project, so the check below cannot race
    if project.status not in RATABLE_STATUSES:
        raise ActionError("项目还在谋划阶段，开工后才能评价。有意见建议可以点“反映问题”。")
    refused = already_rated(project, phone)
    if refused is not None:
        raise refused
    _check_address(ip_hash)
    flags = words.flagged(comment)
    if flags or photo is not None:
        review = Review.PENDING  # a photo cannot be checked by a word list: a person looks first
    elif comment:
        review = Review.PUBLISHED
    else:
        review = Review.NONE
    rating = Rating(
        project=project,
        user=user,
        phone=phone,
        satisfaction=satisfaction,
        comment=comment,
        review=review,
        flagged_words="、".join(flags)[:255],
        ip_hash=ip_hash,
    )
    if photo is not None:
        rating.photo.save(photo.name, photo, save=False)
    rating.save()
    note = satisfaction + ("，留言待审核" if review == Review.PENDING else "")
    record(project, user, ActivityKind.RATE, note=note, rating=rating)
    return rating


def report_problem(
    project: Project,
    user,
    *,
    text: str,
    photos: list[ContentFile] = (),
    ip_hash: str,
    token: str = "",
) -> tuple[Case, bool]:
    """A problem about the project becomes a case in the request hub, linked to it. Returns (case, created).

    `token` comes from the form, so pressing 提交 twice makes one case.
    """
    from django.conf import settings

    from cases.suggest import suggest_category

    phone = verified_phone(user)
    if phone is None:
        raise ActionError("反映问题需要先用手机号验证登录")
    text = (text or "").strip()
    if not text:
        raise ActionError("请写一下遇到了什么问题")
    if len(text) > settings.CASE_TEXT_MAX:
        raise ActionError(f"问题描述最多 {settings.CASE_TEXT_MAX} 个字，现在是 {len(text)} 个字")
    key = f"project-{project.code}-{token}" if token else None
    scope = f"u:{user.pk}"
    if key:
        stored = scoped_key(scope, key)
        existing = ProjectReport.objects.filter(case__idempotency_key=stored).select_related("case").first()
        if existing is not None:
            return existing.case, False
    _check_address(ip_hash)
    person = person_of(user)
    description = f"【民生实事：{project.name}（项目码 {project.code}，责任单位 {project.unit.name}）】\n{text}"
    # One transaction for the case and the link: never a case that forgot its project.
    with transaction.atomic():
        case, created = submit_case(
            description=description,
            channel=Channel.PROJECT,
            category=suggest_category(text),
            region=project.region,
            latitude=project.latitude,
            longitude=project.longitude,
            address=project.place_display[:255],
            reporter=user,
            reporter_name=person.name if person else "",
            reporter_phone=phone,
            idempotency_key=key,
            idempotency_scope=scope,
            photos=list(photos),
        )
        ProjectReport.objects.get_or_create(
            case=case, defaults={"project": project, "reporter": user, "ip_hash": ip_hash}
        )
        if created:
            record(project, user, ActivityKind.REPORT, note=f"诉求编号 {case.number}")
    return case, created


# ---- unit staff ----------------------------------------------------------------------------


@transaction.atomic
def post_update(
    project: Project,
    user,
    *,
    date: dt.date,
    percent: int,
    text: str,
    status: str | None = None,
    photos: list[ContentFile] = (),
) -> ProgressUpdate:
    """A progress report from the site: the timeline grows, the project's progress and status follow."""
    project = _locked(project)
    status = status or project.status
    text = (text or "").strip()
    today = timezone.localdate()
    if status not in Status.values:
        raise ActionError("请选择项目状态")
    if STATUS_ORDER.index(status) < STATUS_ORDER.index(project.status):
        raise ActionError(f"项目已经是“{project.get_status_display()}”，状态不能往回改")
    if not 0 <= percent <= 100:
        raise ActionError("形象进度应在 0 到 100 之间")
    if percent < project.progress:
        raise ActionError(f"形象进度不能低于当前的 {project.progress}%；如需更正，请联系平台管理员")
    if status in FINISHED_STATUSES and percent != 100:
        raise ActionError("完工或投用的项目，形象进度应为 100%")
    if status == Status.PLANNING and percent > 0:
        raise ActionError("谋划阶段的项目进度应为 0%；已经开工请把状态改为“在建”")
    if not text:
        raise ActionError("请写一下这次的进展情况")
    if len(text) > UPDATE_TEXT_MAX:
        raise ActionError(f"进展情况最多 {UPDATE_TEXT_MAX} 个字，现在是 {len(text)} 个字")
    if date > today:
        raise ActionError("进展日期不能晚于今天")
    latest = project.updates.order_by("-date").first()
    if latest is not None and date < latest.date:
        raise ActionError(f"进展日期不能早于上一次进展（{latest.date:%Y-%m-%d}）")
    update = ProgressUpdate.objects.create(
        project=project,
        date=date,
        percent=percent,
        status=status,
        text=text,
        author=user,
        author_label=public_label(user, project.unit_id),
    )
    for image in photos:
        ProjectPhoto.objects.create(project=project, update=update, image=image)
    before = project.get_status_display()
    fields = ["progress", "status", "updated_at"]
    project.progress, project.status = percent, status
    if status != Status.PLANNING and project.actual_start is None:
        project.actual_start = date
        fields.append("actual_start")
    if status in FINISHED_STATUSES and project.actual_end is None:
        project.actual_end = date
        fields.append("actual_end")
    project.save(update_fields=fields)
    change = f"，状态 {before} → {project.get_status_display()}" if before != project.get_status_display() else ""
    record(project, user, ActivityKind.PROGRESS, note=f"{date:%Y-%m-%d} 进度 {percent}%{change}")
    return update


# ---- moderators ----------------------------------------------------------------------------

DECISIONS = {
    "approve": "公开留言",
    "withhold": "留言不公开",
    "hide": "隐藏评价",
    "unhide": "恢复评价",
}


@transaction.atomic
def moderate(rating: Rating, user, decision: str, reason: str = "") -> Rating:
    """A moderator's decision on one rating; what was decided, by whom and why goes into the history."""
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    reason = (reason or "").strip()
    now = timezone.now()
    if decision not in DECISIONS:
        raise ActionError("请选择审核结果")
    if len(reason) > REASON_MAX:
        raise ActionError(f"原因最多 {REASON_MAX} 个字")
    if decision in ("withhold", "hide") and not reason:
        raise ActionError(f"“{DECISIONS[decision]}”需要写明原因")
    if decision == "approve":
        if rating.review not in (Review.PENDING, Review.WITHHELD):
            raise ActionError("这条评价没有待审核的留言")
        rating.review, rating.reviewed_by, rating.reviewed_at, rating.review_note = Review.PUBLISHED, user, now, reason
        fields, kind = ["review", "reviewed_by", "reviewed_at", "review_note"], ActivityKind.APPROVE
    elif decision == "withhold":
        if rating.review not in (Review.PENDING, Review.PUBLISHED):
            raise ActionError("这条评价没有可以撤下的留言")
        rating.review, rating.reviewed_by, rating.reviewed_at, rating.review_note = Review.WITHHELD, user, now, reason
        fields, kind = ["review", "reviewed_by", "reviewed_at", "review_note"], ActivityKind.WITHHOLD
    elif decision == "hide":
        if rating.hidden:
            raise ActionError("这条评价已经隐藏了")
        rating.hidden, rating.hidden_by, rating.hidden_at, rating.hidden_reason = True, user, now, reason
        fields, kind = ["hidden", "hidden_by", "hidden_at", "hidden_reason"], ActivityKind.HIDE
    else:
        if not rating.hidden:
            raise ActionError("这条评价没有被隐藏")
        # The rating's fields describe it now; who hid it and why stays in the history.
        reason = reason or f"原隐藏原因：{rating.hidden_reason}"
        rating.hidden, rating.hidden_by, rating.hidden_at, rating.hidden_reason = False, None, None, ""
        fields, kind = ["hidden", "hidden_by", "hidden_at", "hidden_reason"], ActivityKind.UNHIDE
    rating.save(update_fields=fields)
    record(rating.project, user, kind, note=reason, rating=rating)
    return rating
