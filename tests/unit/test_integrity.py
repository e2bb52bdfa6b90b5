from carbon_tools import integrity


def test_hash_is_canonical():
    a = integrity.entry_hash(integrity.GENESIS, {"b": "1.000", "a": [1, 2]})
    b = integrity.entry_hash(integrity.GENESIS, {"a": [1, 2], "b": "1.000"})
    assert a == b and len(a) == 64


def test_hash_follows_the_previous_hash():
    payload = {"name": "CARB/1", "lines": [["A", "1.000"]]}
    first = integrity.entry_hash(integrity.GENESIS, payload)
    assert integrity.entry_hash(first, payload) != first
    assert integrity.entry_hash(integrity.GENESIS, {**payload, "name": "CARB/2"}) != first
