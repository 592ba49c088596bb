"""Pages of a long list, with the links the GOV.UK pagination component shows
(templates/_pagination.html): previous, next, the first and last page, the pages either
side of this one and an ellipsis between. A list page runs the same queries whatever the
data size: one count and one slice; or, for a panel that needs no page numbers
(`numbered=False`), only the slice, one row longer than the page to know if there is a next."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

PER_PAGE = 50


@dataclass
class Paged:
    page: Page | None  # None when not numbered
    items: list
    previous_url: str = ""
    next_url: str = ""
    links: list[dict[str, Any]] = field(default_factory=list)  # number/url/current or ellipsis

    @property
    def several(self) -> bool:
        return bool(self.previous_url or self.next_url)


def paginate(
    request: HttpRequest,
    items,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    numbered: bool = True,
    count: int | None = None,
) -> Paged:
    """This request's page of `items` (a queryset, or a list); a page number out of range
    or not a number gives the nearest page, never an error. `count`: the number of items,
    where the page has counted them already (no count query then)."""

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    if not numbered:
        wanted = request.GET.get(param, "")
        number = max(1, int(wanted)) if wanted.isdigit() else 1
        start = (number - 1) * per_page
        rows = list(items[start : start + per_page + 1])
        return Paged(
            page=None,
            items=rows[:per_page],
            previous_url=url(number - 1) if number > 1 else "",
            next_url=url(number + 1) if len(rows) > per_page else "",
        )
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached property: this is the value it would have read
    page = paginator.get_page(request.GET.get(param))

    last = paginator.num_pages
    numbers = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    links: list[dict[str, Any]] = []
    for index, number in enumerate(numbers):
        if index and number - numbers[index - 1] > 1:
            links.append({"ellipsis": True})
        links.append({"number": number, "url": url(number), "current": number == page.number})
    return Paged(
        page=page,
        items=list(page.object_list),
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        links=links,
    )


@lru_cache(maxsize=1)
def _pagination_parts() -> tuple[str, str, str, str]:
    """The previous and next links of `templates/_pagination.html`, each split around its
    address, read from the template itself (its markup is kept in one place)."""
    from django.template.loader import get_template

    source = get_template("_pagination.html").template.source
    parts = []
    for which in ("previous_url", "next_url"):
        start = source.index(f"{{% if paged.{which} %}}") + len(f"{{% if paged.{which} %}}")
        link = source[start : source.index("{% endif %}", start)]
        head, tail = link.split(f"{{{{ paged.{which} }}}}")
        parts += [head, tail]
    return tuple(parts)


def pagination(paged, label: str) -> SafeString:
    """`{% include "_pagination.html" with label=label %}`, the same HTML, built in Python:
    the include and its loop over the links took a tenth of a millisecond or more a page
    (issue 16). tests/remediation/test_display_kept.py compares the two. The worktray, the
    compliance review and the allocation table use it."""
    if not paged.several:
        return mark_safe("\n")
    prev_head, prev_tail, next_head, next_tail = _pagination_parts()
    block = "" if paged.links else " govuk-pagination--block"
    previous = f"{prev_head}{escape(paged.previous_url)}{prev_tail}" if paged.previous_url else ""
    following = f"{next_head}{escape(paged.next_url)}{next_tail}" if paged.next_url else ""
    links = ""
    if paged.links:
        items = []
        for link in paged.links:
            if link.get("ellipsis"):
                items.append(
                    '\n    <li class="govuk-pagination__item '
                    'govuk-pagination__item--ellipses">&ctdot;</li>\n    \n  '
                )
                continue
            current = link.get("current")
            items.append(
                '\n    <li class="govuk-pagination__item'
                f'{" govuk-pagination__item--current" if current else ""}">'
                f'<a class="govuk-link govuk-pagination__link" href="{escape(link["url"])}" '
                f'aria-label="Page {escape(str(link["number"]))}"'
                f"{' aria-current=' + chr(34) + 'page' + chr(34) if current else ''}>"
                f"{escape(str(link['number']))}</a></li>\n  "
            )
        links = f'<ul class="govuk-pagination__list">\n  {"".join(items)}\n  </ul>'
    return mark_safe(  # noqa: S308 - the addresses and label are escaped
        f'\n<nav class="govuk-pagination{block}" aria-label="{escape(label or "Pages")}">\n'
        f"  {previous}\n  {links}\n  {following}\n</nav>\n\n"
    )
