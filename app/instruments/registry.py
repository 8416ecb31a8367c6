"""Catalogues of forms that other areas load (such as forms/indicators/), registered with the
instrument engine: any page looks a form up by id here, and `flask instruments validate`
checks every registered catalogue, without the engine knowing the areas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from app.instruments.catalogue import current_catalogue

KEY = "form_catalogues"


@dataclass(frozen=True)
class Registered:
    """A loaded catalogue, how to load it again from the app's settings, and how to check its texts."""

    catalogue: Any  # has get(id), __contains__ and __len__
    load: Callable[[Flask], Any]
    check: Callable[[Any], list[str]]


def register(app: Flask, name: str, catalogue: Any, load: Callable[[Flask], Any],
             check: Callable[[Any], list[str]]) -> None:
    """Register an area's catalogue of forms under a name that says what it holds ("indicator forms")."""
    app.extensions.setdefault(KEY, {})[name] = Registered(catalogue, load, check)


def registered(app: Flask) -> dict[str, Registered]:
    """Return every registered catalogue by name."""
    return app.extensions.get(KEY, {})


def find_form(form_id: str) -> Any | None:
    """Return the instrument, or else a registered catalogue's form, with this id; None if none has it."""
    catalogue = current_catalogue()
    if form_id in catalogue:
        return catalogue.get(form_id)
    for entry in registered(current_app).values():
        if form_id in entry.catalogue:
            return entry.catalogue.get(form_id)
    return None
