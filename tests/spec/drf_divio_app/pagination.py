"""Divio's pagination, in its own module: DRF imports it while it is still importing views."""

from rest_framework.pagination import PageNumberPagination


class DivioPagination(PageNumberPagination):
    """``page`` and ``page_size`` (capped at 100), as Divio's API takes them."""

    page_size = 2
    page_size_query_param = "page_size"
    max_page_size = 100
