"""Resident pages of the service guide: home, matter, the question flow, the checklist."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.pdf import html_to_pdf
from core.urls import absolute
from guide.access import get_matter, get_situation
from guide.catalog_check import KEY_RE
from guide.checklist import load_checklist, qr_svg
from guide.flow import CHANGE_PARAM, MatterFlow
from guide.models import Department, Matter, ServiceTally

POPULAR_ON_HOME = 12


def home(request):
    departments = Department.objects.annotate(matter_count=Count("matters")).filter(matter_count__gt=0)
    return render(request, "guide/home.html", {"departments": departments, "popular": _popular()})


def department(request, code: str):
    dept = get_object_or_404(Department, code=code.upper())
    return render(request, "guide/department.html", {"department": dept, "matters": dept.matters.all()})


def matter(request, code: str):
    m = get_matter(code)
    return render(
        request,
        "guide/matter.html",
        {"matter": m, "situations": m.situations.all(), "steps": m.steps.all(), "faqs": m.faqs.all()},
    )


def ask(request, code: str):
    """One question at a time; when the answers reach a situation, count it and show the checklist."""
    m = get_matter(code)
    flow = MatterFlow(m)
    state = flow.walk(request.GET)
    if state.complete:
        ServiceTally.record(state.situation)
        url = reverse("guide:checklist", args=[m.code, state.situation.key])
        query = state.query()
        return redirect(f"{url}?{query}" if query else url)
    if state.question is None:
        messages.error(request, "这个事项的引导问题还在整理中，请直接咨询窗口。")
        return redirect(m)
    if state.stale_question is not None:
        messages.warning(request, "您之前的回答已不适用（可能事项内容有更新），请从这一题重新选择。")
    # Later answers ride along, so changing one answer does not redo the rest.
    carry = [
        (name, value)
        for name, value in request.GET.items()
        if name != state.question.key and KEY_RE.match(name) and KEY_RE.match(value)
    ]
    return render(
        request,
        "guide/ask.html",
        {"matter": m, "state": state, "carry": carry, "back_url": _back_url(m, flow, state, request.GET)},
    )


def _back_url(m: Matter, flow: MatterFlow, state, given) -> str:
    """The back link: from changing an answer, the checklist as it was; else the previous question, answered."""
    if CHANGE_PARAM in given:
        unchanged = flow.walk({k: v for k, v in given.items() if k != CHANGE_PARAM})
        if unchanged.complete:
            url = reverse("guide:checklist", args=[m.code, unchanged.situation.key])
            return f"{url}?{unchanged.query()}"
    if state.answers:
        return f"{reverse('guide:ask', args=[m.code])}?{state.changes[-1][1]}"
    return m.get_absolute_url()


def _checklist_context(request, code: str, key: str) -> dict:
    m = get_matter(code)
    situation = load_checklist(m, get_situation(m, key))
    state = MatterFlow(m).walk(request.GET)
    # Show "您的回答" only when the answers in the link really lead here.
    answers = state.answers if state.situation and state.situation.pk == situation.pk else []
    page_url = absolute(reverse("guide:checklist", args=[m.code, situation.key]))
    return {
        "matter": m,
        "situation": situation,
        "state": state,
        "answers": answers,
        "answers_query": state.query() if answers else "",
        "back_query": state.changes[-1][1] if answers else "",
        "page_url": page_url,
        "qr": qr_svg(page_url),
    }


def checklist(request, code: str, key: str):
    return render(request, "guide/checklist.html", _checklist_context(request, code, key))


def checklist_print(request, code: str, key: str):
    context = _checklist_context(request, code, key)
    context["printing"] = True
    return render(request, "guide/checklist_print.html", context)


def checklist_pdf(request, code: str, key: str):
    context = _checklist_context(request, code, key)
    context["for_pdf"] = context["printing"] = True
    pdf = html_to_pdf(render(request, "guide/checklist_print.html", context).content.decode())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{context['matter'].code}-{context['situation'].key}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _popular():
    return Matter.objects.select_related("department").order_by("-popular", "code")[:POPULAR_ON_HOME]
