"""The model listings a FakeOpenRouter serves (``/models``, ``/endpoints``), as a mixin."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from inspector.testserver.bodies import json_copy


class ModelShelf:
    """Listings by ``/models`` id; the class using this sets ``_models`` and ``_lock``."""

    _models: dict[str, tuple[dict[str, Any], dict[str, Any]]]
    _lock: threading.RLock

    def add_model(self, listing: Mapping[str, Any], **model_fields: Any) -> str:
        """List a model: ``listing`` is the ``data`` of its ``/endpoints`` answer (copied).

        ``model_fields`` add to or replace fields of its ``/models`` entry (e.g.
        ``expiration_date``). Returns the model's ``id`` (the URL form, ``author/slug``).
        Adding a model again replaces it (e.g. to change a price).
        """
        model_id = str(listing["id"])
        with self._lock:
            self._models[model_id] = (json_copy(dict(listing)), json_copy(model_fields))
        return model_id

    def remove_model(self, model_id: str) -> bool:
        """Stop listing a model (``/endpoints`` then answers 404). True if it was listed."""
        with self._lock:
            return self._models.pop(model_id, None) is not None

    def model(self, model_id: str) -> dict[str, Any] | None:
        """A copy of the listing of ``model_id`` (the stored one, before time windows)."""
        with self._lock:
            found = self._models.get(model_id)
        return None if found is None else json_copy(found[0])

    def model_ids(self) -> list[str]:
        with self._lock:
            return list(self._models)

    def model_listing(self, model_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The stored (listing, model fields), not copied: never mutate them."""
        with self._lock:
            return self._models.get(model_id)

    def model_listings(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        with self._lock:
            return list(self._models.values())
