"""Pages of a long list, with the links the GOV.UK pagination component shows
(templates/_pagination.html): previous, next, the first and last page, the pages either
side of this one and an ellipsis between. A list page runs the same queries whatever the
data size: one count and one slice; or, for a panel that needs no page numbers
(`numbered=False`), only the slice, one row longer than the page to know if there is a next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

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
    or not a number gives the nearest page, never an error. A page that has already
    counted the items passes `count`, and the paginator does not count them again."""

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
        paginator.count = count  # the cached property, filled in
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
