"""Prepared querysets: a hot page's query built and compiled once per shape.

Building a QuerySet (filters, annotations, ``select_related``) and compiling it
to SQL costs Django far more than running it: the thread page's own query takes
some 7 ms to build and compile and 0.1 ms to run. A page's queries have the
same shape for every reader of the same kind; only a few values differ (the
reader's id, the thread's id).

``Prepared(build, shape)`` calls ``build`` once per shape with stand-in values
(markers) in place of those values, compiles it, and keeps the SQL with the
compiler's description of the columns. Later calls put the real values in
place of the markers and run the kept SQL; the rows become model instances
exactly as Django's own iterable makes them (``select_related`` objects,
annotations, ``prefetch_related``).

Safety: ``shape(*args)`` must return everything ``build`` branches on other
than the marked values (the reader's access, a page's slice). With the
setting ``NETVAERK_PREPARED_CHECK`` (on in the test suite) every call also
builds and compiles the query the ordinary way and raises if its SQL or values
differ from the kept statement with the real values put in: every test that
opens a page proves the shortcut for the shapes it meets.

Markers are integers (ids) Django passes through unchanged on every backend.

Not for querysets whose SQL depends on anything else that changes (the time,
a setting read while building): put it in the shape, or do not prepare them.
"""

import copy
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router

_PLACEHOLDER = re.compile(r"(?<!%)%s")
_MARK = -7_318_400_000  # ids are positive: no real value looks like a marker
MAX_SHAPES = 256


class PreparedMismatch(AssertionError):
    """The kept statement differs from the freshly compiled one (check mode)."""


def _marker(index: int, item: int = 0) -> int:
    return _MARK - index * 100_000 - item


