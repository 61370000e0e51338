"""Pages of 民生实事码上通.

Residents (mobile, no sign-in to look): the project list, the page a scan opens, rating
and problem reports (verified phone), QR codes and the poster. Staff under /p/work/:
progress updates from a phone, the moderation queue, statistics and their Excel export.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from core.photos import PhotoError, clean_photo, clean_photos
from core.ratelimit import address_hash, client_ip
from grid.models import Unit
from projects import access, actions, conf, qr, stats
from projects.choices import RATABLE_STATUSES, Category, Review, Status
from projects.forms import ModerationForm, RatingForm, ReportForm, StatsFilterForm, UpdateForm
from projects.models import ProgressUpdate, Project, Rating

PAGE_SIZE = 30
QR_MAX_AGE = 24 * 3600
POSTER_MAX_AGE = 300
QUEUE_PAGE_SIZE = 50


# ---- residents -----------------------------------------------------------------------------


def index(request):
    """All projects, newest activity first; filter by category and status."""
    projects = Project.objects.select_related("unit", "region")
    category, status = request.GET.get("category", ""), request.GET.get("status", "")
    if category in Category.values:
        projects = projects.filter(category=category)
    if status in Status.values:
        projects = projects.filter(status=status)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(Project.objects.order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "projects/index.html",
        {
            "page": page,
            "categories": Category.choices,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "category": category,
            "status": status,
        },
    )


def detail(request, code: str):
    """The page a scan opens: facts, the progress timeline with photos, the rating summary."""
    project = access.get_public_project(code)
    updates = project.updates.prefetch_related("photos")
    phone = access.verified_phone(request.user)
    refused = actions.already_rated(project, phone) if phone else None
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "updates": updates,
            "photos": project.photos.filter(update__isnull=True),
            "summary": stats.project_summary(project),
            "comments": stats.public_comments(project),
            "refused": refused,
            "ratable": project.status in RATABLE_STATUSES,
            "can_update": access.can_update(request.user, project),
        },
    )


def rate(request, code: str):
    """The five 好差评 levels with an optional comment and photo; a verified phone first."""
    project = access.get_public_project(code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "project": project,
        "phone": access.verified_phone(request.user),
        "form": None,
        "period_days": conf.rating_period_days(),
        "comment_max": conf.comment_max(),
    }
    if context["phone"] is None:
        return render(request, "projects/rate.html", context, status=403)
    refused = actions.already_rated(project, context["phone"])
    if project.status not in RATABLE_STATUSES or refused is not None:
        context["refused"] = refused
        return render(request, "projects/rate.html", context, status=409 if request.method == "POST" else 200)
    form = RatingForm(request.POST or None)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            photo = request.FILES.get("photo")
            cleaned = clean_photo(photo) if photo else None
            rating = actions.rate(
                project,
                request.user,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                photo=cleaned,
                ip_hash=address_hash(client_ip(request)),
            )
        except actions.AlreadyRated as exc:  # another tab got there first
            context["refused"] = exc
            return render(request, "projects/rate.html", context, status=409)
        except (actions.ActionError, PhotoError) as exc:
            form.add_error(None, str(exc))
            status = 429 if isinstance(exc, actions.TooFrequent) else 400
        else:
            note = "您的留言和照片审核后公开。" if rating.review == Review.PENDING else ""
            messages.success(request, f"感谢您的评价！{note}")
            return redirect(project)
    context["form"] = form
    return render(request, "projects/rate.html", context, status=status if form.errors else 200)


def report(request, code: str):
    """A problem about the project: it becomes a case in the request hub, with the project linked."""
    project = access.get_public_project(code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {"project": project, "phone": access.verified_phone(request.user)}
    if context["phone"] is None:
        return render(request, "projects/report.html", context, status=403)
    form = ReportForm(request.POST or None, initial={"token": secrets.token_hex(16)})
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            photos = clean_photos(request.FILES.getlist("photos"))
            case, _ = actions.report_problem(
                project,
                request.user,
                text=form.cleaned_data["text"],
                photos=photos,
                ip_hash=address_hash(client_ip(request)),
                token=form.cleaned_data["token"],
            )
        except (actions.ActionError, PhotoError) as exc:
            form.add_error(None, str(exc))
            status = 429 if isinstance(exc, actions.TooFrequent) else 400
        else:
            messages.success(
                request, f"问题已转到区综治中心，编号 {case.number}。处理进展会用短信告诉您，也可以拨打 12345 查询。"
            )
            return redirect("cases:public", case.number)  # the resident's own page, not the staff one
    context["form"] = form
    return render(request, "projects/report.html", context, status=status if form.errors else 200)


def qr_svg(request, code: str):
    project = access.get_public_project(code)
    response = HttpResponse(qr.svg(qr.page_url(project)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="project-{project.code}.svg"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)  # a code never changes
    return response


def qr_png(request, code: str):
    project = access.get_public_project(code)
    response = HttpResponse(qr.png(qr.page_url(project)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="project-{project.code}.png"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


def poster(request, code: str):
    """The A4 board for the site: facts, progress, the QR code, the supervision phone."""
    project = access.get_public_project(code)
    pdf = qr.poster_pdf(project, {"summary": stats.project_summary(project), "today": timezone.localdate()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="project-{project.code}.pdf"'
    # Rendering takes a moment of CPU; a short cache spares it when a link is shared around.
    patch_cache_control(response, public=True, max_age=POSTER_MAX_AGE)
    return response


# ---- staff ---------------------------------------------------------------------------------


@login_required
def work_home(request):
    """What this member of staff may do: their unit's projects, the queue, the statistics."""
    mine = access.updatable_projects(request.user).order_by("status", "name")
    can_moderate, can_stats = access.can_moderate(request.user), access.can_see_stats(request.user)
    if not (access.is_project_staff(request.user) or can_moderate or can_stats):
        raise Http404("这里是工作人员的工作台")
    return render(
        request,
        "projects/work/home.html",
        {
            "projects": mine,
            "can_moderate": can_moderate,
            "pending": Rating.objects.filter(review=Review.PENDING, hidden=False).count() if can_moderate else 0,
            "can_stats": can_stats,
        },
    )


