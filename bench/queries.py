"""Count the SQL statements a block of code runs, and those run while a template renders.

A statement is one cursor execution; BEGIN and COMMIT are not counted (the driver issues
them outside the cursor). Used by the benchmarks in bench/ and by the query-budget tests:

    with count_queries(db.engine) as counted:
        client.get("/due")
    print(counted.total, counted.while_rendering)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import before_render_template, template_rendered
from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    # Statements run between a template's start and end of rendering, with the template's name.
    rendering: list[tuple[str, str]] = field(default_factory=list)
    _templates: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def while_rendering(self) -> int:
        return len(self.rendering)


@contextmanager
def count_queries(engine: Engine) -> Iterator[Counted]:
    """Count every statement the engine runs inside the block."""
    counted = Counted()

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        counted.statements.append(statement)
        if counted._templates:
            counted.rendering.append((counted._templates[-1], statement))

    def on_start(sender, template, context, **extra):
        counted._templates.append(template.name or "?")

    def on_end(sender, template, context, **extra):
        if counted._templates:
            counted._templates.pop()

    event.listen(engine, "before_cursor_execute", on_execute)
    before_render_template.connect(on_start)
    template_rendered.connect(on_end)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        before_render_template.disconnect(on_start)
        template_rendered.disconnect(on_end)
