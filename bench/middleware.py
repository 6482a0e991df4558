"""Counts the SQL queries of each request for the benchmark.

Installed only when ``QMS_BENCH_QUERY_COUNT`` is set (see qms/settings.py), so
production never runs it; the runner reads the ``X-QMS-Queries`` header.
"""

from __future__ import annotations

from django.db import connection

HEADER = "X-QMS-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