@login_required
def work_update(request, code: str):
    """A progress update from the site, on a phone: date, percentage, what was done, photos."""
    project = access.get_project_to_update(request.user, code)
    form = UpdateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            photos = clean_photos(request.FILES.getlist("photos"))
            actions.post_update(project, request.user, photos=photos, **form.cleaned_data)
        except (actions.ActionError, PhotoError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{project.name}”的进展已发布。")
            return redirect(project)
    recent = ProgressUpdate.objects.filter(project=project).order_by("-date", "-id")[:3]
    return render(
        request,
        "projects/work/update.html",
        {"project": project, "form": form, "recent": recent, "photo_max": settings.CASE_PHOTOS_MAX},
        status=400 if form.errors else 200,
    )


QUEUES = {
    "pending": ("待审核", Q(review=Review.PENDING, hidden=False)),
    "public": ("已公开的留言", Q(review=Review.PUBLISHED, hidden=False)),
    "withheld": ("不公开的留言", Q(review=Review.WITHHELD)),
    "hidden": ("已隐藏的评价", Q(hidden=True)),
    "all": ("全部评价", Q()),
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("没有权限")


@login_required
def moderation(request):
    """The queue: comments the word filter held, photos, and everything published or hidden so far."""
    _require(access.can_moderate(request.user))
    show = request.GET.get("show", "pending")
    if show not in QUEUES:
        show = "pending"
    ratings = Rating.objects.filter(QUEUES[show][1]).select_related("project", "reviewed_by", "hidden_by")
    code = request.GET.get("project", "").strip().lower()
    if code:
        ratings = ratings.filter(project__code=code)
    ratings = ratings.order_by("created_at" if show == "pending" else "-created_at")
    page = Paginator(ratings, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {key: Rating.objects.filter(rule).count() for key, (_, rule) in QUEUES.items() if key != "all"}
    return render(
        request,
        "projects/work/moderation.html",
        {
            "page": page,
            "show": show,
            "queues": [(key, label, counts.get(key)) for key, (label, _) in QUEUES.items()],
            "project_code": code,
        },
    )


@login_required
@require_POST
def moderate(request, pk: int):
    rating = access.get_rating_to_moderate(request.user, pk)
    form = ModerationForm(request.POST)
    back = request.POST.get("back", "")
    if not back.startswith(reverse("projects:moderation")):
        back = reverse("projects:moderation")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        actions.moderate(rating, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"])
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        label = actions.DECISIONS[form.cleaned_data["decision"]]
        messages.success(request, f"已{label}：{rating.project.name} · {rating.masked_phone}")
    return redirect(back)


def _stats_scope(request):
    _require(access.can_see_stats(request.user))
    units = Unit.objects.filter(projects__isnull=False).distinct().order_by("code")
    form = StatsFilterForm(request.GET or None, units=units)
    projects = Project.objects.all()
    since = until = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            projects = projects.filter(category=data["category"])
        if data["unit"]:
            projects = projects.filter(unit__code=data["unit"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            since = dt.datetime.combine(data["since"], dt.time.min, tzinfo=tz)
        if data["until"]:
            until = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return form, projects, since, until


@login_required
def stats_page(request):
    """Satisfaction per project, unit and category, for district leaders and dispatchers."""
    form, projects, since, until = _stats_scope(request)
    rows = stats.project_rows(projects, since, until)
    return render(
        request,
        "projects/work/stats.html",
        {
            "form": form,
            "rows": rows,
            "units": stats.grouped(rows, "unit"),
            "categories": stats.grouped(rows, "category"),
            "total": stats.total_row(rows),
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def stats_xlsx(request):
    form, projects, since, until = _stats_scope(request)
    if form.is_bound and form.errors:
        return redirect(f"{reverse('projects:stats')}?{request.GET.urlencode()}")  # the page says what is wrong
    response = HttpResponse(
        stats.workbook(projects, since, until),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="projects-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
