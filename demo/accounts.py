"""The demo logins (listed in the README). Every one is marked 演示数据 in its name."""

from dataclasses import dataclass

DEMO_PASSWORD = "minsheng2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    superuser: bool = False
    staff: bool = False
    permissions: tuple[str, ...] = ()


CATALOG_PERMISSIONS = tuple(
    f"guide.{action}_{model}"
    for model in ("matter", "step", "faq", "question", "option", "situation", "material", "reviewpoint")
    for action in ("add", "change", "delete", "view")
) + ("guide.view_department", "guide.view_servicetally")
# Window staff who edit the guide also edit the bundles built on it (一件事).
BUNDLE_PERMISSIONS = tuple(
    f"bundles.{action}_{model}"
    for model in (
        "bundle",
        "component",
        "presetanswer",
        "sharedquestion",
        "sharedoption",
        "answermapping",
        "formfield",
        "plannedmatter",
    )
    for action in ("add", "change", "delete", "view")
)

ACCOUNTS = [
    DemoAccount("admin", "系统管理员（演示数据）", "管理员", superuser=True, staff=True),
    DemoAccount(
        "editor",
        "办事指南编辑（演示数据）",
        "窗口工作人员",
        staff=True,
        permissions=CATALOG_PERMISSIONS + BUNDLE_PERMISSIONS,
    ),
]
