from carbon_tools import integrity


def chain(payloads):
    entries, previous = [], integrity.GENESIS
    for payload in payloads:
        previous = integrity.entry_hash(previous, payload)
        entries.append((previous, payload))
    return entries


def test_hash_is_canonical():
    a = integrity.entry_hash(integrity.GENESIS, {"b": "1.000", "a": [1, 2]})
    b = integrity.entry_hash(integrity.GENESIS, {"a": [1, 2], "b": "1.000"})
    assert a == b and len(a) == 64


def test_intact_chain():
    assert integrity.first_break(chain([{"n": i} for i in range(5)])) is None
    assert integrity.first_break([]) is None


def test_changed_removed_or_reordered_entries_break_the_chain():
    entries = chain([{"n": i, "debit": "1.000"} for i in range(5)])
    changed = list(entries)
    changed[2] = (changed[2][0], {"n": 2, "debit": "9.000"})
    assert integrity.first_break(changed) == 2
    assert integrity.first_break(entries[:1] + entries[2:]) == 1
    assert integrity.first_break([entries[1], entries[0]] + entries[2:]) == 0
