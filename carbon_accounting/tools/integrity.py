"""Hash chain of posted carbon entries (pure, no Odoo import).

Each posted entry's hash covers its own content and the previous entry's hash, so that
changing, removing or reordering any posted entry breaks every hash after it.
"""
import hashlib
import json

GENESIS = "0" * 64


def entry_hash(previous_hash, payload):
    """SHA-256 of ``previous_hash`` and a canonical JSON of ``payload`` (dicts, lists, str,
    int; floats must be given as fixed-decimal strings so the hash never depends on float repr)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()