def _mark(value, index: int):
    """The stand-in for one argument: a marked id, a copy of a model instance
    whose primary key is marked, or a list of marked ids (its length is part
    of the shape). Anything else is passed as it is (and must then be part of
    the shape)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return _marker(index)
    if isinstance(value, list | tuple) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        return [_marker(index, j) for j in range(len(value))]
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        stand_in = copy.copy(value)
        if value.pk is not None:
            stand_in.pk = _marker(index)
        return stand_in
    return value


def _markers(args, fixed) -> dict[int, tuple[int, int | None]]:
    """marker -> (argument index, item index or None)."""
    found = {}
    for i, value in enumerate(args):
        if i in fixed or isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            found[_marker(i)] = (i, None)
        elif isinstance(value, list | tuple):
            found.update({_marker(i, j): (i, j) for j in range(len(value))})
        elif hasattr(value, "_meta") and getattr(value, "pk", None) is not None:
            found[_marker(i)] = (i, None)
    return found


def _real(value):
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    return None


class _Statement:
    __slots__ = ("compiler", "params", "queryset", "slots", "sql")

    def __init__(self, queryset, compiler, sql, params, markers):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = tuple(params)
        # Where each marker sits among the parameters:
        # (position, argument index, item index or None).
        self.slots = []
        for position, value in enumerate(self.params):
            if type(value) is int and value in markers:
                self.slots.append((position, *markers[value]))
            elif (
                isinstance(value, list | tuple)
                and value
                and all(type(v) is int and v in markers for v in value)
            ):
                # A whole list as one value (a PostgreSQL array): the argument's list.
                indexes = [markers[v] for v in value]
                index = indexes[0][0]
                if indexes == [(index, j) for j in range(len(value))]:
                    self.slots.append((position, index, "list"))

    def bind(self, reals: list):
        params = list(self.params)
        for position, index, item in self.slots:
            if item is None:
                params[position] = reals[index]
            elif item == "list":
                params[position] = list(reals[index])
            else:
                params[position] = reals[index][item]
        return params


class _BoundQuery:
    """Stands in for a QuerySet's Query for one run: hands out the kept compiler
    with the bound values; everything else is read from the kept Query."""

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class Prepared:
    """A query built by ``build(*args)``, compiled once per ``shape(*args)``.

    Arguments that are ints, lists of ints or model instances are marked (their
    ids vary freely; a list's length must be in ``shape``); every other
    argument, and those whose positions are in ``fixed`` (a slice's bounds,
    which Django writes into the SQL), must be reflected in ``shape``.
    """

    def __init__(
        self, build: Callable, shape: Callable = lambda *args: (), *, model=None, fixed=()
    ):
        self.build = build
        self.shape = shape
        self.fixed = frozenset(fixed)
        self.model = model  # for the database router; the default database without
        self._statements: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def _using(self, using: str | None) -> str:
        if using is not None:
            return using
        return router.db_for_read(self.model) if self.model else DEFAULT_DB_ALIAS

    def _statement(self, args, using) -> _Statement:
        key = (using, connections[using].vendor, self.shape(*args))
        statement = self._statements.get(key)
        if statement is not None:
            return statement
        stand_ins = [value if i in self.fixed else _mark(value, i) for i, value in enumerate(args)]
        markers = _markers(args, self.fixed)
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # nothing can match (e.g. `.none()`): no query at all
            sql, params = None, ()
        statement = _Statement(queryset, compiler, sql, params, markers)
        with self._lock:
            self._statements[key] = statement
            while len(self._statements) > MAX_SHAPES:
                self._statements.popitem(last=False)
        return statement

    def queryset(self, *args, using: str | None = None):
        """An unevaluated QuerySet that runs the kept statement with ``args``."""
        using = self._using(using)
        statement = self._statement(args, using)
        if statement.sql is None:
            if getattr(settings, "NETVAERK_PREPARED_CHECK", False):
                self._check_empty(args, using)
            return statement.queryset.none()
        reals = [_real(value) for value in args]
        params = statement.bind(reals)
        if getattr(settings, "NETVAERK_PREPARED_CHECK", False):
            self._check(args, using, statement.sql, params)
        compiler = copy.copy(statement.compiler)
        compiler.connection = connections[using]
        sql = statement.sql
        compiler.as_sql = lambda *a, **k: (sql, params)
        kept = statement.queryset
        queryset = kept.__class__.__new__(kept.__class__)
        queryset.__dict__.update(kept.__dict__)
        queryset._query = _BoundQuery(kept.query, compiler)
        queryset._result_cache = None
        queryset._prefetch_done = False
        queryset._db = using
        return queryset

    def sql(self, *args, using: str | None = None) -> tuple[str, list] | None:
        """The kept statement with ``args`` bound, as (SQL, params), to use as
        a subquery in hand-written SQL; None when it can match nothing."""
        using = self._using(using)
        statement = self._statement(args, using)
        check = getattr(settings, "NETVAERK_PREPARED_CHECK", False)
        if statement.sql is None:
            if check:
                self._check_empty(args, using)
            return None
        params = statement.bind([_real(value) for value in args])
        if check:
            self._check(args, using, statement.sql, params)
        return statement.sql, params

    def correlated_sql(self, *args, columns: dict[int, str], using: str | None = None):
        """As `sql`, with the value of each argument index in ``columns`` (an
        int) replaced by an outer query's column, e.g. ``{1: "p.thread_id"}``:
        a subquery for EXISTS, run per outer row by its keys."""
        using = self._using(using)
        found = self.sql(*args, using=using)
        if found is None:
            return None
        sql, params = found
        statement = self._statement(args, using)
        pieces = _PLACEHOLDER.split(sql)
        if len(pieces) != len(params) + 1:
            raise PreparedMismatch(f"{self.build.__qualname__}: placeholders and values differ")
        by_position = {pos: index for pos, index, item in statement.slots if item is None}
        out, kept = [pieces[0]], []
        for position, value in enumerate(params):
            index = by_position.get(position)
            if index in columns:
                out.append(columns[index])
            else:
                out.append("%s")
                kept.append(value)
            out.append(pieces[position + 1])
        return "".join(out), kept

    def list(self, *args, using: str | None = None) -> list:
        return list(self.queryset(*args, using=using))

    def first(self, *args, using: str | None = None):
        """The first row (the build should slice to one row), or None."""
        rows = self.list(*args, using=using)
        return rows[0] if rows else None

    def _check(self, args, using, sql, params) -> None:
        fresh = self.build(*args)
        fresh_sql, fresh_params = fresh.query.get_compiler(using=using).as_sql()
        if fresh_sql != sql or list(fresh_params) != list(params):
            raise PreparedMismatch(
                f"{self.build.__qualname__}: the kept statement for shape "
                f"{self.shape(*args)!r} differs from a fresh one.\n"
                f"kept:  {sql} {params!r}\nfresh: {fresh_sql} {list(fresh_params)!r}"
            )

    def _check_empty(self, args, using) -> None:
        try:
            self.build(*args).query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            return
        raise PreparedMismatch(
            f"{self.build.__qualname__}: kept as matching nothing for shape "
            f"{self.shape(*args)!r}, but a fresh one can match rows."
        )
