"""Resident pages of 一件事一次办: the list, a bundle, its questions, the merged checklist and the one form."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bundles.access import get_bundle
from bundles.checklist import merge
from bundles.flow import BundleFlow, answers_from
from bundles.models import Bundle
from core.pdf import html_to_pdf
from core.urls import absolute
from guide.checklist import qr_svg
from guide.flow import CHANGE_PARAM
from guide.models import ServiceTally


def index(request):
    bundles = Bundle.objects.prefetch_related("components__matter__department")
    return render(request, "bundles/index.html", {"bundles": bundles})


def detail(request, code: str):
    bundle = get_bundle(code)
    components = list(bundle.components.select_related("matter__department"))
    stages = [(stage, list(group)) for stage, group in groupby(components, key=lambda c: c.stage)]
    context = {
        "bundle": bundle,
        "stages": stages,
        "matter_count": len(components),
        "departments": list(dict.fromkeys(c.matter.department.name for c in components)),
        "planned": bundle.planned.all(),
    }
    return render(request, "bundles/detail.html", context)


def ask(request, code: str):
    """One question at a time; when every matter reached its situation, count them and show the checklist."""
    bundle = get_bundle(code)
    given = answers_from(request.GET)
    state = BundleFlow(bundle).walk(given)
    if state.complete:
        for step in state.active_steps:
            if step.situation is not None:
                ServiceTally.record(step.situation)
        return redirect(f"{reverse('bundles:checklist', args=[bundle.code])}?{state.query()}")
    if state.question.stale:
        messages.warning(request, "您之前的回答已不适用（可能事项内容有更新），请重新选择这一题。")
    # Later answers ride along, so changing one answer does not redo the rest.
    carry = [(k, v) for k, v in given.items() if k not in (state.question.param, CHANGE_PARAM)]
    return render(request, "bundles/ask.html", {"bundle": bundle, "state": state, "carry": carry})


def _checklist_context(request, code: str):
    """The merged checklist for the answers in the link, or a redirect to the question still open."""
    bundle = get_bundle(code)
    state = BundleFlow(bundle).walk(answers_from(request.GET))
    if not state.complete:
        messages.info(request, "还有问题没回答，答完就能看到清单。")
        return redirect(f"{reverse('bundles:ask', args=[bundle.code])}?{state.query()}")
    query = state.query()
    page_url = (
        absolute(reverse("bundles:checklist", args=[bundle.code])) + f"?{query}"
    )  # printouts and QR codes lead to the public site
    return {
        "bundle": bundle,
        "state": state,
        "checklist": merge(state),
        "answers_query": query,  # not "query": base.html puts that in the search box
        "page_url": page_url,
        "qr": qr_svg(page_url),
    }


def _page(template: str, pdf_name: str | None = None):
    def view(request, code: str):
        context = _checklist_context(request, code)
        if not isinstance(context, dict):
            return context
        if pdf_name is None:
            return render(request, template, context)
        context["for_pdf"] = True
        pdf = html_to_pdf(render(request, template, context).content.decode())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{context["bundle"].code}-{pdf_name}.pdf"'
        return response

    return view


checklist = _page("bundles/checklist.html")
checklist_print = _page("bundles/checklist_print.html")
checklist_pdf = _page("bundles/checklist_print.html", "checklist")
form_print = _page("bundles/form_print.html")
form_pdf = _page("bundles/form_print.html", "form")
